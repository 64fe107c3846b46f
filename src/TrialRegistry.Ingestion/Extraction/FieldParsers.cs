using System.Globalization;
using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>Small readers for labelled values: phases, ages, dates, enrollment, sex, yes/no.</summary>
public static class FieldParsers
{
    /// <summary>A site's coordinates in degrees, when both are numbers in range (0,0 is a placeholder, not a place).</summary>
    public static (double? Latitude, double? Longitude) Coordinates(string? latitude, string? longitude)
    {
        if (double.TryParse(latitude, NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            && double.TryParse(longitude, NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            && lat is >= -90 and <= 90 && lon is >= -180 and <= 180 && (lat, lon) != (0, 0))
        {
            return (lat, lon);
        }

        return (null, null);
    }

    private static readonly Regex PhaseMention = new(
        @"\b(?<early>early\s+)?phase\s*(?<a>I{1,3}V?|IV|[1-4])\s*(?<sub>[ab])?\b(?:\s*(?:/|-|–|and|&)\s*(?:phase\s*)?(?<b>I{1,3}|IV|[1-4])\b[ab]?)?(?<after>.{0,40})",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Regex StudyWord = new(@"^[\s,]*(?:[\w-]+[\s,]+){0,4}?(?:clinical\s+)?(?:study|trial|studies|trials|research|protocol)\b", RegexOptions.IgnoreCase | RegexOptions.Compiled, PatternLimits.MatchTimeout);
    private static readonly Regex DoseWord = new(@"^\s*(?:\(?RP2D\)?|recommended|dose\b(?![\s-]*(?:escalation|finding|expansion|ranging|de-?escalation|optimi[sz]ation))|expansion\s+dose)", RegexOptions.IgnoreCase | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    /// <summary>Phases in a labelled value: <c>PHASE1</c>, <c>PHASE1|PHASE2</c>, <c>Phase 1/Phase 2</c>, <c>N/A</c>, <c>Early Phase 1</c>.</summary>
    public static IReadOnlyList<TrialPhase> Phases(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var phases = new SortedSet<TrialPhase>();
        foreach (var part in Regex.Split(value, @"\s*(?:[|,;]|/(?!A\b))\s*", RegexOptions.None, PatternLimits.MatchTimeout))
        {
            var p = part.Trim();
            if (p.Length == 0)
            {
                continue;
            }

            if (p.Equals("N/A", StringComparison.OrdinalIgnoreCase) || p.Equals("NA", StringComparison.OrdinalIgnoreCase) ||
                p.Equals("Not Applicable", StringComparison.OrdinalIgnoreCase))
            {
                phases.Add(TrialPhase.Na);
                continue;
            }

            if (VocabularyNames.Parse<TrialPhase>(p) is { } parsed)
            {
                phases.Add(parsed);
                continue;
            }

            foreach (var phase in PhasesInProse(p, firstOnly: false))
            {
                phases.Add(phase);
            }
        }

        return phases.ToList();
    }

    /// <summary>
    /// The phase a free text says the study is ("This is a phase I clinical study" -> PHASE1). A mention
    /// followed by "study"/"trial" wins; "phase II recommended dose" is not the study's phase.
    /// </summary>
    public static IReadOnlyList<TrialPhase> PhasesInProse(string? text, bool firstOnly = true)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var mentions = new List<(IReadOnlyList<TrialPhase> Phases, bool Study)>();
        try
        {
            foreach (Match m in PhaseMention.Matches(text))
            {
                var after = m.Groups["after"].Value;
                if (DoseWord.IsMatch(after))
                {
                    continue;
                }

                var phases = new SortedSet<TrialPhase>();
                var a = PhaseNumber(m.Groups["a"].Value);
                if (a is null)
                {
                    continue;
                }

                phases.Add(m.Groups["early"].Success && a == 1 ? TrialPhase.EarlyPhase1 : ToPhase(a.Value));
                if (m.Groups["b"].Success && PhaseNumber(m.Groups["b"].Value) is { } b)
                {
                    phases.Add(ToPhase(b));
                }

                mentions.Add((phases.ToList(), StudyWord.IsMatch(after)));
            }
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("phases", ex);
        }

        if (mentions.Count == 0)
        {
            return [];
        }

        if (!firstOnly)
        {
            return mentions.SelectMany(m => m.Phases).Distinct().Order().ToList();
        }

        return (mentions.FirstOrDefault(m => m.Study).Phases ?? mentions[0].Phases).ToList();
    }

    private static int? PhaseNumber(string token) => token.ToUpperInvariant() switch
    {
        "1" or "I" => 1,
        "2" or "II" => 2,
        "3" or "III" => 3,
        "4" or "IV" => 4,
        _ => null,
    };

    private static TrialPhase ToPhase(int n) => n switch
    {
        1 => TrialPhase.Phase1,
        2 => TrialPhase.Phase2,
        3 => TrialPhase.Phase3,
        _ => TrialPhase.Phase4,
    };

    private static readonly Regex AgeValue = new(
        @"(?<n>\d+(?:\.\d+)?)\s*(?<unit>years?|yrs?|months?|weeks?|days?|hours?|minutes?)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    /// <summary>An age limit in whole years: "18 Years" -> 18, "6 Months" -> 0; null for "N/A" or no limit.</summary>
    public static int? AgeYears(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Contains("N/A", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var m = AgeValue.Match(value);
        if (!m.Success || !double.TryParse(m.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        var unit = m.Groups["unit"].Value.ToLowerInvariant();
        var years = unit switch
        {
            var u when u.StartsWith("month", StringComparison.Ordinal) => n / 12,
            var u when u.StartsWith("week", StringComparison.Ordinal) => n / 52,
            var u when u.StartsWith("day", StringComparison.Ordinal) => n / 365,
            var u when u.StartsWith("hour", StringComparison.Ordinal) || u.StartsWith("minute", StringComparison.Ordinal) => 0,
            _ => n,
        };
        return years > 150 ? null : (int)Math.Floor(years);
    }

    public static Sex? SexValue(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "ALL" or "BOTH" or "ALL SEXES" or "MALE AND FEMALE" => Sex.All,
        "FEMALE" or "FEMALES" or "WOMEN" => Sex.Female,
        "MALE" or "MALES" or "MEN" => Sex.Male,
        _ => null,
    };

    public static bool? YesNo(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "YES" or "TRUE" or "ACCEPTS HEALTHY VOLUNTEERS" => true,
        "NO" or "FALSE" => false,
        _ => null,
    };

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM", "yyyy", "MMMM d, yyyy", "MMMM dd, yyyy", "MMM d, yyyy", "MMMM yyyy", "MMM yyyy",
        "d MMMM yyyy", "yyyy/MM/dd", "MM/dd/yyyy", "yyyy-M-d",
    ];

    /// <summary>An ISO 8601 date as precise as the document is: "March 2005" -> "2005-03".</summary>
    public static string? IsoDate(string? value)
    {
        var v = Text.TextClean.Fold(value);
        if (v is null)
        {
            return null;
        }

        foreach (var format in DateFormats)
        {
            if (DateTime.TryParseExact(v, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var date))
            {
                return format.Contains('d', StringComparison.Ordinal) ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : format.Contains('M', StringComparison.Ordinal) ? date.ToString("yyyy-MM", CultureInfo.InvariantCulture)
                    : date.ToString("yyyy", CultureInfo.InvariantCulture);
            }
        }

        var embedded = Regex.Match(v, @"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b", RegexOptions.None, PatternLimits.MatchTimeout);
        return embedded.Success ? embedded.Value : null;
    }

    private static readonly Regex LeadingInt = new(@"(?<n>\d[\d,]*)(?:\.0+)?", RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    /// <summary>"9 participants", "90 (estimated)", "19.0" and "1,200" as a count; the type when the text names one.</summary>
    public static Enrollment? EnrollmentValue(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var m = LeadingInt.Match(value);
        if (!m.Success || !int.TryParse(m.Groups["n"].Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
        {
            return null;
        }

        EnrollmentType? type = value.Contains("estimat", StringComparison.OrdinalIgnoreCase) || value.Contains("anticipat", StringComparison.OrdinalIgnoreCase)
            ? EnrollmentType.Estimated
            : value.Contains("actual", StringComparison.OrdinalIgnoreCase) ? EnrollmentType.Actual : null;
        return new Enrollment(count, type);
    }

    public static EnrollmentType? EnrollmentTypeValue(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "ESTIMATED" or "ANTICIPATED" => EnrollmentType.Estimated,
        "ACTUAL" => EnrollmentType.Actual,
        _ => null,
    };

    public static TrialStatus? Status(string? value) => VocabularyNames.Parse<TrialStatus>(value);

    public static StudyType? StudyTypeValue(string? value) =>
        VocabularyNames.Parse<StudyType>(value?.Split('(')[0]);

    public static ArmType? ArmTypeValue(string? value) => VocabularyNames.Parse<ArmType>(value);

    public static InterventionType? InterventionTypeValue(string? value) => VocabularyNames.Parse<InterventionType>(value);

    public static SponsorRole? SponsorRoleValue(string? value) => VocabularyNames.Parse<SponsorRole>(value);
}
