using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>Routes of administration named in free text, in the order the text names them.</summary>
public static class RouteExtractor
{
    // Each route's pattern with the words one of its alternatives needs, so that most texts never reach the pattern.
    private static readonly (Route Route, string[] Gate, Regex Pattern)[] Patterns =
    [
        (Route.Intravenous, ["venous", "i.v.", "IV", "vein"], R(@"\bintra-?venous(?:ly)?\b|\bi\.v\.|\b(?-i:IV)\b(?=\s+(?:infusion|injection|administration|route|over|bolus|push|drip|once)\b)|\((?-i:IV)\)|\b(?:into|through|by|via|in)\s+(?:a\s+)?vein\b|\bvenous\s+infusion\b")),
        (Route.Intraperitoneal, ["peritoneal", "i.p."], R(@"\bintra-?peritoneal(?:ly)?\b|\bi\.p\.\s+(?:infusion|injection)")),
        (Route.Intrapleural, ["pleural", "thoracic"], R(@"\bintra-?pleural(?:ly)?\b|\bintra-?thoracic(?:ally)?\b|\bpleural (?:cavity )?(?:infusion|injection|perfusion)\b")),
        (Route.Intratumoral, ["tumoral", "tumoural", "lesional"], R(@"\bintra-?tumou?ral(?:ly)?\b|\bintra-?lesional(?:ly)?\b")),
        (Route.Intrathecal, ["thecal"], R(@"\bintra-?thecal(?:ly)?\b")),
        (Route.Intraventricular, ["ventricular", "ICV", "Ommaya"], R(@"\bintra-?(?:cerebro)?ventricular(?:ly)?\b|\bICV\b|\bOmmaya\b")),
        (Route.IntraArterial, ["arter"], R(@"\bintra-?arterial(?:ly)?\b|\btrans-?arterial\b|\bhepatic arter(?:y|ial) infusion\b")),
    ];

    public static IReadOnlyList<Route> Extract(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var hits = new List<(int Index, Route Route)>();
        foreach (var (route, gate, pattern) in Patterns)
        {
            if (!MayName(text, gate))
            {
                continue;
            }

            try
            {
                var m = pattern.Match(text);
                if (m.Success)
                {
                    hits.Add((m.Index, route));
                }
            }
            catch (RegexMatchTimeoutException ex)
            {
                PatternLimits.TimedOut("routes", ex);
            }
        }

        return hits.OrderBy(h => h.Index).Select(h => h.Route).ToList();
    }

    private static readonly Regex CoMedication = R(@"\b(?:chemotherap\w*|fludarabine|cyclophosphamide|bendamustine|mesna|midazolam|lidocaine|anesthe\w*|anaesthe\w*|sedat\w*|tocilizumab|steroids?|corticosteroids?|dexamethasone|methylprednisolone|rituximab|obinutuzumab|aldesleukin|interleukin|IL-2|antibiotics?|hydration|fluids?|saline|contrast|methotrexate|cytarabine|premedication|bridging)\b");

    private static readonly Regex CellWords = R(@"\b(?-i:CAR)|\bcells?\b|\bproduct\b|\bchimeric\b|\b(?-i:TCR)\b|cabtagene|leucel|\binfus(?:ion|ed)\s+of\b|\bvector\b|\bstudy\s+drug\b|\binvestigational\b|\b(?-i:IMP)\b");

    private static bool MayName(string text, string[] gate)
    {
        foreach (var word in gate)
        {
            if (text.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Routes of the trial's own product in a sentence: a route next to a conditioning drug or a co-medication
    /// ("intrathecal chemotherapy", "IV midazolam", "fludarabine … intravenously") is that drug's, not the product's.
    /// </summary>
    public static IReadOnlyList<Route> ForProduct(string? sentence)
    {
        if (string.IsNullOrEmpty(sentence))
        {
            return [];
        }

        var routes = new List<(int Index, Route Route)>();
        foreach (var (route, gate, pattern) in Patterns)
        {
            if (!MayName(sentence, gate))
            {
                continue;
            }

            try
            {
                foreach (Match m in pattern.Matches(sentence))
                {
                    // A route belongs to a co-medication named right beside it ("fludarabine 25 mg/m² IV", "intrathecal chemotherapy").
                    var from = Math.Max(0, m.Index - 30);
                    var to = Math.Min(sentence.Length, m.Index + m.Length + 18);
                    var before = sentence[from..m.Index];
                    var after = sentence[(m.Index + m.Length)..to];
                    var coMedBefore = LastIndex(CoMedication, before);
                    var cellBefore = LastIndex(CellWords, before);
                    var coMedAfter = FirstIndex(CoMedication, after);
                    var cellAfter = FirstIndex(CellWords, after);
                    // The nearer of the two decides whose route it is.
                    var coMed = Math.Min(coMedBefore < 0 ? int.MaxValue : before.Length - coMedBefore, coMedAfter < 0 ? int.MaxValue : coMedAfter);
                    var cell = Math.Min(cellBefore < 0 ? int.MaxValue : before.Length - cellBefore, cellAfter < 0 ? int.MaxValue : cellAfter);
                    if (coMed < cell || (coMed < int.MaxValue && cell == int.MaxValue))
                    {
                        continue;
                    }

                    routes.Add((m.Index, route));
                    break;
                }
            }
            catch (RegexMatchTimeoutException ex)
            {
                PatternLimits.TimedOut("routes", ex);
            }
        }

        return routes.OrderBy(h => h.Index).Select(h => h.Route).ToList();
    }

    private static int LastIndex(Regex regex, string text)
    {
        var last = -1;
        foreach (Match m in regex.Matches(text))
        {
            last = m.Index + m.Length;
        }

        return last;
    }

    private static int FirstIndex(Regex regex, string text) => regex.Match(text) is { Success: true } m ? m.Index : -1;

    /// <summary>The route named by a label such as "Intraperitoneal injection group".</summary>
    public static Route? FromLabel(string label) => Extract(label) is [var first, ..] ? first : null;

    private static Regex R(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeout);
}
