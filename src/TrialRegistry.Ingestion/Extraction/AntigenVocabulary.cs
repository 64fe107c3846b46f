using TrialRegistry.Ingestion.Knowledge;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>A CAR target antigen: its canonical symbol, a display name, and the names it goes by.</summary>
public sealed record AntigenDefinition(string Symbol, string Name, IReadOnlyList<string> Synonyms)
{
    /// <summary>A bare mention is too often something else (a cell marker, a virus, a drug's target) to count outside a targeting phrase.</summary>
    public bool Ambiguous { get; init; }
}

/// <summary>
/// The antigens a CAR or TCR may target, read from <c>Knowledge/antigens.json</c> (HGNC symbols where one exists,
/// the community name otherwise, with the names documents use). Costimulatory and signalling domains (CD28,
/// 4-1BB/CD137, CD3ζ) are deliberately absent: they are parts of the construct, not targets.
/// </summary>
public static class AntigenVocabulary
{
    private sealed record Entry(string Symbol, string Name, List<string>? Synonyms, bool Ambiguous);

    public static readonly IReadOnlyList<AntigenDefinition> All = KnowledgeFiles.Entries<Entry>("antigens.json", "antigens")
        .GroupBy(e => e.Symbol, StringComparer.OrdinalIgnoreCase)
        .Select(g => new AntigenDefinition(g.First().Symbol, g.First().Name, g.SelectMany(e => e.Synonyms ?? []).Distinct(StringComparer.Ordinal).ToList())
        {
            Ambiguous = g.Any(e => e.Ambiguous),
        })
        .ToList();

    private static readonly Dictionary<string, AntigenDefinition> BySymbol =
        All.ToDictionary(a => a.Symbol, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, AntigenDefinition> ByAnyName = BuildNameIndex();

    /// <summary>Antigens whose bare mention is too ambiguous to count outside an explicit targeting phrase.</summary>
    internal static readonly HashSet<string> NeedsTargetingContext =
        new(All.Where(a => a.Ambiguous).Select(a => a.Symbol), StringComparer.OrdinalIgnoreCase);

    public static AntigenDefinition? Find(string symbolOrSynonym)
    {
        var key = symbolOrSynonym.Trim();
        return BySymbol.TryGetValue(key, out var def) || ByAnyName.TryGetValue(Normalize(key), out def) ? def : null;
    }

    /// <summary>Every spelling of every antigen, longest first, as one alternation for the extractor.</summary>
    internal static IEnumerable<(string Spelling, AntigenDefinition Antigen)> Spellings() =>
        All.SelectMany(a => a.Synonyms.Append(a.Symbol).Distinct(StringComparer.OrdinalIgnoreCase).Select(s => (s, a)))
            .OrderByDescending(p => p.Item1.Length);

    /// <summary>A name reduced for comparison: upper case, without spaces, dashes, slashes or underscores (her-2 = HER2).</summary>
    public static string Normalize(string name)
    {
        // A character filter, not a pattern: it runs for every antigen on every search and must never time out under load
        // (a 100 ms pattern limit did, in a garbage-collection pause, and the search answered 503).
        var kept = new System.Text.StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (!char.IsWhiteSpace(c) && c is not ('-' or '_' or '/' or '‐' or '‑' or '–'))
            {
                kept.Append(char.ToUpperInvariant(c));
            }
        }

        return kept.ToString();
    }

    private static Dictionary<string, AntigenDefinition> BuildNameIndex()
    {
        var index = new Dictionary<string, AntigenDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in All)
        {
            foreach (var name in a.Synonyms.Append(a.Symbol).Append(a.Name))
            {
                index.TryAdd(Normalize(name), a);
            }
        }

        return index;
    }
}
