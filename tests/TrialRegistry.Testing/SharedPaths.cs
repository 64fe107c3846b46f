using TrialRegistry.Data.LocalDatabase;

namespace TrialRegistry.Testing;

/// <summary>The read-only shared material beside the repository (../shared from the repo root).</summary>
public static class SharedPaths
{
    public static string Root { get; } = Path.GetFullPath(Path.Combine(
        RepositoryRoot.Find() ?? throw new InvalidOperationException($"run the tests from inside the repository ({RepositoryRoot.Marker} not found)"),
        "..", "shared"));

    public static string Seeds => Path.Combine(Root, "seeds");
    public static string Corpus => Path.Combine(Root, "corpus");

    public static string Seed(string prefix) =>
        Directory.GetFiles(Seeds, prefix + "*").Single();
}
