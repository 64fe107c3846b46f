using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Data.Search;

/// <summary>
/// What the condition filter means, decided once for the SQL search, the in-memory facet index and the raw
/// baseline alike: a trial matches when one of its condition concepts is one the terms name (the trial's concepts
/// already carry their broader ones, so "leukemia" finds B-ALL), or when one of its condition names contains one of
/// the terms as written, any case.
/// </summary>
public sealed record ConditionFilter(IReadOnlyList<string> Terms, IReadOnlyList<string> Concepts)
{
    public static ConditionFilter? Of(IReadOnlyList<string> conditions)
    {
        var terms = conditions.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return terms.Count == 0 ? null : new ConditionFilter(terms, terms.SelectMany(DiseaseConcepts.Resolve).Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>The terms as ILIKE patterns (PostgreSQL's default escape character, the backslash).</summary>
    public string[] LikePatterns => Terms.Select(t => "%" + TrialSearch.EscapeLike(t) + "%").ToArray();

    /// <summary>Whether a condition name contains one of the terms.</summary>
    public bool NameMatches(string name) => Terms.Any(t => name.Contains(t, StringComparison.OrdinalIgnoreCase));

    /// <summary>The concepts the terms were read as, by their preferred names (for telling the user).</summary>
    public IReadOnlyList<string> ConceptNames => Concepts.Select(DiseaseConcepts.Name).ToList();
}
