using System.Text.RegularExpressions;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>
/// Conditioning (lymphodepleting) agents. Fludarabine and cyclophosphamide, the usual pair, count wherever a cell
/// therapy's own prose gives them; other agents (bendamustine, melphalan, busulfan, alemtuzumab, …) only where the
/// sentence speaks of lymphodepletion or conditioning and not of bridging therapy. A sentence that says no
/// conditioning is given ("No lymphodepleting chemotherapy is used", "patients skip the fludarabine and
/// cyclophosphamide") gives none. Agents listed as interventions of their own count too.
/// </summary>
public static class LymphodepletionExtractor
{
    private static readonly (string Agent, Regex Pattern, bool Usual)[] Agents =
    [
        ("fludarabine", R(@"\bfludarabine\b|\bFlu(?=\s*/\s*Cy\b)|\bFludara\b"), true),
        ("cyclophosphamide", R(@"\bcyclophosphamide\b|(?<=\bFlu\s*/\s*)Cy\b|\bCytoxan\b"), true),
        ("bendamustine", R(@"\bbendamustine\b"), false),
        ("melphalan", R(@"\bmelphalan\b"), false),
        ("alemtuzumab", R(@"\balemtuzumab\b"), false),
        ("allo-647", R(@"\bALLO-?647\b"), false),
        ("busulfan", R(@"\bbusulfan\b"), false),
        ("nab-paclitaxel", R(@"\bnab-?paclitaxel\b"), false),
    ];

    // Words one of the agents' names contains; a sentence with none of them names no agent.
    private static readonly string[] Keywords = ["fludara", "cyclophos", "cytoxan", "flu/", "flu-", "bendamust", "melphalan", "alemtuzumab", "busulfan", "paclitaxel", "647"];

    private static readonly Regex Context = R(
        @"lympho-?\s?depl|lymphocyte[s]?\s+(?:depletion|clearance|clearing|reduction)|lymphocyte-depleting|lymphodepleting|\b(?:pre-?)?conditioning\b|\bpre-?treatment\b|\bFlu\s*/\s*Cy\b|\bFC\s+regimen\b|\b(?:before|prior\s+to)\s+(?:the\s+)?(?:CAR|cell|T[\s-]cell)\s+infusion|\bbefore\s+receiving\s+the\s+cells|make\s+room|prepares?\s+(?:your|the)\s+immune\s+system");

    private static readonly Regex Negation = R(
        @"\bno\s+(?:\w+\s+){0,2}(?:lympho-?\s?depl\w*|conditioning|pre-?conditioning|chemotherapy)\b|\bwithout\s+(?:any\s+|prior\s+)?(?:lympho-?\s?depl\w*|conditioning|pre-?conditioning|chemotherapy)|\bnot\s+(?:be\s+)?(?:given|receive|used|administered|required|needed)\b|\bdoes\s+not\s+require\b|\bskip|\bomit|\bavoid|\bspar(?:e|es|ing)\b|\bno\s+(?:need|requirement)\s+for\b|\bfree\s+of\b");

    private static readonly Regex Bridging = R(@"\bbridging\b|\bsalvage\b|\bstandard\s+of\s+care\b|\bcomparator\b|\bcontrol\s+arm\b|\ballergic|\breaction\s+to\b|\bhypersensitiv");

    private static readonly Regex Cells = R(@"\b(?-i:CAR)|chimeric|\b(?-i:TCR)\b|T[\s-]cells?|NK\s+cells?|cell\s+therap|cabtagene|leucel");

    /// <summary>Whether names speak of cells at all (a trial without a known modality still lists its conditioning when they do).</summary>
    public static bool MentionsCells(string names) => Cells.IsMatch(names);

    /// <summary>Agents the sentences give as conditioning.</summary>
    public static IEnumerable<string> FromSentences(IEnumerable<string> sentences)
    {
        var found = new List<string>();
        foreach (var sentence in sentences)
        {
            if (!Keywords.Any(k => sentence.Contains(k, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            try
            {
                if (Negation.IsMatch(sentence))
                {
                    continue;
                }

                var context = Context.IsMatch(sentence) && !Bridging.IsMatch(sentence);
                found.AddRange(Agents.Where(a => (a.Usual && !Bridging.IsMatch(sentence) || context) && a.Pattern.IsMatch(sentence)).Select(a => a.Agent));
            }
            catch (RegexMatchTimeoutException ex)
            {
                PatternLimits.TimedOut("lymphodepletion", ex);
            }
        }

        return found;
    }

    /// <summary>Agents in prose that speaks of conditioning (one text, for a labelled value such as "Lymphodepletion: Fludarabine and cyclophosphamide").</summary>
    public static IEnumerable<string> FromProse(string? text) => string.IsNullOrEmpty(text) ? [] : FromSentences([text]);

    /// <summary>Agents that are interventions of their own (a CAR-T trial lists its conditioning drugs so).</summary>
    public static IEnumerable<string> FromInterventionNames(IEnumerable<string> names) =>
        names.SelectMany(n => Agents.Where(a => a.Pattern.IsMatch(n)).Select(a => a.Agent));

    private static Regex R(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeout);
}
