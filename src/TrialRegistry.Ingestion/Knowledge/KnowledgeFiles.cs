using System.Reflection;
using System.Text.Json;

namespace TrialRegistry.Ingestion.Knowledge;

/// <summary>
/// The parser's knowledge, kept as data beside the code (<c>Knowledge/*.json</c>, embedded in the assembly): the
/// antigen vocabulary, the product dictionary with a public source for each product, places, and the labels
/// documents put before their values. An admin extends a file by adding entries and rebuilding, or without a
/// rebuild by pointing <c>TRIALREGISTRY_KNOWLEDGE</c> at a folder with files of the same names, whose entries are
/// read after the built-in ones.
/// </summary>
internal static class KnowledgeFiles
{
    public const string ExtraFolderVariable = "TRIALREGISTRY_KNOWLEDGE";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The built-in file and, when the extra folder has one of the same name, that file too.</summary>
    public static IEnumerable<JsonElement> Load(string name)
    {
        var assembly = typeof(KnowledgeFiles).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("Knowledge." + name, StringComparison.Ordinal));
        using (var stream = assembly.GetManifestResourceStream(resource)!)
        {
            yield return JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).RootElement.Clone();
        }

        var extra = Environment.GetEnvironmentVariable(ExtraFolderVariable);
        if (!string.IsNullOrWhiteSpace(extra) && File.Exists(Path.Combine(extra, name)))
        {
            yield return JsonDocument.Parse(File.ReadAllText(Path.Combine(extra, name)), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).RootElement.Clone();
        }
    }

    /// <summary>The entries of a list held in a file, either as the whole file or under <paramref name="property"/>.</summary>
    public static IEnumerable<T> Entries<T>(string name, string? property = null) =>
        Load(name).SelectMany(root =>
        {
            var list = property is not null && root.ValueKind == JsonValueKind.Object && root.TryGetProperty(property, out var p) ? p : root;
            return list.ValueKind == JsonValueKind.Array ? list.Deserialize<List<T>>(Options) ?? [] : [];
        });

    internal static Assembly Assembly => typeof(KnowledgeFiles).Assembly;

    /// <summary>A short hash of a file's content as loaded (built-in and extra), to tell when values derived from it are stale.</summary>
    public static string Fingerprint(string name) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", Load(name).Select(e => e.GetRawText())))))[..16];
}
