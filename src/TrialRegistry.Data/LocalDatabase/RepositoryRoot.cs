namespace TrialRegistry.Data.LocalDatabase;

/// <summary>Finds the repository root (the folder holding TrialRegistry.sln) from the working or app directory.</summary>
public static class RepositoryRoot
{
    public const string Marker = "TrialRegistry.sln";

    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>Resolves a path given relative to the repository root (as settings are written), else relative to the working directory.</summary>
    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Find() ?? Directory.GetCurrentDirectory(), path));
}
