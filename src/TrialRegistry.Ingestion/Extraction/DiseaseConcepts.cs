using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Knowledge;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>A disease as a concept: a stable id, its preferred name, and its broader concepts.</summary>
public sealed record DiseaseConcept(string Id, string Name, IReadOnlyList<string> Parents);

/// <summary>
/// Conditions as concepts (<c>Knowledge/diseases.json</c>): "B-ALL", "Acute Lymphocytic Leukemia, B-cell" and
/// "B-cell precursor acute lymphoblastic leukaemia" are one concept, which is an acute lymphoblastic leukemia and a
/// leukemia. A trial's conditions give their concepts and every broader one, so a search for a disease finds its
/// synonyms and narrower terms; a search term is read as a concept only when its words name diseases and nothing
/// else (<see cref="Resolve"/>). A condition no pattern matches gives no concept: it is not guessed.
/// </summary>
public static class DiseaseConcepts
{
    private sealed record Entry(string Id, string Name, List<string>? Parents, List<string> Patterns, List<string>? Except);

    private sealed record Compiled(DiseaseConcept Concept, Regex Pattern, Regex? Except);

    private static readonly IReadOnlyList<Compiled> Concepts = KnowledgeFiles.Entries<Entry>("diseases.json", "concepts")
        .GroupBy(e => e.Id, StringComparer.Ordinal)
        .Select(g => new Compiled(
            new DiseaseConcept(g.Key, g.First().Name, g.SelectMany(e => e.Parents ?? []).Distinct(StringComparer.Ordinal).ToList()),
            WordPatterns.Build(g.SelectMany(e => e.Patterns)),
            g.SelectMany(e => e.Except ?? []).ToList() is { Count: > 0 } except ? WordPatterns.Build(except) : null))
        .ToList();

    private static readonly Dictionary<string, DiseaseConcept> ById = Concepts.ToDictionary(c => c.Concept.Id, c => c.Concept, StringComparer.Ordinal);

    /// <summary>Each concept with all its broader concepts, itself first.</summary>
    private static readonly Dictionary<string, IReadOnlyList<string>> WithAncestors = ById.Keys.ToDictionary(id => id, Ancestry, StringComparer.Ordinal);

    // Condition names repeat across trials (a 500,000-trial load has a few thousand distinct ones).
    private static readonly ConcurrentDictionary<string, IReadOnlyList<string>> Cache = new(StringComparer.Ordinal);
    private const int CacheLimit = 200_000;

    /// <summary>Words that qualify a disease without changing which it is ("relapsed or refractory", "adult", "stage IV").</summary>
    private static readonly Regex Qualifiers = new(
        @"(?<!\w)(?:relapsed|refractory|recurrent|r/r|rr|advanced|metastatic|unresectable|locally|newly|diagnosed|untreated|previously|treated|adults?|pediatric|paediatric|childhood|child(?:ren)?|young|elderly|high[- ]risk|aggressive|indolent|primary|secondary|stage|[IV]{1,4}[ABC]?|and|or|with|in|of|the|patients?|disease|positive|negative|cd\d+[+-]?)(?!\w)|[\s,;:/()+\-–.'’]+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    public static IReadOnlyList<DiseaseConcept> All { get; } = [.. Concepts.Select(c => c.Concept)];

    /// <summary>Changes when the vocabulary does: trials stored under another vocabulary get their concepts again.</summary>
    public static string Fingerprint { get; } = KnowledgeFiles.Fingerprint("diseases.json");

    public static DiseaseConcept? Find(string id) => ById.GetValueOrDefault(id);

    /// <summary>The preferred name of a concept id, or the id itself.</summary>
    public static string Name(string id) => ById.TryGetValue(id, out var concept) ? concept.Name : id;

    /// <summary>The id of the concept whose preferred name this is (any case), if one.</summary>
    public static string? ByName(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))?.Id;

    /// <summary>The concepts of a trial's conditions with every broader concept, in the file's order.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<string> conditions)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var condition in conditions)
        {
            if (!string.IsNullOrWhiteSpace(condition))
            {
                found.UnionWith(OfOne(condition));
            }
        }

        return found.Count == 0 ? [] : All.Select(c => c.Id).Where(found.Contains).ToList();
    }

    /// <summary>
    /// What a search term means as concepts: the most specific concepts it names, when its words are disease names and
    /// qualifiers only ("relapsed DLBCL", "lymphoma or myeloma", "B-ALL"); none when other words remain ("lymphoma
    /// vaccine"), so that the term is then matched as written.
    /// </summary>
    public static IReadOnlyList<string> Resolve(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 200)
        {
            return [];
        }

        try
        {
            var covered = new bool[text.Length];
            var named = new List<string>();
            foreach (var compiled in Concepts)
            {
                var subject = compiled.Except is null ? text : compiled.Except.Replace(text, m => new string(' ', m.Length));
                foreach (Match m in compiled.Pattern.Matches(subject))
                {
                    named.Add(compiled.Concept.Id);
                    Array.Fill(covered, true, m.Index, m.Length);
                }
            }

            foreach (Match m in Qualifiers.Matches(text))
            {
                Array.Fill(covered, true, m.Index, m.Length);
            }

            if (named.Count == 0 || covered.Contains(false))
            {
                return [];
            }

            // "large B-cell lymphoma" names LBCL, B-cell lymphoma and lymphoma: the most specific is meant.
            var distinct = named.Distinct(StringComparer.Ordinal).ToList();
            return distinct.Where(id => !distinct.Any(other => other != id && WithAncestors[other].Contains(id))).ToList();
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("conditions", ex);
            return [];
        }
    }

    /// <summary>A concept id with every narrower concept (for a search: a disease and its kinds).</summary>
    public static IReadOnlyList<string> WithNarrower(string id) =>
        WithAncestors.Where(a => a.Value.Contains(id)).Select(a => a.Key).ToList();

    private static IReadOnlyList<string> OfOne(string condition)
    {
        if (Cache.TryGetValue(condition, out var known))
        {
            return known;
        }

        var found = new List<string>();
        foreach (var compiled in Concepts)
        {
            try
            {
                if (compiled.Pattern.IsMatch(compiled.Except is null ? condition : compiled.Except.Replace(condition, " ")))
                {
                    found.AddRange(WithAncestors[compiled.Concept.Id]);
                }
            }
            catch (RegexMatchTimeoutException ex)
            {
                PatternLimits.TimedOut("conditions", ex);
            }
        }

        IReadOnlyList<string> result = found.Distinct(StringComparer.Ordinal).ToList();
        if (Cache.Count < CacheLimit)
        {
            Cache.TryAdd(condition, result);
        }

        return result;
    }

    private static IReadOnlyList<string> Ancestry(string id)
    {
        var order = new List<string>();
        var pending = new Queue<string>([id]);
        while (pending.TryDequeue(out var next))
        {
            if (!order.Contains(next) && ById.TryGetValue(next, out var concept))
            {
                order.Add(next);
                foreach (var parent in concept.Parents)
                {
                    pending.Enqueue(parent);
                }
            }
        }

        return order;
    }
}
