using System.Globalization;
using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>Numbers written as words in prose ("Seventeen patients", "twenty-four participants").</summary>
public static class NumberWords
{
    private static readonly string[] Units = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    /// <summary>The alternation of number words, for patterns.</summary>
    public const string Pattern = @"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|ten|one|two|three|four|five|six|seven|eight|nine)";

    /// <summary>A count written in digits ("1,200") or words ("Seventeen"); null otherwise.</summary>
    public static int? Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (int.TryParse(t.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        var parts = t.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return null;
        }

        var total = 0;
        foreach (var part in parts)
        {
            var unit = Array.IndexOf(Units, part);
            var ten = Array.IndexOf(Tens, part);
            if (unit >= 0)
            {
                total += unit;
            }
            else if (ten >= 2)
            {
                total += ten * 10;
            }
            else
            {
                return null;
            }
        }

        return total;
    }
}

/// <summary>The recruitment status a sentence gives its study ("The study is recruiting", "active, not recruiting", "has been completed").</summary>
public static partial class StatusInProse
{
    private const string Study = @"(?:study|trial|protocol|it)";

    private static readonly (TrialStatus Status, Regex Pattern)[] Patterns =
    [
        (TrialStatus.ActiveNotRecruiting, R(@"\bactive,?\s+(?:but\s+)?not\s+recruiting\b|\bactive\s+but\s+no\s+longer\s+recruiting\b|\bno\s+longer\s+(?:recruiting|enrolling|enroling|accruing|taking\s+new\s+(?:volunteers|participants|patients|subjects))\b|\bclosed\s+to\s+(?:new\s+)?(?:accrual|enrol+ment|recruitment)\b|\b(?:enrol+ment|accrual|recruitment)\s+(?:is|has\s+been)\s+(?:complete|completed|closed)\b")),
        (TrialStatus.NotYetRecruiting, R(@"\bnot\s+yet\s+(?:recruiting|enrolling|open)\b|\b(?:will|is\s+expected\s+to|plans\s+to)\s+(?:begin|start)\s+(?:recruiting|enrol+ing|enrol+ment)\b")),
        (TrialStatus.Recruiting, R($@"\b{Study}\s+(?:is|are)\s+(?:now\s+|currently\s+|actively\s+|still\s+)?(?:recruiting|enrol+ing|accruing|open\s+(?:to|for)\s+(?:enrol+ment|accrual|recruitment))\b|\b(?:currently|now|actively)\s+(?:recruiting|enrol+ing)\b|\bis\s+listed\s+as\s+recruiting\b|^(?:status\s*:?\s*)?recruiting$|\bopen\s+(?:to|for)\s+(?:enrol+ment|accrual|recruitment)\b")),
        (TrialStatus.Suspended, R($@"\b{Study}\s+(?:is|was|has\s+been)\s+(?:temporarily\s+)?(?:suspended|paused|on\s+hold|halted)\b|\b(?:enrol+ment|recruitment)\s+(?:is|was|has\s+been)\s+(?:suspended|paused|on\s+hold)\b|^(?:status\s*:?\s*)?(?:suspended|temporarily\s+halted)$")),
        (TrialStatus.Terminated, R($@"\b{Study}\s+(?:was|has\s+been|is)\s+(?:terminated|stopped\s+early|ended\s+early|prematurely\s+(?:ended|stopped)|discontinued)\b|\bprematurely\s+ended\b|^(?:status\s*:?\s*)?terminated$")),
        (TrialStatus.Withdrawn, R($@"\b{Study}\s+(?:was|has\s+been)\s+withdrawn\b|^(?:status\s*:?\s*)?withdrawn$")),
        (TrialStatus.Completed, R($@"\b{Study}\s+(?:has\s+been|was|is|has)\s+completed\b(?!\s+(?:enrol|accrual|recruit))|\b{Study}\s+(?:has\s+)?(?:ended|finished|closed)\b(?!\s+(?:enrol|accrual|recruit|to))|^(?:status\s*:?\s*)?completed$|\(completed\)")),
    ];

    /// <summary>The status the first sentence that states one gives, else null.</summary>
    public static TrialStatus? Find(IEnumerable<string> sentences)
    {
        foreach (var sentence in sentences)
        {
            if (Of(sentence) is { } status)
            {
                return status;
            }
        }

        return null;
    }

    /// <summary>The status one sentence or labelled value gives ("Recruiting", "Prematurely Ended", "GB (Completed)").</summary>
    public static TrialStatus? Of(string sentence)
    {
        if (FieldParsers.Status(sentence) is { } named)
        {
            return named;
        }

        // "Status on ClinicalTrials.gov: Suspended", "Recruitment status: Recruiting".
        if (StatusLabel().Match(sentence) is { Success: true } labelled)
        {
            return Of(labelled.Groups["value"].Value);
        }

        try
        {
            foreach (var (status, pattern) in Patterns)
            {
                // "within 6 months after the trial is completed" speaks of a time to come, not of the status.
                if (pattern.Match(sentence) is { Success: true } m && !Conditional().IsMatch(sentence[Math.Max(0, m.Index - 25)..m.Index]))
                {
                    return status;
                }
            }

            return null;
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("status", ex);
            return null;
        }
    }

    [GeneratedRegex(@"^\s*(?:recruitment\s+|overall\s+|trial\s+|study\s+|current\s+)?status\b[^:]{0,40}:\s*(?<value>\S.{0,60})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex StatusLabel();

    [GeneratedRegex(@"\b(?:after|until|once|when|before|if|unless|by\s+the\s+time)\s+(?:the\s+)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Conditional();

    private static Regex R(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);
}

/// <summary>
/// The number of participants prose gives: enrolled ("134 participants were enrolled", "It randomized 359
/// patients", "Seventeen patients were enrolled") before planned ("plans to enroll up to 54 participants", "About 30
/// participants are planned", "sample size of 70"). Counts of patients treated, infused or evaluable are not the
/// enrollment.
/// </summary>
public static partial class EnrollmentInProse
{
    private const string N = @"(?<n>\d[\d,]*|" + NumberWords.Pattern + ")";
    private const string People = @"(?:participants|patients|subjects|people|persons|volunteers|adults|children|individuals|pts)";
    private const string About = @"(?:up\s+to\s+|approximately\s+|about\s+|around\s+|roughly\s+|a\s+total\s+of\s+|an\s+estimated\s+|~\s*|≈\s*|at\s+least\s+|some\s+)*";

    private static readonly Regex[] Enrolled =
    [
        R($@"\b(?:enrol+ed|randomi[sz]ed|recruited|accrued|included)\s+{About}{N}\s+(?:\w+\s+){{0,3}}?{People}\b"),
        R($@"\b{About}{N}\s+(?:\w+\s+){{0,3}}?{People}\s+(?:were|have\s+been|had\s+been|was)\s+(?:enrol+ed|randomi[sz]ed|recruited|accrued|included)\b"),
        R($@"\b(?:has|have|had)\s+enrol+ed\s+{About}{N}\b"),
        R($@"\b(?:actual\s+)?enrol+ment\s+(?:was|of|:)\s+{About}{N}\b"),
    ];

    private static readonly Regex[] Planned =
    [
        R($@"\b(?:plans?|planned|expected|aims?|intends?|designed|will|is\s+set|seeks?)\s+to\s+(?:enrol+|recruit|treat|include|accrue|randomi[sz]e|enlist)\s+{About}{N}\b"),
        R($@"\b{About}{N}\s+(?:\w+\s+){{0,2}}?{People}\s+(?:are|will\s+be|is)\s+(?:planned|expected|anticipated|to\s+be\s+(?:enrol+ed|recruited|included|treated))\b"),
        R($@"\b{About}{N}\s+{People}\s+(?:are|is)\s+expected\s+to\s+take\s+part\b"),
        R($@"\b(?:target(?:ed)?|planned|anticipated|estimated|expected)\s+(?:enrol+ment|accrual|sample\s+size|number\s+of\s+(?:participants|patients|subjects))\s*(?:of|is|was|:|=)?\s*{About}{N}\b"),
        R($@"\b(?:sample\s+size|accrual\s+ceiling|accrual\s+goal)\s*(?:of|is|:|=)?\s*{About}{N}\b"),
        R($@"\b(?:will\s+)?(?:enrol+|recruit)\s+{About}{N}\s+{People}\b"),
    ];

    public static Enrollment? Find(IReadOnlyList<string> sentences)
    {
        foreach (var (patterns, type) in new[] { (Enrolled, EnrollmentType.Actual), (Planned, EnrollmentType.Estimated) })
        {
            foreach (var sentence in sentences)
            {
                foreach (var pattern in patterns)
                {
                    try
                    {
                        if (pattern.Match(sentence) is { Success: true } m && NumberWords.Parse(m.Groups["n"].Value) is { } n and > 0 and < 1_000_000 && !IsYear(m.Groups["n"].Value))
                        {
                            return new Enrollment(n, type);
                        }
                    }
                    catch (RegexMatchTimeoutException ex)
                    {
                        PatternLimits.TimedOut("enrollment", ex);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>A labelled count ("Up to approximately 387 subjects", "70 subjects", "22"); text about something else is not one.</summary>
    public static Enrollment? FromLabel(string? value)
    {
        if (value is null || LabelValue().Match(value) is not { Success: true } m || NumberWords.Parse(m.Groups["n"].Value) is not { } n || n <= 0)
        {
            return null;
        }

        EnrollmentType? type = Regex.IsMatch(value, @"\b(?:planned|estimated|anticipated|target|up to|approximately|expected)\b", RegexOptions.IgnoreCase, PatternLimits.MatchTimeout) ? EnrollmentType.Estimated
            : Regex.IsMatch(value, @"\bactual\b", RegexOptions.IgnoreCase, PatternLimits.MatchTimeout) ? EnrollmentType.Actual : null;
        return new Enrollment(n, type);
    }

    [GeneratedRegex(@"^\s*" + About + N + @"\s*(?:" + People + @"|\(|;|,|\.|$|in\s+total|total)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex LabelValue();

    private static bool IsYear(string n) => n.Length == 4 && n.StartsWith("20", StringComparison.Ordinal);

    // Interpreted: quick to build, and quick enough on these short patterns (compiling them cost more than all matching).
    private static Regex R(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeout);
}

/// <summary>
/// Age limits in eligibility prose ("aged 3 to 39 years", "18 years or older", "up to 75 years of age", "Age ≥ 1
/// year and ≤ 35 years", "aged ≥ 12 months"). Ages of the people treated ("median age 60", "age range 17–58") are
/// not limits. "Of any age" is a statement of no limit.
/// </summary>
public static partial class AgesInProse
{
    private const string YearsUnit = @"(?:\s*(?<unit>years?|yrs?|months?|mo)\b(?:\s+(?:of\s+age|old))?)";
    private const string Ge = @"(?:≥|>=|=>|>|over|above|at\s+least|from|older\s+than|of\s+at\s+least)";
    private const string Le = @"(?:≤|<=|=<|<|under|below|up\s+to|younger\s+than|no\s+older\s+than|not\s+older\s+than|to)";

    [GeneratedRegex(@"\b(?:median|mean|average|range|ranged|ranging|were\s+aged\s+between|IQR)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Observed();

    [GeneratedRegex(@"\b(?:of\s+any\s+age|no\s+(?:lower\s+or\s+upper\s+|upper\s+or\s+lower\s+)?age\s+limits?|neither\s+a\s+lower\s+nor\s+an\s+upper\s+age\s+limit|any\s+age)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AnyAge();

    [GeneratedRegex(@"\b(?:aged?|ages|adults|children|patients|subjects|participants|men|women|between)\s*:?\s*(?:between\s+|from\s+|of\s+)?(?<min>\d{1,2}(?:\.\d)?)" + YearsUnit + @"?\s*(?:to|-|–|—|and|through|until)\s*(?<max>\d{1,3})" + YearsUnit + @"?(?!\s*(?:%|mg|kg|days|weeks|x\s*10))|(?:^\s*|\b(?:be|are)\s+)(?<min>\d{1,2})\s*(?:to|-|–)\s*(?<max>\d{1,3})\s*(?<unit>years?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(?:adults|patients|participants|subjects|people|children|aged?)\s*\(\s*(?:aged\s*)?" + Ge + @"\s*(?<min>\d{1,2})" + YearsUnit + @"?|^\s*(?:\d{1,2}[.)]\s*)?" + Ge + @"\s*(?<min>\d{1,2})" + YearsUnit + @"|\b(?:aged?|ages)\s*:?\s*(?:of\s+)?" + Ge + @"?\s*(?<min>\d{1,2})" + YearsUnit + @"?\s*(?:(?:or|and)\s+(?:older|over|above|up)|\+|and\s+over)|\b(?:aged?|ages)\s*:?\s*" + Ge + @"\s*(?<min>\d{1,2})" + YearsUnit + @"?|(?<min>\d{1,2})" + YearsUnit + @"\s*(?:or|and)\s+(?:older|over|above)|\b(?:adults|adult\s+patients)\s+(?<min>\d{2})\s*\+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Minimum();

    [GeneratedRegex(@"(?:\b(?:aged?|ages)\s*:?\s*(?:" + Ge + @"\s*\d{1,2}" + YearsUnit + @"?\s*(?:and|,)\s*)?" + Le + @"\s*(?<max>\d{1,3})" + YearsUnit + @"?|\bup\s+to\s+(?<max>\d{1,3})\s*(?<unit>years?)\s+(?:of\s+age|old))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Maximum();

    /// <summary>The limits the first sentence that states any gives; (null, null, false) when none does.</summary>
    public static (int? Min, int? Max, bool Stated) Find(IEnumerable<string> sentences)
    {
        foreach (var sentence in sentences)
        {
            if (Of(sentence) is { Stated: true } limits)
            {
                return limits;
            }
        }

        return (null, null, false);
    }

    public static (int? Min, int? Max, bool Stated) Of(string sentence)
    {
        try
        {
            if (AnyAge().IsMatch(sentence))
            {
                return (null, null, true);
            }

            if (Observed().IsMatch(sentence) && !sentence.Contains("eligib", StringComparison.OrdinalIgnoreCase))
            {
                return (null, null, false);
            }

            if (Range().Match(sentence) is { Success: true } range && Years(range.Groups["min"].Value, UnitOf(range, 0)) is { } lo && Years(range.Groups["max"].Value, UnitOf(range, 1)) is { } hi && hi > lo)
            {
                return (lo, hi, true);
            }

            int? min = Minimum().Match(sentence) is { Success: true } m ? Years(m.Groups["min"].Value, m.Groups["unit"].Value) : null;
            int? max = Maximum().Match(sentence) is { Success: true } x && x.Groups["max"].Success && !x.Value.TrimStart().StartsWith("to", StringComparison.OrdinalIgnoreCase)
                ? Years(x.Groups["max"].Value, x.Groups["unit"].Captures.Count > 0 ? x.Groups["unit"].Captures[^1].Value : string.Empty)
                : null;
            if (min is not null && max is not null && max <= min)
            {
                max = null;
            }

            return (min, max, min is not null || max is not null);
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("eligibility", ex);
            return (null, null, false);
        }
    }

    private static string UnitOf(Match m, int which) =>
        m.Groups["unit"].Captures.Count > which && m.Groups["unit"].Captures.Count == 2 ? m.Groups["unit"].Captures[which].Value
        : m.Groups["unit"].Captures.Count > 0 ? m.Groups["unit"].Captures[^1].Value : string.Empty;

    private static int? Years(string number, string unit)
    {
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        var years = unit.StartsWith("mo", StringComparison.OrdinalIgnoreCase) ? n / 12 : n;
        return years is >= 0 and <= 120 ? (int)Math.Floor(years + 1e-9) : null;
    }
}

/// <summary>Who may take part, by sex, as eligibility prose says it ("Male and female patients", "You are a man", "Men and women aged 18").</summary>
public static partial class SexInProse
{
    [GeneratedRegex(@"\b(?:male\s+(?:and|or|&)\s+female|female\s+(?:and|or|&)\s+male|males?\s+(?:and|or)\s+females?|men\s+(?:and|or)\s+women|women\s+(?:and|or)\s+men|both\s+(?:sexes|genders)|all\s+sexes|any\s+sex|either\s+sex|boys\s+and\s+girls|girls\s+and\s+boys)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex All();

    [GeneratedRegex(@"\b(?:you\s+are\s+a\s+man|(?:adult\s+)?men\s+(?:aged|with|who)|male\s+(?:patients|subjects|participants)\s+(?:only|aged|with)|males?\s+only|only\s+(?:men|males))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Male();

    [GeneratedRegex(@"\b(?:you\s+are\s+a\s+woman|(?:adult\s+)?women\s+(?:aged|with|who\s+have)|female\s+(?:patients|subjects|participants)\s+(?:only|aged|with)|females?\s+only|only\s+(?:women|females))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Female();

    [GeneratedRegex(@"pregnan|lactat|breast-?feed|childbearing|contracept", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Reproductive();

    public static Sex? Find(IEnumerable<string> sentences)
    {
        foreach (var s in sentences)
        {
            if (Of(s) is { } sex)
            {
                return sex;
            }
        }

        return null;
    }

    public static Sex? Of(string sentence)
    {
        try
        {
            if (All().IsMatch(sentence))
            {
                return Sex.All;
            }

            if (Reproductive().IsMatch(sentence))
            {
                return null;
            }

            return Male().IsMatch(sentence) ? Sex.Male : Female().IsMatch(sentence) ? Sex.Female : null;
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("eligibility", ex);
            return null;
        }
    }

    /// <summary>A labelled sex ("Both", "Male, Female", "All sexes", "Men and women", "女 Female").</summary>
    public static Sex? FromLabel(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (FieldParsers.SexValue(value) is { } sex)
        {
            return sex;
        }

        var v = value.ToLowerInvariant();
        var male = Regex.IsMatch(v, @"\b(?:male|males|men|man)\b", RegexOptions.None, PatternLimits.MatchTimeout);
        var female = Regex.IsMatch(v, @"\b(?:female|females|women|woman)\b", RegexOptions.None, PatternLimits.MatchTimeout);
        return (male && female) || v.Contains("both", StringComparison.Ordinal) || v.Contains("all", StringComparison.Ordinal) ? Sex.All
            : male ? Sex.Male : female ? Sex.Female : null;
    }
}
