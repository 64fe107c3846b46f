using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Knowledge;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>A kind of disease (blood cancer, solid tumour, autoimmune disease, infection) and how pages name it.</summary>
public sealed record DiseaseCategory(string Name, string Label);

/// <summary>
/// The kinds of disease a trial's conditions are, from the word patterns of <c>Knowledge/disease-categories.json</c>
/// ("Relapsed Diffuse Large B-cell Lymphoma" is a blood cancer, "Lupus Nephritis" an autoimmune disease). A
/// condition no pattern matches gives no category (it is not guessed).
/// </summary>
public static class DiseaseCategories
{
    private sealed record Entry(string Name, string Label, List<string> Patterns, List<string>? Except);

    private sealed record Compiled(DiseaseCategory Category, Regex Pattern, Regex? Except);

    private static readonly IReadOnlyList<Compiled> Categories = KnowledgeFiles.Entries<Entry>("disease-categories.json", "categories")
        .GroupBy(e => e.Name, StringComparer.Ordinal)
        .Select(g => new Compiled(
            new DiseaseCategory(g.Key, g.First().Label),
            WordPatterns.Build(g.SelectMany(e => e.Patterns)),
            g.SelectMany(e => e.Except ?? []).ToList() is { Count: > 0 } except ? WordPatterns.Build(except) : null))
        .ToList();

    public static IReadOnlyList<DiseaseCategory> All { get; } = [.. Categories.Select(c => c.Category)];

    /// <summary>Changes when the patterns do: trials stored under other patterns get their categories again.</summary>
    public static string Fingerprint { get; } = KnowledgeFiles.Fingerprint("disease-categories.json");

    /// <summary>The label of a category name (BLOOD CANCER for HEMATOLOGIC_MALIGNANCY), or the name itself.</summary>
    public static string Label(string name) => All.FirstOrDefault(c => c.Name == name)?.Label ?? name;

    /// <summary>The categories of a trial's conditions, in the file's order.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<string> conditions)
    {
        var names = conditions.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        if (names.Count == 0)
        {
            return [];
        }

        var found = new List<string>();
        foreach (var category in Categories)
        {
            try
            {
                if (names.Any(n => category.Pattern.IsMatch(category.Except is null ? n : category.Except.Replace(n, " "))))
                {
                    found.Add(category.Category.Name);
                }
            }
            catch (RegexMatchTimeoutException ex)
            {
                PatternLimits.TimedOut("diseaseCategories", ex);
            }
        }

        return found;
    }
}
