using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>
/// The checks clinicians screen on first, read criterion by criterion from a trial's inclusion and exclusion items:
/// age, sex, ECOG / Karnofsky / Lansky, laboratory thresholds with units normalised, prior CAR-T, prior therapy
/// against an antigen, prior transplant, prior lines, disease state, CNS involvement, HIV / HBV / HCV, pregnancy and
/// antigen expression. Each check is in the form the patient must satisfy, whichever side the item is on, and keeps
/// the item's text. A reader that is unsure says nothing: a criterion whose wording it does not recognise stays
/// text (the labelled set under tests/ scores precision, which must stay at or above 95%).
/// </summary>
public static partial class EligibilityChecks
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>
    /// The reader's version: stored checks read by another version are read again from the stored criteria when the
    /// database is migrated. Change it with any change to what the reader finds.
    /// </summary>
    public const string Version = "1";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static string ToJson(IReadOnlyList<EligibilityCheck> checks) => JsonSerializer.Serialize(checks, Json);

    /// <summary>Stored checks; none for null or unreadable JSON.</summary>
    public static IReadOnlyList<EligibilityCheck> FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<EligibilityCheck>>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static IReadOnlyList<EligibilityCheck> From(Eligibility? eligibility) =>
        eligibility is null ? [] : From(eligibility.Inclusion, eligibility.Exclusion);

    /// <summary>The checks of a trial's inclusion and exclusion criteria, in order.</summary>
    public static IReadOnlyList<EligibilityCheck> From(IEnumerable<Criterion> inclusion, IEnumerable<Criterion> exclusion) =>
        [
            .. inclusion.SelectMany(c => From(c.Flattened, CriterionKind.Inclusion)),
            .. exclusion.SelectMany(c => From(c.Flattened, CriterionKind.Exclusion)),
        ];

    /// <summary>The checks one criterion states.</summary>
    public static IReadOnlyList<EligibilityCheck> From(string criterion, CriterionKind side)
    {
        var checks = new List<EligibilityCheck>();
        if (string.IsNullOrWhiteSpace(criterion) || criterion.Length > 4000)
        {
            return checks;
        }

        try
        {
            // Each reader runs only on a criterion holding a word it needs (a bulk load reads every criterion).
            var text = Normalise(criterion);
            var digits = text.AsSpan().IndexOfAnyInRange('0', '9') >= 0;
            if (digits && Has(text, "age", "year", "yr", "yoa", "old"))
            {
                Age(text, side, checks);
            }

            if (side == CriterionKind.Inclusion && Has(text, "male", "women", "men", "woman", "man "))
            {
                Sex(text, side, checks);
            }

            if (Has(text, "ecog", "eastern", "who", "zubrod", "karnofsky", "kps", "lansky", "lps"))
            {
                Performance(text, side, checks);
            }

            if ((digits || Has(text, "uln", "upper limit")) && Has(text, AnalyteWords))
            {
                Labs(text, side, checks);
            }

            if (Has(text, "line", "regimen"))
            {
                PriorLines(text, side, checks);
            }

            DiseaseState(text, side, checks);
            PriorTherapy(text, side, checks);
            if (Has(text, "transplant", "sct", "bmt", "hct", "graft"))
            {
                Transplant(text, side, checks);
            }

            Cns(text, side, checks);
            Infections(text, side, checks);
            Pregnancy(text, side, checks);
            if (Has(text, "positiv", "express", "+", "negativ", "stain", "ihc"))
            {
                Expression(text, side, checks);
            }
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("eligibility checks", ex);
            return [];
        }

        return checks.Select(c => c with { Side = side, Criterion = criterion }).ToList();
    }

    // A word every analyte name holds, for skipping the analyte pattern on criteria that name none.
    private static readonly string[] AnalyteWords =
    [
        "neutrophil", "anc", "agc", "granulocyte", "platelet", "plt", "thrombocyte", "globin", "hgb", "hb", "lymphocyte", "alc",
        "creatinine", "crcl", "clcr", "ccr", "gfr", "glomerular", "bilirubin", "tbil", "transaminase", "aminotransferase", "alt",
        "gpt", "ast", "got", "ejection", "ef", "o2", "oxygen", "oximetry",
    ];

    private static bool Has(string text, params ReadOnlySpan<string> words)
    {
        foreach (var word in words)
        {
            if (text.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One spelling for the comparison signs documents write in many ways.</summary>
    private static string Normalise(string text) => text
        .Replace('⩾', '≥').Replace('⩽', '≤').Replace('＞', '>').Replace('＜', '<').Replace('≧', '≥').Replace('≦', '≤')
        .Replace(">/=", "≥", StringComparison.Ordinal).Replace("</=", "≤", StringComparison.Ordinal)
        .Replace("=>", "≥", StringComparison.Ordinal).Replace("=<", "≤", StringComparison.Ordinal)
        .Replace(">=", "≥", StringComparison.Ordinal).Replace("<=", "≤", StringComparison.Ordinal)
        .Replace('‐', '-').Replace('‑', '-').Replace('–', '-').Replace('—', '-').Replace('µ', 'u').Replace('μ', 'u');

    // ---- comparisons -------------------------------------------------------------------------------------------

    private const string Comparator =
        @"(?<cmp>≥|≤|>\s*or\s*=|<\s*or\s*=|>(?!\s*or)|<(?!\s*or)|at\s+least|no\s+(?:less|lower|fewer)\s+than|not\s+(?:less|lower)\s+than|(?:greater|more|higher)\s+than\s+or\s+equal\s+to|equal\s+to\s+or\s+(?:greater|more|higher)\s+than|(?:less|lower)\s+than\s+or\s+equal\s+to|equal\s+to\s+or\s+(?:less|lower)\s+than|no\s+(?:more|greater|higher)\s+than|not\s+(?:more|greater|higher)\s+than|not\s+(?:to\s+)?exceed(?:ing)?|(?:greater|more|higher|older)\s+than|above|over|(?:less|lower|younger)\s+than|below|under|up\s+to|(?:a\s+)?minimum(?:\s+of)?|(?:a\s+)?maximum(?:\s+of)?)";

    private static string? OpOf(string comparator)
    {
        var c = KeptPatterns.Replace(comparator.ToLowerInvariant(), @"\s+", " ", RegexOptions.None, PatternLimits.MatchTimeout);
        if (c is "≥" || c.StartsWith("> or", StringComparison.Ordinal) || c.StartsWith("at least", StringComparison.Ordinal)
            || c.Contains("or equal to", StringComparison.Ordinal) && (c.StartsWith("greater", StringComparison.Ordinal) || c.StartsWith("more", StringComparison.Ordinal) || c.StartsWith("higher", StringComparison.Ordinal))
            || c.StartsWith("equal to or greater", StringComparison.Ordinal) || c.StartsWith("equal to or more", StringComparison.Ordinal) || c.StartsWith("equal to or higher", StringComparison.Ordinal)
            || c.StartsWith("no less", StringComparison.Ordinal) || c.StartsWith("no lower", StringComparison.Ordinal) || c.StartsWith("no fewer", StringComparison.Ordinal)
            || c.StartsWith("not less", StringComparison.Ordinal) || c.StartsWith("not lower", StringComparison.Ordinal) || c.Contains("minimum", StringComparison.Ordinal))
        {
            return ">=";
        }

        if (c is "≤" || c.StartsWith("< or", StringComparison.Ordinal) || c.Contains("or equal to", StringComparison.Ordinal) || c.StartsWith("equal to or", StringComparison.Ordinal)
            || c.StartsWith("no more", StringComparison.Ordinal) || c.StartsWith("no greater", StringComparison.Ordinal) || c.StartsWith("no higher", StringComparison.Ordinal)
            || c.StartsWith("not more", StringComparison.Ordinal) || c.StartsWith("not greater", StringComparison.Ordinal) || c.StartsWith("not higher", StringComparison.Ordinal)
            || c.Contains("exceed", StringComparison.Ordinal) || c.StartsWith("up to", StringComparison.Ordinal) || c.Contains("maximum", StringComparison.Ordinal))
        {
            return "<=";
        }

        if (c is ">" || c.StartsWith("greater", StringComparison.Ordinal) || c.StartsWith("more", StringComparison.Ordinal) || c.StartsWith("higher", StringComparison.Ordinal) || c.StartsWith("older", StringComparison.Ordinal) || c is "above" or "over")
        {
            return ">";
        }

        return c is "<" || c.StartsWith("less", StringComparison.Ordinal) || c.StartsWith("lower", StringComparison.Ordinal) || c.StartsWith("younger", StringComparison.Ordinal) || c is "below" or "under" ? "<" : null;
    }

    /// <summary>The requirement an exclusion states: a patient is excluded below a limit, so must be at or above it.</summary>
    private static string Invert(string op) => op switch
    {
        ">=" => "<",
        ">" => "<=",
        "<=" => ">",
        _ => ">=",
    };

    private const string Number = @"(?<num>\d{1,3}(?:,\d{3})+(?![\d.])|\d+(?:[.,·]\d+)?)";

    private static double ParseNumber(string number)
    {
        var n = KeptPatterns.IsMatch(number, @"^\d{1,3}(?:,\d{3})+$", RegexOptions.None, PatternLimits.MatchTimeout)
            ? number.Replace(",", string.Empty, StringComparison.Ordinal)
            : number.Replace(',', '.').Replace('·', '.');
        return double.Parse(n, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static readonly Dictionary<string, int> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6,
    };

    // Words that make an exception to, or put a condition on, what a criterion says.
    [GeneratedRegex(@"\b(?:unless|except|exception|if|provided|as\s+long\s+as|only\s+if|in\s+(?:the\s+)?case|for\s+(?:patients|subjects|participants)|in\s+(?:patients|subjects|participants)|allowed|permitted|eligible|acceptable|may\s+be|can\s+be)\b", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ExceptionWords();

    [GeneratedRegex(@"\b(?:no|not|without|absence\s+of|free\s+of|negative|excluding|none)\b", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NegationWords();

    [GeneratedRegex(@"\b(?:allowed|permitted|(?:are|is)\s+eligible|may\s+(?:be\s+)?(?:enrolled|included|participate|eligible)|(?:are|is)\s+acceptable|can\s+be\s+(?:enrolled|included))\b", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AllowedWords();

    // ---- age ---------------------------------------------------------------------------------------------------

    [GeneratedRegex(@"\b(?:age[ds]?|aged)\b[^.;\d]{0,30}?(?:between\s+|from\s+)?(?<a>\d{1,2})(?:\s*(?:years?|yrs?|y)(?:\s*old)?)?\s*(?:-|~|to|and|through)\s*(?<b>\d{1,3})\s*(?:years?|yrs?|y)?\b(?!\s*(?:months?|weeks?|days?))|\b(?<a>\d{1,2})\s*(?:-|~|to)\s*(?<b>\d{1,3})\s*(?:years?|yrs?)\s*,?\s*(?:old|of\s+age|\(inclusive\)|inclusive)", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AgeRange();

    [GeneratedRegex(@"\b(?:age[ds]?|aged)\b(?:\s*(?:at|of|on)\s+(?:the\s+)?(?:time\s+of\s+)?(?:enrollment|enrolment|screening|consent|signing[^.;≥≤<>\d]{0,30}|study\s+entry|inclusion|registration))?\s*(?:is\s+|must\s+be\s+|should\s+be\s+|:|of\s+|\()*\s*" + Comparator + @"\s*(?<n>\d{1,3})(?!\s*(?:months?|weeks?|days?|%))", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AgeBoundAfterWord();

    [GeneratedRegex(Comparator + @"\s*(?<n>\d{1,3})\s*(?:years?|yrs?|(?-i:YoA|yoa))(?:\s*old|\s*of\s+age)?|" + Comparator + @"\s*(?:the\s+)?age\s+(?:of\s+)?(?<n>\d{1,3})\b(?!\s*(?:months?|weeks?|days?))", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AgeBoundBeforeYears();

    [GeneratedRegex(@"(?:\b|(?<=\baged?\s+))(?<n>\d{1,3})\s*(?:years?|yrs?)(?:\s*old|\s*of\s+age)?\s*(?:or|and)\s*(?<dir>older|over|above|greater|more|elder|younger|less|under|below)\b|\baged?\s+(?<n>\d{1,3})\s*(?:or|and)\s*(?<dir>older|over|above|younger|under|below)\b", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AgeOrOlder();

    [GeneratedRegex(@"\b(?:age[ds]?|aged|years?\s+old|years?\s+of\s+age|year-old|adults?|children|patients|subjects|participants|men|women|males?|females?|years?\s*(?:or|and)\s*(?:older|over|above|younger|under)|years?,?\s*inclusive|YoA)\b", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AgeContext();

    // Durations and histories that carry years without being an age.
    [GeneratedRegex(@"\b(?:life\s+expectancy|within|prior|previous|past|last|since|history|diagnos\w*|duration|survival|follow|interval|free|remission|ago|after|before|weeks?|months?|disease-free)\b", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NotAnAge();

    private static void Age(string text, CriterionKind side, List<EligibilityCheck> checks)
    {
        if (!AgeContext().IsMatch(text))
        {
            return;
        }

        double? min = null;
        double? max = null;
        var range = AgeRange().Match(text);
        if (range.Success)
        {
            var a = int.Parse(range.Groups["a"].Value, CultureInfo.InvariantCulture);
            var b = int.Parse(range.Groups["b"].Value, CultureInfo.InvariantCulture);
            if (a >= b || b > 120 || side == CriterionKind.Exclusion)
            {
                return;
            }

            (min, max) = (a, b);
        }
        else
        {
            foreach (var bound in Bounds(text))
            {
                var op = side == CriterionKind.Exclusion ? Invert(bound.Op) : bound.Op;
                switch (op)
                {
                    case ">=": min ??= bound.N; break;
                    case ">": min ??= bound.N + 1; break;
                    case "<=": max ??= bound.N; break;
                    default: max ??= bound.N - 1; break;
                }
            }
        }

        if ((min is null && max is null) || min > 100 || max > 120 || min >= max)
        {
            return;
        }

        checks.Add(new EligibilityCheck { Kind = CheckKind.Age, Min = min, Max = max, Conditional = ConditionalAge(text) });
    }

    private static IEnumerable<(string Op, int N)> Bounds(string text)
    {
        foreach (var m in AgeBoundAfterWord().Matches(text).Concat(AgeBoundBeforeYears().Matches(text)).OrderBy(m => m.Index))
        {
            var before = text[Math.Max(0, m.Index - 25)..m.Index];
            if (OpOf(m.Groups["cmp"].Value) is { } op && !NotAnAge().IsMatch(before + m.Value) && !ScopedToSome().IsMatch(before))
            {
                yield return (op, int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture));
            }
        }

        foreach (Match m in AgeOrOlder().Matches(text))
        {
            var before = text[Math.Max(0, m.Index - 25)..m.Index];
            if (NotAnAge().IsMatch(before + m.Value) || ScopedToSome().IsMatch(before))
            {
                continue;
            }

            var older = m.Groups["dir"].Value.ToLowerInvariant() is "older" or "over" or "above" or "greater" or "more" or "elder";
            yield return (older ? ">=" : "<=", int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture));
        }
    }

    // "for patients aged 16 years or older, …", "if younger than 16": a clause about some patients, not the trial's age limit.
    [GeneratedRegex(@"\b(?:for|in|if|when|whose|with)\s+(?:(?:the|all|those|patients|subjects|participants|children|minors|who|are|is)\s+){0,3}(?:aged?\s+)?$", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ScopedToSome();

    private static bool ConditionalAge(string text) =>
        KeptPatterns.IsMatch(text, @"\b(?:unless|except|if|for\s+(?:the\s+)?(?:phase|cohort|part|arm|dose)|in\s+(?:the\s+)?(?:phase|cohort|part)|cohort|part\s+[a-z0-9]\b)", Options, PatternLimits.MatchTimeout);

    // ---- sex ---------------------------------------------------------------------------------------------------

    [GeneratedRegex(@"^\W*(?:[A-Z]{1,4}\d{0,3}\s*:\s*)?(?:you\s+are\s+an?\s+)?(?:(?:adult|post-?menopausal|pre-?menopausal|non-?pregnant|ambulatory|healthy)\s+)?(?<sex>females?|women|woman|males?|men|man)\b(?!\s*(?:or|and|/)\s*(?:wo)?(?:fe)?m)|\b(?<sex>female|male)\s+(?:only)\b|\bonly\s+(?<sex>females?|males?|women|men)\b", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex SexOnly();

    private static void Sex(string text, CriterionKind side, List<EligibilityCheck> checks)
    {
        if (side != CriterionKind.Inclusion
            || KeptPatterns.IsMatch(text, @"\b(?:child-?bearing|pregnan|contracep|lactat|breast-?feed|partner|sperm|birth\s+control|both\s+sexes|either\s+sex|(?:fe)?males?\s+(?:and|or|/)\s+(?:fe)?males?|(?:wo)?men\s+(?:and|or)\s+(?:wo)?men)", Options, PatternLimits.MatchTimeout))
        {
            return;
        }

        var m = SexOnly().Match(text);
        if (m.Success)
        {
            var female = m.Groups["sex"].Value.StartsWith("f", StringComparison.OrdinalIgnoreCase) || m.Groups["sex"].Value.StartsWith("w", StringComparison.OrdinalIgnoreCase);
            checks.Add(new EligibilityCheck { Kind = CheckKind.Sex, Sex = female ? "female" : "male" });
        }
    }

    // ---- performance status ------------------------------------------------------------------------------------

    [GeneratedRegex(@"\b(?:ECOG|Eastern\s+Cooperative\s+Oncology\s+Group|WHO\s+performance(?:\s+status)?|Zubrod)\b(?=(?<tail>[^;]{0,90}))", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex EcogMention();

    private const string ScoreFiller = @"(?:\s|performance|status|scores?|scale|fitness|of|is|must|be|should|grade|level|\(?PS\)?|\(?ECOG\)?|\(?WHO\)?|\(?PS/ECOG\)?|:|\(|\)|,)*";

    [GeneratedRegex("^" + ScoreFiller + Comparator + @"\s*(?<n>[0-4])(?!\d|\.\d|\s*%)", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex EcogBound();

    [GeneratedRegex("^" + ScoreFiller + @"=?\s*(?<list>[0-4](?:\s*(?:-|~|to|,|or|and|,\s*or)\s*[0-4])*)(?!\d|\.\d|\s*%)", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex EcogList();

    [GeneratedRegex(@"\b(?<scale>Karnofsky|KPS|Lansky|LPS)\b(?=(?<tail>[^;]{0,70}))", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PercentScaleMention();

    [GeneratedRegex("^" + ScoreFiller + @"(?:index|\(?KPS\)?|\(?LPS\)?|play)?" + ScoreFiller + Comparator + @"\s*(?<n>\d{2,3})\s*%?", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PercentBound();

    [GeneratedRegex("^" + ScoreFiller + @"(?:index|\(?KPS\)?|\(?LPS\)?|play)?" + ScoreFiller + @"(?<a>\d{2,3})\s*%?\s*(?:-|to)\s*100\b", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PercentRange();

    private static void Performance(string text, CriterionKind side, List<EligibilityCheck> checks)
    {
        var found = new List<(EligibilityCheck Check, int Index)>();
        foreach (Match mention in EcogMention().Matches(text))
        {
            var tail = mention.Groups["tail"].Value;
            int? max = null;
            var bound = EcogBound().Match(tail);
            if (bound.Success && OpOf(bound.Groups["cmp"].Value) is { } op)
            {
                var n = bound.Groups["n"].Value[0] - '0';
                op = side == CriterionKind.Exclusion ? Invert(op) : op;
                max = op switch { "<=" => n, "<" => n - 1, _ => null };
            }
            else if (EcogList().Match(tail) is { Success: true } list)
            {
                var scores = list.Groups["list"].Value.Where(char.IsDigit).Select(c => c - '0').ToList();
                max = side == CriterionKind.Exclusion ? scores.Min() - 1 : scores.Max();
            }

            if (max is >= 0 and <= 4)
            {
                found.Add((new EligibilityCheck { Kind = CheckKind.Ecog, Max = max }, mention.Index));
                break;
            }
        }

        foreach (Match mention in PercentScaleMention().Matches(text))
        {
            var kind = mention.Groups["scale"].Value.StartsWith('L') || mention.Groups["scale"].Value.StartsWith('l') ? CheckKind.Lansky : CheckKind.Karnofsky;
            if (found.Any(f => f.Check.Kind == kind))
            {
                continue;
            }

            var tail = mention.Groups["tail"].Value;
            double? min = null;
            if (PercentBound().Match(tail) is { Success: true } bound && OpOf(bound.Groups["cmp"].Value) is { } op)
            {
                var n = int.Parse(bound.Groups["n"].Value, CultureInfo.InvariantCulture);
                op = side == CriterionKind.Exclusion ? Invert(op) : op;
                min = op switch { ">=" => n, "<" when side == CriterionKind.Exclusion => null, _ => null };
                if (side == CriterionKind.Exclusion && OpOf(bound.Groups["cmp"].Value) == "<")
                {
                    min = n;
                }
            }
            else if (side == CriterionKind.Inclusion && PercentRange().Match(tail) is { Success: true } range)
            {
                min = int.Parse(range.Groups["a"].Value, CultureInfo.InvariantCulture);
            }

            if (min is >= 10 and <= 100)
            {
                found.Add((new EligibilityCheck { Kind = kind, Min = min }, mention.Index));
            }
        }

        var either = found.Count > 1 && KeptPatterns.IsMatch(text, @"\bor\b", Options, PatternLimits.MatchTimeout);
        var conditional = found.Count > 0 && KeptPatterns.IsMatch(text, @"\b(?:if|unless|except|for\s+(?:patients|subjects|participants|those)|aged?|years|Child-?Pugh)\b", Options, PatternLimits.MatchTimeout);
        checks.AddRange(found.Select(f => f.Check with { Either = either, Conditional = conditional && !either }));
    }

    // ---- laboratory thresholds ---------------------------------------------------------------------------------

    [GeneratedRegex(@"\b(?:(?<anc>absolute\s+neutrophils?(?:\s+count)?|absolute\s+granulocyte\s+count|(?-i:ANC|AGC)|neutrophils?(?:\s+(?:count|granulocytes))?)|(?<platelets>platelets?(?:\s+counts?)?|(?-i:PLT)|thrombocytes?(?:\s+count)?)|(?<hemoglobin>ha?emoglobin|(?-i:Hgb|HGB|Hb|HB))|(?<lymphocytes>absolute\s+lymphocytes?(?:\s+count)?|(?-i:ALC)|(?<![-+]\s?)(?<!T\s)(?<!T-)(?<!CD\d\+?\s)lymphocytes?(?:\s+count)?)|(?<crcl>(?:calculated\s+|measured\s+|estimated\s+)?creatinine\s+clearance|(?-i:CrCl|CrCL|CLcr|CCr|Ccr|eGFR|GFR)|(?:estimated\s+)?glomerular\s+filtration\s+rate)|(?<creatinine>(?:serum\s+)?creatinine(?!\s+clearance)|(?-i:SCr|sCr))|(?<bilirubin>(?:total\s+|direct\s+|serum\s+|conjugated\s+)?bilirubin|(?-i:TBIL|TBil))|(?<both>(?:serum\s+)?transaminases?|aminotransferases?|liver\s+transaminases?)|(?<alt>(?-i:ALT|SGPT|GPT)|alanine\s+(?:amino)?transferase|alanine\s+transaminase)|(?<ast>(?-i:AST|SGOT|GOT)|aspartate\s+(?:amino)?transferase|aspartate\s+transaminase)|(?<lvef>(?:left\s+ventricular\s+)?ejection\s+fraction|(?-i:LVEF|EF))|(?<spo2>(?-i:SpO2|SaO2|SPO2|SpO₂)|(?:blood\s+|peripheral\s+|arterial\s+)?oxygen\s+saturation|O2\s+saturation|pulse\s+oximetry))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Analyte();

    private static readonly string[] AnalyteGroups = ["anc", "platelets", "hemoglobin", "lymphocytes", "crcl", "creatinine", "bilirubin", "both", "alt", "ast", "lvef", "spo2"];

    [GeneratedRegex(@"^[^;]*?" + Comparator + @"\s*(?:\([<>≤≥=]{1,2}\)\s*)?" + Number + @"\s*(?<unit>[x×*]\s*10\s*(?:\^|e|E)?\s*(?:9|⁹)\s*/\s*L|[x×*]\s*10\s*(?:\^|e|E)?\s*(?:3|³)\s*/\s*(?:u|mc|m)?(?:L|l|mm\s*(?:3|³|\^3))|[x×*]?\s*10\s*9\s*/\s*L|G/L|(?:cells\s*)?/\s*(?:u|mc)L|(?:cells\s*)?/\s*mm\s*(?:3|³|\^3)|/\s*cumm|/\s*mcl|K/uL|g/dL|g/dl|g\s*/\s*L|mmol/L|mg/dL|mg/dl|mg\s*%|umol/L|umol/l|m[Ll]/min(?:ute)?|milli-?lit(?:er|re)s?\s*(?:/|per)\s*min(?:ute)?|cc/min|[x×*]\s*(?:the\s+)?(?:institutional\s+|local\s+)?(?:upper\s+limit\s+(?:of\s+)?(?:the\s+)?normal|ULN)|(?:times|fold)\s+(?:the\s+)?(?:institutional\s+|local\s+)?(?:upper\s+limit(?:\s+(?:of\s+)?(?:the\s+)?normal)?|ULN)|(?:the\s+)?ULN|U/L|IU/L|%)?", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Threshold();

    private static void Labs(string text, CriterionKind side, List<EligibilityCheck> checks)
    {
        var mentions = Analyte().Matches(text).Where(m => m.Success).ToList();
        if (mentions.Count == 0)
        {
            return;
        }

        var found = new List<(EligibilityCheck Check, int Index)>();
        var pending = new List<string>();
        for (var i = 0; i < mentions.Count; i++)
        {
            var m = mentions[i];
            var analytes = AnalyteGroups.Where(g => m.Groups[g].Success)
                .SelectMany(g => g switch { "both" => new[] { "alt", "ast" }, "crcl" => ["creatinine-clearance"], _ => [g] }).ToList();
            var end = i + 1 < mentions.Count ? mentions[i + 1].Index : Math.Min(text.Length, m.Index + m.Length + 90);
            var window = text[(m.Index + m.Length)..end];
            foreach (var a in analytes.Where(a => !pending.Contains(a)))
            {
                pending.Add(a);
            }

            // "ALT and AST ≤ 2.5 × ULN", "AST (SGOT)/ALT (SGPT) ≤ 3 × ULN": names joined by connectors share the threshold after the last.
            var bare = KeptPatterns.Replace(window, @"\([^()]{0,80}\)|\[[^\[\]]{0,80}\]", " ", RegexOptions.None, PatternLimits.MatchTimeout);
            if (KeptPatterns.IsMatch(bare, @"^(?:\s|and|or|/|,|\(|\)|&|\+|(?-i:[A-Z]{2,5}))*$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeout) && i + 1 < mentions.Count)
            {
                continue;
            }

            var t = Threshold().Match(window);
            if (t.Success && !KeptPatterns.IsMatch(text[Math.Max(0, m.Index - 12)..m.Index], @"\b(?:e\.?g\.?|for\s+example|such\s+as|i\.e\.?)\W*$", Options, PatternLimits.MatchTimeout) && OpOf(t.Groups["cmp"].Value) is { } op && !KeptPatterns.IsMatch(t.Value, @"\b(?:and|or)\b\s*(?:ha?emoglobin|platelet|neutrophil)", Options, PatternLimits.MatchTimeout))
            {
                var value = ParseNumber(t.Groups["num"].Value);
                foreach (var analyte in pending)
                {
                    if (Normalised(analyte, value, t.Groups["unit"].Value) is { } lab && found.All(f => f.Check.Analyte != analyte))
                    {
                        var rest = window[(t.Index + t.Length)..];
                        var conditional = KeptPatterns.IsMatch(rest, @"^\s*[(\[]?[^)\];]{0,80}\b(?:if|for|in\s+(?:patients|subjects|case)|unless|except|with|Gilbert|metasta|involvement|infiltration)\b", Options, PatternLimits.MatchTimeout)
                            || KeptPatterns.IsMatch(text[..m.Index], @"\b(?:if|for\s+(?:patients|subjects)|in\s+(?:patients|subjects)\s+with|unless)\b[^;.]{0,60}$", Options, PatternLimits.MatchTimeout);
                        found.Add((new EligibilityCheck
                        {
                            Kind = CheckKind.Lab,
                            Analyte = analyte,
                            Op = side == CriterionKind.Exclusion ? Invert(op) : op,
                            Value = lab.Value,
                            Unit = lab.Unit,
                            Conditional = conditional,
                        }, m.Index));
                    }
                }
            }

            pending.Clear();
        }

        // Two thresholds of different analytes offered as alternatives ("creatinine ≤ 1.5 mg/dL or creatinine clearance ≥ 60").
        for (var i = 0; i + 1 < found.Count; i++)
        {
            var between = text[found[i].Index..found[i + 1].Index];
            if (KeptPatterns.IsMatch(between, @"\bor\b(?!\s*(?:AST|ALT|SGOT|SGPT))", RegexOptions.CultureInvariant, PatternLimits.MatchTimeout)
                && !KeptPatterns.IsMatch(between, @"and/or", RegexOptions.CultureInvariant, PatternLimits.MatchTimeout)
                && KeptPatterns.IsMatch(between, Comparator, Options, PatternLimits.MatchTimeout))
            {
                found[i] = (found[i].Check with { Either = true }, found[i].Index);
                found[i + 1] = (found[i + 1].Check with { Either = true }, found[i + 1].Index);
            }
        }

        checks.AddRange(found.Select(f => f.Check));
    }

    /// <summary>A threshold in the analyte's unit, or null when the unit is missing or not one the analyte is measured in.</summary>
    private static (double Value, string Unit)? Normalised(string analyte, double value, string unitText)
    {
        var unit = KeptPatterns.Replace(unitText, @"\s+", string.Empty, RegexOptions.None, PatternLimits.MatchTimeout).ToLowerInvariant();
        var uln = unit.Contains("uln", StringComparison.Ordinal) || unit.Contains("upperlimit", StringComparison.Ordinal);
        switch (analyte)
        {
            case "anc" or "platelets" or "lymphocytes":
                if (KeptPatterns.IsMatch(unit, @"10\^?e?(?:9|⁹)/l|^g/l$|^109/l|x109/l", RegexOptions.None, PatternLimits.MatchTimeout))
                {
                    return (value, LabUnits.PerNanoLitre);
                }

                if (KeptPatterns.IsMatch(unit, @"10\^?e?(?:3|³)/|^k/ul", RegexOptions.None, PatternLimits.MatchTimeout))
                {
                    return (value, LabUnits.PerNanoLitre);
                }

                if (KeptPatterns.IsMatch(unit, @"/(?:u|mc)l$|/mm|/cumm|/mcl", RegexOptions.None, PatternLimits.MatchTimeout) || (unit.Length == 0 && value >= 500))
                {
                    return (Math.Round(value / 1000, 3), LabUnits.PerNanoLitre);
                }

                return null;
            case "hemoglobin":
                if (unit is "g/dl" || (unit.Length == 0 && value is >= 5 and <= 20))
                {
                    return (value, LabUnits.GramsPerDecilitre);
                }

                if (unit is "g/l")
                {
                    return (Math.Round(value / 10, 2), LabUnits.GramsPerDecilitre);
                }

                return unit is "mmol/l" ? (Math.Round(value * 1.611, 1), LabUnits.GramsPerDecilitre) : null;
            case "creatinine" or "bilirubin":
                if (uln)
                {
                    return (value, LabUnits.TimesUpperLimit);
                }

                if (unit is "mg/dl" or "mg%")
                {
                    return (value, LabUnits.MilligramsPerDecilitre);
                }

                return unit is "umol/l" ? (Math.Round(value / (analyte == "creatinine" ? 88.4 : 17.1), 2), LabUnits.MilligramsPerDecilitre) : null;
            case "creatinine-clearance":
                return unit.StartsWith("ml/min", StringComparison.Ordinal) || unit.StartsWith("millilit", StringComparison.Ordinal) || unit is "cc/min" ? (value, LabUnits.MillilitresPerMinute) : null;
            case "alt" or "ast":
                if (uln)
                {
                    return (value, LabUnits.TimesUpperLimit);
                }

                return unit is "u/l" or "iu/l" ? (value, LabUnits.UnitsPerLitre) : null;
            case "lvef" or "spo2":
                return unit is "%" || (unit.Length == 0 && value is >= 20 and <= 100) ? (value, LabUnits.Percent) : null;
            default:
                return null;
        }
    }

    // ---- prior lines of therapy --------------------------------------------------------------------------------

    [GeneratedRegex(@"(?:(?<cmp>at\s+least|≥|>|a\s+minimum\s+of|minimum\s+of|more\s+than|greater\s+than|no\s+(?:more|fewer|less)\s+than|not\s+more\s+than|≤|<|up\s+to)\s*)?\b(?<n>[1-6]|one|two|three|four|five|six)\s*(?:\(\d\)\s*)?(?<more>or\s+more\s+|\+\s*|or\s+greater\s+)?(?:[\w-]+\s+){0,4}?(?:lines?|regimens?)\b", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex LinesCount();

    private static void PriorLines(string text, CriterionKind side, List<EligibilityCheck> checks)
    {
        var m = LinesCount().Match(text);
        if (!m.Success || KeptPatterns.IsMatch(text, @"\b(?:Arm|Cohort|Part)\s+[A-Z0-9]\b", RegexOptions.CultureInvariant, PatternLimits.MatchTimeout) || KeptPatterns.IsMatch(text[m.Index..], @"^[^;.]{0,60}\b(?:maintenance|consolidation)\b", Options, PatternLimits.MatchTimeout))
        {
            return;
        }

        var n = Words.TryGetValue(m.Groups["n"].Value, out var w) ? w : int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        var cmp = m.Groups["cmp"].Value.ToLowerInvariant();
        double? min = null;
        double? max = null;
        if (KeptPatterns.IsMatch(text[..m.Index], @"\b(?:a\s+total\s+of|exactly|only)\s*$", Options, PatternLimits.MatchTimeout))
        {
            (min, max) = (n, n);
        }
        else if (m.Groups["more"].Success || cmp.StartsWith("at least", StringComparison.Ordinal) || cmp is "≥" || cmp.Contains("minimum", StringComparison.Ordinal) || cmp.StartsWith("no fewer", StringComparison.Ordinal) || cmp.StartsWith("no less", StringComparison.Ordinal))
        {
            min = n;
        }
        else if (cmp is ">" || cmp.StartsWith("more", StringComparison.Ordinal) || cmp.StartsWith("greater", StringComparison.Ordinal))
        {
            min = n + 1;
        }
        else if (cmp is "≤" || cmp.StartsWith("no more", StringComparison.Ordinal) || cmp.StartsWith("not more", StringComparison.Ordinal) || cmp.StartsWith("up to", StringComparison.Ordinal))
        {
            max = n;
        }
        else if (cmp is "<")
        {
            max = n - 1;
        }
        else if (KeptPatterns.IsMatch(text[..m.Index], @"\b(?:after|following|received|failed|failure\s+of|progressed\s+(?:on|after)|relapsed\s+after|refractory\s+to|treated\s+with|prior)\b[^;.]{0,40}$", Options, PatternLimits.MatchTimeout)
            || KeptPatterns.IsMatch(m.Value, @"\b(?:prior|previous)\b", Options, PatternLimits.MatchTimeout))
        {
            min = n;
        }
        else
        {
            return;
        }

        if (side == CriterionKind.Exclusion)
        {
            (min, max) = (max is { } mx ? mx + 1 : null, min is { } mn ? mn - 1 : null);
        }

        if (min is null && max is null)
        {
            return;
        }

        var conditional = KeptPatterns.IsMatch(text, @"\b(?:or|unless|except|if|for\s+(?:patients|subjects|those)|cohort)\b", Options, PatternLimits.MatchTimeout);
        checks.Add(new EligibilityCheck { Kind = CheckKind.PriorLines, Min = min, Max = max, Conditional = conditional });
    }

    // ---- disease state -----------------------------------------------------------------------------------------

    [GeneratedRegex(@"\brelapsed\s*(?:and\s*/\s*or|/|or|and|,)\s*(?:(?:primary|primarily)\s+)?refractory\b|\brelapsed\s+or\s+(?:is|are|was|were|has\s+been|have\s+been)\s+(?:primary\s+)?refractory\b|\brefractory\s*(?:and\s*/\s*or|/|or)\s*relapsed\b|(?<![\w/])(?-i:r/r|R/R|r/R|RR)(?![\w/])|\brelapsed-refractory\b", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex RelapsedRefractory();

    [GeneratedRegex(@"\bmeasurable\b", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Measurable();

    private static void DiseaseState(string text, CriterionKind side, List<EligibilityCheck> checks)
    {
        if (side != CriterionKind.Inclusion)
        {
            return;
        }

        if (RelapsedRefractory().IsMatch(text))
        {
            checks.Add(new EligibilityCheck { Kind = CheckKind.DiseaseState, State = "relapsed-refractory", Stance = CheckStance.Required });
        }

        var measurable = Measurable().Match(text);
        if (measurable.Success
            && !KeptPatterns.IsMatch(text, @"\b(?:non-?|not\s+)measurable|measurable\s+(?:and\s*/\s*)?or\s+(?:non-?measurable|evaluable)|evaluable\s+(?:and\s*/\s*)?or\s+measurable|measurable\s+residual\s+disease|minimal\s+residual|\bMRD\b", Options, PatternLimits.MatchTimeout))
        {
            checks.Add(new EligibilityCheck { Kind = CheckKind.DiseaseState, State = "measurable", Stance = CheckStance.Required });
        }
    }

    // ---- prior CAR-T and prior therapy against an antigen ------------------------------------------------------

    [GeneratedRegex(@"\b(?:prior|previous|previously|earlier|history\s+of|received|receipt\s+of|treated\s+with|treatment\s+with|exposure\s+to|exposed\s+to|have\s+had|has\s+had|had|failed|failure\s+of|(?:relapsed|relapse|progressed|progression|recurrence|recurred)\s+(?:on|after|following)|refractory\s+to)\b[^.;]{0,60}?(?<what>\bCAR[-\s]?T\b|\bCAR[-\s]T[-\s]cells?\b|\bCAR[-\s]?(?:NK|modified|based)\b|chimeric\s+antigen\s+receptor|genetically\s+(?:modified|engineered)\s+(?:T|immune|cell))", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PriorCarTMention();

    private static readonly Lazy<Regex> AntigenName = new(() => new Regex(
        @"(?<!\w)(?<antigen>" + string.Join("|", AntigenVocabulary.Spellings().Where(s => s.Spelling.Length >= 3 || s.Spelling.Any(char.IsDigit)).Select(s => Regex.Escape(s.Spelling))) + @")(?![\w])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout));

    // The rest of a list of antigens after its first name ("… and/or CD20").
    private static readonly Lazy<Regex> ListedAfter = new(() => new Regex(
        @"^(?:\s*(?:and\s*/\s*or|or|and|/|,)\s*" + AntigenName.Value + ")+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout));

    private static string? Symbol(string spelling) => AntigenVocabulary.Find(spelling)?.Symbol;

    private static void PriorTherapy(string text, CriterionKind side, List<EligibilityCheck> checks)
    {
        var car = PriorCarTMention().Match(text);
        var qualified = car.Success && AntigenName.Value.IsMatch(text[car.Index..Math.Min(text.Length, car.Index + car.Length + 50)]);
        if (car.Success && !KeptPatterns.IsMatch(text, @"\bcontracep|\bbirth\s+control", Options, PatternLimits.MatchTimeout)
            && StanceOf(text, car.Index, side) is { } carStance && !(qualified && carStance == CheckStance.Excluded))
        {
            checks.Add(new EligibilityCheck { Kind = CheckKind.PriorCarT, Stance = carStance, Conditional = ExceptionAfter(text, car.Index + car.Length) || (carStance == CheckStance.Allowed && ExceptionWords().Count(text) > 1) });
        }

        // "prior anti-CD19 therapy", "previous BCMA-targeted treatment", "refractory to an anti-CD38 antibody".
        foreach (Match prior in KeptPatterns.Matches(text, @"\b(?:prior|previous|previously|history\s+of|received|receipt\s+of|treated\s+with|treatment\s+with|exposure\s+to|exposed\s+to|refractory\s+to|failed|any\s+(?:therapy|therapies|treatment|agent|drug)s?)\b", Options, PatternLimits.MatchTimeout))
        {
            var window = text[(prior.Index + prior.Length)..Math.Min(text.Length, prior.Index + prior.Length + 70)];
            var sentenceEnd = window.IndexOfAny(['.', ';']);
            window = sentenceEnd >= 0 ? window[..sentenceEnd] : window;
            foreach (Match a in AntigenName.Value.Matches(window))
            {
                var around = window[a.Index..];
                var before = window[..a.Index];
                var targeted = KeptPatterns.IsMatch(before, @"anti-?\s*$", Options, PatternLimits.MatchTimeout)
                    || KeptPatterns.IsMatch(around, @"^\S+\s*[-\s]?(?:targeted|directed|targeting|specific|bispecific|CAR|monoclonal|antibod|T-cell\s+engager|ADC|BiTE)", Options, PatternLimits.MatchTimeout)
                    || KeptPatterns.IsMatch(before, @"\b(?:targeting|targeted\s+(?:to|at|against)|directed\s+(?:against|at|to)|against)\s+(?:[\w-]+\s*(?:,|or|and|and/or|/)\s*){0,3}$", Options, PatternLimits.MatchTimeout);
                if (!targeted || Symbol(a.Groups["antigen"].Value) is not { } symbol || checks.Any(c => c.Kind == CheckKind.PriorAntigenTherapy && c.Antigen == symbol))
                {
                    continue;
                }

                if (StanceOf(text, prior.Index, side) is { } stance)
                {
                    checks.Add(new EligibilityCheck { Kind = CheckKind.PriorAntigenTherapy, Antigen = symbol, Stance = stance, Conditional = ExceptionAfter(text, prior.Index) || AllowedWords().IsMatch(text) });
                }
            }
        }
    }

    /// <summary>
    /// What a criterion says of the state it names at <paramref name="index"/>: on the exclusion side it excludes unless
    /// the criterion says it is allowed; on the inclusion side it is required, excluded when negated before it ("no
    /// prior CAR-T"), allowed when said to be.
    /// </summary>
    private static CheckStance? StanceOf(string text, int index, CriterionKind side)
    {
        var allowed = AllowedWords().IsMatch(text) && !KeptPatterns.IsMatch(text, @"\bnot\s+(?:be\s+)?(?:allowed|permitted|eligible|acceptable)\b", Options, PatternLimits.MatchTimeout);
        if (side == CriterionKind.Exclusion)
        {
            // "Prior X. Other X-targeting agents are allowed only if …" still excludes X; the exception makes it conditional.
            return CheckStance.Excluded;
        }

        // "Subjects previously treated with CD19-targeted therapy must have …": those patients may join, on a condition.
        if (KeptPatterns.IsMatch(text, @"^\W*(?:subjects|patients|participants|those)\s+(?:who\s+)?(?:have\s+|had\s+|were\s+)?(?:previously|received|been\s+treated|treated|with\s+(?:a\s+)?(?:prior|previous|history))", Options, PatternLimits.MatchTimeout)
            && KeptPatterns.IsMatch(text, @"\b(?:must|should|need|are\s+eligible|is\s+allowed|may)\b", Options, PatternLimits.MatchTimeout))
        {
            return CheckStance.Allowed;
        }

        var before = text[Math.Max(0, index - 40)..index];
        if (NegationWords().IsMatch(before) || KeptPatterns.IsMatch(text, @"\bnot\s+(?:have\s+)?(?:received|had|been\s+treated)\b|\b(?:naive|naïve)\b", Options, PatternLimits.MatchTimeout))
        {
            return CheckStance.Excluded;
        }

        return allowed ? CheckStance.Allowed : CheckStance.Required;
    }

    private static bool ExceptionAfter(string text, int index) =>
        KeptPatterns.IsMatch(text[Math.Min(index, text.Length)..], @"\b(?:unless|except|if|provided|as\s+long\s+as|only\s+if|at\s+least\s+\d|within|more\s+than\s+\d|less\s+than\s+\d)\b", Options, PatternLimits.MatchTimeout);

    // ---- transplant --------------------------------------------------------------------------------------------

    [GeneratedRegex(@"(?<type>allogeneic|allogenic|allo|autologous|auto)?[\s-]*(?:(?:ha?ematopoietic|hematopoetic|bone\s+marrow|peripheral\s+blood)?\s*(?:stem[\s-]*cells?|progenitor\s+cells?|cells?)?\s*(?:transplant(?:ation)?s?|grafts?)|(?-i:HSCT|SCT|BMT|HCT|ASCT|HSC\s+transplant))", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex TransplantMention();

    private static void Transplant(string text, CriterionKind side, List<EligibilityCheck> checks)
    {
        foreach (Match m in TransplantMention().Matches(text))
        {
            var phrase = m.Value.Trim();
            if (phrase.Length < 3 || KeptPatterns.IsMatch(text, @"\b(?:solid[\s-]+organ|organ\s+transplant|kidney|renal\s+transplant|liver\s+transplant|heart\s+transplant|corneal|allograft\s+organ)\b", Options, PatternLimits.MatchTimeout)
                && !KeptPatterns.IsMatch(phrase, @"stem|marrow|HSCT|SCT|BMT|HCT|ha?ematopoietic", Options, PatternLimits.MatchTimeout))
            {
                continue;
            }

            if (!KeptPatterns.IsMatch(phrase, @"stem|marrow|HSCT|SCT|BMT|HCT|ha?ematopoietic|progenitor|allogene?ic|autologous", Options, PatternLimits.MatchTimeout))
            {
                continue;
            }

            var type = m.Groups["type"].Value.ToLowerInvariant() switch
            {
                "allogeneic" or "allogenic" or "allo" => "allogeneic",
                "autologous" or "auto" => "autologous",
                _ => phrase.StartsWith("ASCT", StringComparison.Ordinal) ? "autologous" : "any",
            };
            var before = text[Math.Max(0, m.Index - 50)..m.Index];

            // Candidacy is not history: "ineligible for autologous transplant", "planned transplant".
            if (KeptPatterns.IsMatch(before, @"\b(?:ineligible|not\s+(?:be\s+)?(?:eligible|a\s+candidate|suitable)|unfit|unsuitable|candidates?|refus\w*|decline\w*|planned|plan|intend\w*|eligible|bridge|bridging|consolidat\w*|prepar\w*|before|for)\b[^;.]{0,25}$", Options, PatternLimits.MatchTimeout)
                || KeptPatterns.IsMatch(text[(m.Index + m.Length)..], @"^\s*(?:-?\s*eligible|-?\s*ineligible|candidates?|is\s+planned|donor)", Options, PatternLimits.MatchTimeout))
            {
                continue;
            }

            // On the inclusion side a transplant is most often one of several routes into the trial ("relapsed after
            // chemotherapy, or after transplant"): only a criterion that says it is allowed is read.
            if (side == CriterionKind.Inclusion && !AllowedWords().IsMatch(text))
            {
                continue;
            }

            if (checks.Any(c => c.Kind == CheckKind.PriorTransplant && (c.TransplantType == type || type == "any")) || StanceOf(text, m.Index, side) is not { } stance)
            {
                continue;
            }

            int? within = null;
            var after = text[(m.Index + m.Length)..Math.Min(text.Length, m.Index + m.Length + 60)];
            var w = KeptPatterns.Match(after, @"^[^;,.]{0,25}?(?:\b(?:within|in\s+the\s+(?:past|last|previous)|less\s+than)\s+(?:the\s+)?(?:(?:past|last|previous)\s+)?|[<≤]\s*)(?<n>\d{1,3})\s*(?<u>days?|weeks?|months?|years?)\b", Options, PatternLimits.MatchTimeout);
            if (w.Success && stance == CheckStance.Excluded)
            {
                var n = int.Parse(w.Groups["n"].Value, CultureInfo.InvariantCulture);
                within = w.Groups["u"].Value.ToLowerInvariant()[0] switch { 'd' => n, 'w' => n * 7, 'm' => n * 30, _ => n * 365 };
            }

            var conditional = KeptPatterns.IsMatch(text, @"\b(?:unless|except|if|provided|GVHD|graft[\s-]versus[\s-]host|immunosuppress)\w*", Options, PatternLimits.MatchTimeout);
            checks.Add(new EligibilityCheck { Kind = CheckKind.PriorTransplant, TransplantType = type, Stance = stance, WithinDays = within, Conditional = conditional });
        }
    }

    // ---- CNS involvement ---------------------------------------------------------------------------------------

    [GeneratedRegex(@"\b(?:CNS|central\s+nervous\s+system|brain|leptomeningeal|meningeal|cerebral|intracranial)\b[^.;]{0,40}?\b(?:involvement|leuka?emia|lymphoma|metasta\w*|infiltration|localization|disease\s+involvement|tumou?r\s+involvement|lesions?\s+of\s+(?:the\s+)?(?:disease|lymphoma|leuka?emia))|\bactive\s+(?:CNS|central\s+nervous\s+system)\s+(?:\(CNS\)\s+)?(?:disease|involvement)|\b(?:brain|cerebral|CNS|leptomeningeal)\s+metasta\w*|\bCNS[-\s]?[23]\b|\bleptomeningeal\s+(?:disease|carcinomatosis)|\b(?:CNS|central\s+nervous\s+system)\s+(?:\(CNS\)\s+)?(?:involvement|disease)\b|\b(?:metasta\w*|tumou?rs?|lesions?)\s+(?:to|of|in)\s+(?:the\s+)?(?:brain|CNS|central\s+nervous\s+system)", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex CnsMention();

    private static void Cns(string text, CriterionKind side, List<EligibilityCheck> checks)
    {
        var m = CnsMention().Match(text);
        if (!m.Success || KeptPatterns.IsMatch(m.Value, @"^(?:brain|cerebral)\b[^.;]*\b(?:tumou?rs?)\b", Options, PatternLimits.MatchTimeout))
        {
            return;
        }

        CheckStance stance;
        var before = text[Math.Max(0, m.Index - 40)..m.Index];
        if (side == CriterionKind.Exclusion)
        {
            stance = CheckStance.Excluded;
        }
        else if (NegationWords().IsMatch(before))
        {
            stance = CheckStance.Excluded;
        }
        else if (AllowedWords().IsMatch(text)
            || !KeptPatterns.IsMatch(text, @"\b(?:untreated|symptomatic|uncontrolled|active|actively|progressing|progressive|unstable)\b", Options, PatternLimits.MatchTimeout))
        {
            // An inclusion that names CNS disease ("secondary CNS lymphoma") admits it; one that reads as an exclusion
            // ("symptomatic brain metastases" under the inclusion heading) says nothing sure.
            stance = CheckStance.Allowed;
        }
        else
        {
            return;
        }

        var conditional = KeptPatterns.IsMatch(text, @"\b(?:unless|except|exception|if|provided|as\s+long\s+as|untreated|symptomatic|uncontrolled|progressive|progressing|unstable|stable|treated|allowed|permitted|eligible|prior\s+history)\b", Options, PatternLimits.MatchTimeout);
        checks.Add(new EligibilityCheck { Kind = CheckKind.Cns, Stance = stance, Conditional = conditional });
    }

    // ---- infections --------------------------------------------------------------------------------------------

    [GeneratedRegex(@"(?<hiv>\bHIV(?:-?[12])?\b|human\s+immunodeficiency\s+virus|\bAIDS\b)|(?<hbv>hepatitis\s+B(?!\s*(?:vaccin|immun))|\bHBV\b|\bHBsAg\b|\bHBcAb\b|\banti-?HBc\b|\bHBV-?DNA\b)|(?<hcv>hepatitis\s+C\b|\bHCV\b|\bHCV-?RNA\b|\banti-?HCV\b)|(?<bc>hepatitis\s+(?:B\s*(?:/|or|and|,)\s*C|B,\s*C)\b|\bHBV\s*(?:/|or|and)\s*HCV\b)", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex InfectionMention();

    private static void Infections(string text, CriterionKind side, List<EligibilityCheck> checks)
    {
        var agents = new List<(string Agent, int Index)>();
        foreach (Match m in InfectionMention().Matches(text))
        {
            if (m.Groups["bc"].Success)
            {
                agents.Add(("HBV", m.Index));
                agents.Add(("HCV", m.Index));
            }
            else
            {
                agents.Add((m.Groups["hiv"].Success ? "HIV" : m.Groups["hbv"].Success ? "HBV" : "HCV", m.Index));
            }
        }

        if (agents.Count == 0
            || KeptPatterns.IsMatch(text, @"\b(?:vaccin\w*|serolog\w*\s+(?:testing|test)\s+(?:is\s+)?(?:not\s+)?required|prophyla\w*|reactivation|screening\s+is\s+(?:not\s+)?required|concurrent(?:ly)?\s+(?:active\s+)?(?:HBV|hepatitis\s+B)\b[^;]{0,100}\band\s+(?:HCV|hepatitis\s+C)|co-?infect\w*|virolog\w*\s+failure|medications?\b|inhibitors?\b|activity\s+against|carers?\b|caregivers?\b|mothers?\b|household)", Options, PatternLimits.MatchTimeout))
        {
            return;
        }

        // On the inclusion side: "negative for HIV" excludes; "HIV-positive patients are eligible if …" allows; "a
        // documented diagnosis of HIV-1 infection" requires; anything else says nothing sure.
        CheckStance? inclusionStance = KeptPatterns.IsMatch(text, @"\bmust\s+have\b[^.;]{0,40}\b(?:diagnosis|infection)\b", Options, PatternLimits.MatchTimeout) ? CheckStance.Required
            : AllowedWords().IsMatch(text) || KeptPatterns.IsMatch(text, @"\bor\s+(?:who|those|patients|subjects)\b", Options, PatternLimits.MatchTimeout)
                || KeptPatterns.IsMatch(text, @"^\W*(?:participants|patients|subjects|those)\s+(?:with|who\s+(?:have|are))\b[^.;]{0,80}\b(?:must|may|should)\b", Options, PatternLimits.MatchTimeout) ? CheckStance.Allowed
            : KeptPatterns.IsMatch(text, @"\b(?:negative|no\s+(?:evidence|history|active|known)|without|free\s+of|seronegative|not\s+(?:be\s+)?infected)\b", Options, PatternLimits.MatchTimeout) ? CheckStance.Excluded
            : KeptPatterns.IsMatch(text, @"\b(?:diagnosis\s+of|documented|confirmed|infected\s+with|living\s+with)\b", Options, PatternLimits.MatchTimeout) ? CheckStance.Required
            : null;

        var conditional = KeptPatterns.IsMatch(text, @"\b(?:unless|except|if|provided|as\s+long\s+as|carriers?|undetectable|viral\s+load|suppress\w*|controlled|antiviral|cured|sustained\s+virologic|only\s+if|eligible|allowed|permitted|may)\b", Options, PatternLimits.MatchTimeout);
        foreach (var (agent, index) in agents.DistinctBy(a => a.Agent))
        {
            if ((side == CriterionKind.Exclusion ? CheckStance.Excluded : inclusionStance) is not { } stance)
            {
                continue;
            }

            checks.Add(new EligibilityCheck { Kind = CheckKind.Infection, Agent = agent, Stance = stance, Conditional = conditional || stance == CheckStance.Allowed });
        }
    }

    // ---- pregnancy ---------------------------------------------------------------------------------------------

    [GeneratedRegex(@"\b(?:pregnant|pregnancy\s+test|pregnancy|breast[\s-]?feeding|breastfeed\w*|lactating|lactation|nursing\s+(?:women|mothers|females|patients))\b", Options, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PregnancyMention();

    private static void Pregnancy(string text, CriterionKind side, List<EligibilityCheck> checks)
    {
        var m = PregnancyMention().Match(text);
        if (!m.Success)
        {
            return;
        }

        var statusNamed = KeptPatterns.IsMatch(text, @"\b(?:pregnant|pregnancy\s+tests?|breast[\s-]?feeding|breastfeed\w*|lactating|lactation|nursing|(?:are|is|be|currently|during)\s+(?:in\s+)?pregnancy|pregnancy\s+(?:or|and|/)\s+(?:breast|lactat|nursing))\b", Options, PatternLimits.MatchTimeout);
        var aboutAvoiding = KeptPatterns.IsMatch(text, @"\b(?:avoid\w*|prevent\w*|plan\w*\s+(?:to\s+)?(?:become\s+)?pregnan|planning|intend\w*|wish\w*|father|partner|sperm|complicat\w*|withdraw\w*|becomes?\s+pregnant\s+during)\b", Options, PatternLimits.MatchTimeout)
            && !KeptPatterns.IsMatch(text, @"\b(?:are|is|currently)\s+pregnant|pregnancy\s+test|breast[\s-]?feeding|lactating", Options, PatternLimits.MatchTimeout);
        if (!statusNamed || aboutAvoiding)
        {
            return;
        }

        if (side == CriterionKind.Inclusion && !KeptPatterns.IsMatch(text, @"\b(?:negative|not\s+(?:be\s+)?pregnant|non-?pregnant|no\s+pregnancy|not\s+(?:breast|lactat|nursing))", Options, PatternLimits.MatchTimeout))
        {
            return;
        }

        checks.Add(new EligibilityCheck { Kind = CheckKind.Pregnancy, Stance = CheckStance.Excluded });
    }

    // ---- antigen expression ------------------------------------------------------------------------------------

    private static void Expression(string text, CriterionKind side, List<EligibilityCheck> checks)
    {
        if (KeptPatterns.IsMatch(text, @"\b(?:preferred|preferably|desirable|recommended|optional)\b", Options, PatternLimits.MatchTimeout))
        {
            return;
        }

        foreach (Match a in AntigenName.Value.Matches(text))
        {
            // "CD19 and/or CD20 expression": the names of a list share what follows the last.
            var after = ListedAfter.Value.Replace(text[(a.Index + a.Length)..], string.Empty, 1);
            var before = text[..a.Index];
            var positive = KeptPatterns.IsMatch(after, @"^\s*(?:[-]?\s*(?:positive|positivity|expressing|expression|\+|\(\+\)|overexpress\w*|high|bright)|\s+(?:IHC|immunohistochem\w*|staining)\b[^;.]{0,30}\b(?:positive|\d\+|≥|>))(?!\s*(?:T[-\s]?cells?|lymphocytes?|cells?\s*(?:count|/)|count|CAR|targeted))", Options, PatternLimits.MatchTimeout)
                || KeptPatterns.IsMatch(before, @"\b(?:(?:expression|expressing|positivity|positive)\s+(?:of|for)\s+(?:the\s+)?|express(?:es|ing)?\s+)$", Options, PatternLimits.MatchTimeout);
            var negative = KeptPatterns.IsMatch(after, @"^\s*[-]?\s*(?:negative|negativity|\(-\)|loss|dim)\b", Options, PatternLimits.MatchTimeout)
                || KeptPatterns.IsMatch(before, @"\b(?:loss\s+of|negative\s+for|absence\s+of|lack\s+of|without)\s+(?:\w+\s+){0,2}$", Options, PatternLimits.MatchTimeout);
            if (Symbol(a.Groups["antigen"].Value) is not { } symbol || checks.Any(c => c.Kind == CheckKind.AntigenExpression && c.Antigen == symbol)
                || KeptPatterns.IsMatch(before, @"(?:\banti-?|\bprior|\bprevious)\s*$", Options, PatternLimits.MatchTimeout)
                || KeptPatterns.IsMatch(before, @"\b(?:if|provided|unless|when)\b[^;.]{0,30}$", Options, PatternLimits.MatchTimeout))
            {
                continue;
            }

            CheckStance stance;
            if (side == CriterionKind.Inclusion && positive && !NegationWords().IsMatch(text[Math.Max(0, a.Index - 15)..a.Index]))
            {
                stance = CheckStance.Required;
            }
            else if (side == CriterionKind.Exclusion && negative)
            {
                stance = CheckStance.Required;
            }
            else if (side == CriterionKind.Exclusion && positive && !KeptPatterns.IsMatch(before, @"\b(?:prior|previous|target\w*|directed)\b", Options, PatternLimits.MatchTimeout))
            {
                stance = CheckStance.Excluded;
            }
            else
            {
                continue;
            }

            var conditional = KeptPatterns.IsMatch(text, @"\b(?:unless|except|if|only\s+(?:for|in)|for\s+(?:patients|subjects)\s+with|cohort|preferred)\b", Options, PatternLimits.MatchTimeout);
            checks.Add(new EligibilityCheck { Kind = CheckKind.AntigenExpression, Antigen = symbol, Stance = stance, Conditional = conditional });
        }

        var required = checks.Where(c => c.Kind == CheckKind.AntigenExpression).ToList();
        if (required.Count > 1 && KeptPatterns.IsMatch(text, @"\bor\b|/", Options, PatternLimits.MatchTimeout))
        {
            for (var i = 0; i < checks.Count; i++)
            {
                if (checks[i].Kind == CheckKind.AntigenExpression)
                {
                    checks[i] = checks[i] with { Either = true };
                }
            }
        }
    }
}
