using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Testing;

namespace TrialRegistry.Ingestion.Tests;

internal static class Documents
{
    public static ParsedDocument ParseFile(string path) =>
        DocumentParser.Default.Parse(File.ReadAllBytes(path), Path.GetFileName(path));

    /// <summary>The one record of a seed document (by its number prefix, "000" ... "004").</summary>
    public static TrialRecord Seed(string prefix)
    {
        var parsed = ParseFile(SharedPaths.Seed(prefix));
        Assert.True(parsed.Recognized, parsed.Error);
        return Assert.Single(parsed.Records);
    }

    public static ParsedDocument ParseText(string text, string fileName = "doc.txt") =>
        DocumentParser.Default.Parse(System.Text.Encoding.UTF8.GetBytes(text), fileName);
}
