using System.Text.RegularExpressions;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>
/// Conditioning (lymphodepleting) agents. An agent counts when the text around it speaks of lymphodepletion or
/// conditioning, or when the trial lists it as an intervention of its own.
/// </summary>
public static class LymphodepletionExtractor
{
    private static readonly (string Agent, Regex Pattern)[] Agents =
    [
        ("fludarabine", R(@"\bfludarabine\b|\bFlu(?=\s*/\s*Cy\b)|\bFludara\b")),
        ("cyclophosphamide", R(@"\bcyclophosphamide\b|(?<=\bFlu\s*/\s*)Cy\b|\bCytoxan\b")),
        ("bendamustine", R(@"\bbendamustine\b")),
        ("melphalan", R(@"\bmelphalan\b")),
        ("alemtuzumab", R(@"\balemtuzumab\b")),
        ("busulfan", R(@"\bbusulfan\b")),
        ("nab-paclitaxel", R(@"\bnab-?paclitaxel\b")),
    ];

    private static readonly Regex Context = R(
        @"lympho-?\s?depl|lymphocyte[s]?\s+(?:depletion|clearance|clearing|reduction)|lymphocyte-depleting|lymphodepleting|\b(?:pre-?)?conditioning\b|\bpre-?treatment\b|\bFlu\s*/\s*Cy\b|\bFC regimen\b|before (?:the )?(?:CAR|cell) infusion|prior to (?:the )?(?:CAR|cell) infusion");

    /// <summary>Agents named in prose that speaks of conditioning.</summary>
    public static IEnumerable<string> FromProse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        try
        {
            return Context.IsMatch(text) ? Agents.Where(a => a.Pattern.IsMatch(text)).Select(a => a.Agent).ToList() : [];
        }
        catch (RegexMatchTimeoutException)
        {
            return [];
        }
    }

    /// <summary>Agents that are interventions of their own (a CAR-T trial lists its conditioning drugs so).</summary>
    public static IEnumerable<string> FromInterventionNames(IEnumerable<string> names) =>
        names.SelectMany(n => Agents.Where(a => a.Pattern.IsMatch(n)).Select(a => a.Agent));

    private static Regex R(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeout);
}
