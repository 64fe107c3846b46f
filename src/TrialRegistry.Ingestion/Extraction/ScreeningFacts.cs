using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>One thing a clinician screens on first, as the criteria state it, with the criterion that says so.</summary>
public sealed record ScreeningFact(string Topic, string Value, string Criterion);

/// <summary>
/// The criteria clinicians check first, shown with each search result: the ECOG performance status admitted, whether a
/// prior CAR-T therapy excludes or is admitted, and whether CNS involvement by the disease excludes or is admitted.
/// A view of the trial's <see cref="EligibilityChecks"/> (one reader for the search results, the trial page's
/// checklist and pre-screening, so that they never disagree); nothing is said when no check says it.
/// </summary>
public static class ScreeningFacts
{
    public const string Ecog = "ECOG";
    public const string PriorCarT = "Prior CAR-T";
    public const string Cns = "CNS involvement";

    /// <summary>The facts a trial's stored checks state.</summary>
    public static IReadOnlyList<ScreeningFact> From(IReadOnlyList<EligibilityCheck> checks)
    {
        var facts = new List<ScreeningFact>(3);
        if (checks.Where(c => c.Kind == CheckKind.Ecog && c.Max is not null).OrderBy(c => c.Side).FirstOrDefault() is { } ecog)
        {
            facts.Add(new ScreeningFact(Ecog, ecog.Max == 0 ? "0" : $"0–{ecog.Max}", ecog.Criterion));
        }

        foreach (var (topic, kind) in new[] { (PriorCarT, CheckKind.PriorCarT), (Cns, CheckKind.Cns) })
        {
            if (checks.Where(c => c.Kind == kind && c.Stance is not null).OrderBy(c => c.Side).FirstOrDefault() is { } check)
            {
                var value = check.Stance == CheckStance.Excluded
                    ? check.Conditional ? "excluded with exceptions" : "excluded"
                    : check.Conditional ? "allowed with conditions" : "allowed";
                facts.Add(new ScreeningFact(topic, value, check.Criterion));
            }
        }

        return facts;
    }

    /// <summary>The facts inclusion and exclusion criteria state, read as <see cref="EligibilityChecks"/> reads them.</summary>
    public static IReadOnlyList<ScreeningFact> From(IEnumerable<string> inclusion, IEnumerable<string> exclusion) =>
        From(EligibilityChecks.From(inclusion.Select(c => new Criterion(c, [])), exclusion.Select(c => new Criterion(c, []))));
}
