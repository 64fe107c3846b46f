using System.Text.RegularExpressions;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>One thing a clinician screens on first, as the criteria state it, with the criterion that says so.</summary>
public sealed record ScreeningFact(string Topic, string Value, string Criterion);

/// <summary>
/// The criteria clinicians check first, read from a trial's inclusion and exclusion criteria when the text states
/// them: the ECOG performance status admitted, whether a prior CAR-T therapy excludes or is expected, and whether
/// CNS involvement by the disease excludes or is admitted (a neurological disease is not CNS involvement). Nothing is
/// said when no criterion says it; each fact carries the criterion it was read from.
/// </summary>
public static partial class ScreeningFacts
{
    public const string Ecog = "ECOG";
    public const string PriorCarT = "Prior CAR-T";
    public const string Cns = "CNS involvement";

    /// <summary>
    /// ILIKE patterns of the criteria that can state one of these facts: a criterion matching none of them states none,
    /// so a store need hand over only those (every pattern the readers below need is covered by one of these words).
    /// </summary>
    public static IReadOnlyList<string> CriterionPatterns { get; } =
        ["%ecog%", "%eastern cooperative%", "%car%", "%chimeric%", "%cns%", "%central nervous%", "%brain%", "%mening%"];

    [GeneratedRegex(@"\b(?:ECOG|Eastern\s+Cooperative\s+Oncology\s+Group)\b(?<tail>[^.;]{0,80})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex EcogMention();

    // The scores after the name: "0-1", "0 to 2", "0, 1 or 2", "≤ 2", "<2", "of 0 or 1".
    [GeneratedRegex(@"^(?:\s|performance|status|scores?|scale|fitness|points?|rating|level|range|between|should|\(?PS\)?|\(?ECOG\)?|grade|of|is|must|be|was|:|\(|\))*(?:(?<le>≤|<=|=<|less\s+than\s+or\s+equal\s+to|no\s+more\s+than|not\s+more\s+than|at\s+most)\s*(?<max>[0-4])|(?<lt><|less\s+than)\s*(?<max>[0-4])|=?\s*(?<list>[0-4](?:\s*(?:-|–|~|to|,|or|and|,\s*or)\s*[0-4])*))(?!\s*%|\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex EcogScores();

    [GeneratedRegex(@"\b(?:prior|previous|previously|earlier|history\s+of|received|receipt\s+of|treated\s+with|after|following|failed|relapsed\s+after|progressed\s+after)\b[^.;]{0,60}?\b(?:CAR[-\s]?T|CAR\s+T[-\s]cell|chimeric\s+antigen\s+receptor|CAR-?modified|genetically\s+modified\s+T)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PriorCarTMention();

    [GeneratedRegex(@"\b(?:CNS|central\s+nervous\s+system|brain|leptomeningeal|meningeal)\b[^.;]{0,40}?\b(?:involvement|leuka?emia|lymphoma|metasta\w*|infiltration|localization|tumou?rs?|malignanc\w*)|\bactive\s+(?:CNS|central\s+nervous\s+system)\s+(?:\(CNS\)\s+)?disease|\b(?:brain|cerebral|CNS)\s+metasta\w*|\bCNS[-\s]?[23]\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex CnsMention();

    [GeneratedRegex(@"\b(?:allowed|permitted|eligible|may\s+be\s+(?:enrolled|included)|are\s+(?:acceptable|included)|is\s+acceptable|can\s+be\s+(?:enrolled|included)|unless|may\s+participate|except\s+(?:for\s+)?(?:those|patients|subjects))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Allowed();

    [GeneratedRegex(@"\b(?:no|without|excluding|except|not\s+(?:allowed|permitted|eligible))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Negated();

    [GeneratedRegex(@"\b(?:untreated|symptomatic|uncontrolled|active|actively|progressing|progressive|unstable)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Restrictive();

    [GeneratedRegex(@"\b(?:provided|if|must|unless|only|stable|treated|at\s+least|prior\s+to|weeks?|months?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Conditional();

    public static IReadOnlyList<ScreeningFact> From(IEnumerable<string> inclusion, IEnumerable<string> exclusion)
    {
        var included = inclusion.ToList();
        var excluded = exclusion.ToList();
        var facts = new List<ScreeningFact>();
        try
        {
            if (EcogFrom(included) is { } ecog)
            {
                facts.Add(ecog);
            }

            if (Stated(PriorCarT, PriorCarTMention(), included, excluded) is { } prior)
            {
                facts.Add(prior);
            }

            if (Stated(Cns, CnsMention(), included, excluded) is { } cns)
            {
                facts.Add(cns);
            }
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("screening", ex);
        }

        return facts;
    }

    /// <summary>The ECOG scores an inclusion criterion admits, as "0–1" (from 0 to the highest admitted).</summary>
    private static ScreeningFact? EcogFrom(IEnumerable<string> inclusion)
    {
        foreach (var criterion in inclusion)
        {
            foreach (Match mention in EcogMention().Matches(criterion))
            {
                var scores = EcogScores().Match(mention.Groups["tail"].Value);
                if (!scores.Success)
                {
                    continue;
                }

                int max;
                if (scores.Groups["list"].Success)
                {
                    max = scores.Groups["list"].Value.Where(char.IsDigit).Max() - '0';
                }
                else
                {
                    max = scores.Groups["max"].Value[0] - '0' - (scores.Groups["lt"].Success ? 1 : 0);
                }

                if (max >= 0)
                {
                    return new ScreeningFact(Ecog, max == 0 ? "0" : $"0–{max}", criterion);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// "allowed" when an inclusion criterion names it (required, or said to be allowed); "excluded" when an exclusion
    /// criterion names it, "excluded with exceptions" when that criterion makes one; nothing when no criterion does.
    /// </summary>
    private static ScreeningFact? Stated(string topic, Regex mention, IReadOnlyList<string> inclusion, IReadOnlyList<string> exclusion)
    {
        // An inclusion criterion that names it admits it (a criterion that reads as an exclusion, "symptomatic brain
        // metastases", says nothing for sure and is left out).
        var asIncluded = inclusion.FirstOrDefault(c => mention.IsMatch(c) && !Negated().IsMatch(c[..mention.Match(c).Index])
            && (!Restrictive().IsMatch(c) || Allowed().IsMatch(c)));
        if (asIncluded is not null)
        {
            return new ScreeningFact(topic, Conditional().IsMatch(asIncluded) ? "allowed with conditions" : "allowed", asIncluded);
        }

        foreach (var criterion in exclusion.Where(c => mention.IsMatch(c)))
        {
            // An exclusion that makes an exception ("treated brain metastases are eligible if …") excludes with conditions.
            return Allowed().IsMatch(criterion) && !Regex.IsMatch(criterion, @"\bnot\s+(?:allowed|permitted|eligible)\b", RegexOptions.IgnoreCase, PatternLimits.MatchTimeout)
                ? new ScreeningFact(topic, "excluded with exceptions", criterion)
                : new ScreeningFact(topic, "excluded", criterion);
        }

        return null;
    }
}
