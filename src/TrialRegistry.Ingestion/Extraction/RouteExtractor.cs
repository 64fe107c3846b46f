using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>Routes of administration named in free text, in the order the text names them.</summary>
public static class RouteExtractor
{
    private static readonly (Route Route, Regex Pattern)[] Patterns =
    [
        (Route.Intravenous, R(@"\bintra-?venous(?:ly)?\b|\bi\.v\.|\bIV\s+(?:infusion|injection|administration|route)\b|\bvenous infusion\b")),
        (Route.Intraperitoneal, R(@"\bintra-?peritoneal(?:ly)?\b|\bi\.p\.\s+(?:infusion|injection)")),
        (Route.Intrapleural, R(@"\bintra-?pleural(?:ly)?\b|\bintra-?thoracic(?:ally)?\b|\bpleural (?:cavity )?(?:infusion|injection|perfusion)\b")),
        (Route.Intratumoral, R(@"\bintra-?tumou?ral(?:ly)?\b|\bintra-?lesional(?:ly)?\b")),
        (Route.Intrathecal, R(@"\bintra-?thecal(?:ly)?\b")),
        (Route.Intraventricular, R(@"\bintra-?(?:cerebro)?ventricular(?:ly)?\b|\bICV\b|\bOmmaya\b")),
        (Route.IntraArterial, R(@"\bintra-?arterial(?:ly)?\b|\btrans-?arterial\b|\bhepatic arter(?:y|ial) infusion\b")),
    ];

    public static IReadOnlyList<Route> Extract(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var hits = new List<(int Index, Route Route)>();
        foreach (var (route, pattern) in Patterns)
        {
            try
            {
                var m = pattern.Match(text);
                if (m.Success)
                {
                    hits.Add((m.Index, route));
                }
            }
            catch (RegexMatchTimeoutException)
            {
            }
        }

        return hits.OrderBy(h => h.Index).Select(h => h.Route).ToList();
    }

    /// <summary>The route named by a label such as "Intraperitoneal injection group".</summary>
    public static Route? FromLabel(string label) => Extract(label) is [var first, ..] ? first : null;

    private static Regex R(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeout);
}
