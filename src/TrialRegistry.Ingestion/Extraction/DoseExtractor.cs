using System.Globalization;
using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>
/// Reads cell doses written in any of the notations sources use: <c>3×10^6 cells/kg</c>, <c>10\^6</c> (after
/// unescaping), <c>150 × 10⁶ CAR+ T cells</c>, <c>1e6</c>, <c>1.0E+06</c>, <c>5 million cells/kg</c>, ranges
/// (<c>1-3×10^6/kg</c>) and lists sharing one unit (<c>1×10^6, 3×10^6 and 1×10^7 cells/kg</c>). A number counts
/// as a dose only with a cell unit: lab values such as <c>1.5×10^9/L</c> or <c>1.5×109/L</c> do not.
/// </summary>
public static class DoseExtractor
{
    private const string Num = @"\d+(?:\.\d+)?";

    private static readonly Regex Quantity = new(
        $@"(?<![\d.,^])(?:(?<lo>{Num})\s*(?:-|–|~|to)\s*)?(?:" +
        $@"(?<mant>{Num})\s*[×xX*✕·]\s*10\s*(?:\^|\*\*|[eE])\s*(?<exp>[+\-]?\d{{1,2}})" +
        $@"|(?<mant>{Num})\s*[×xX*✕·]\s*10(?<sup>[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,2}})" +
        $@"|(?<mant>{Num})\s*[×xX*✕·]\s*10\s*\(\s*(?<exp>\d{{1,2}})\s*\)" +
        $@"|(?<mant>{Num})\s*[×xX*✕·]\s*10(?<lost>\d{{1,2}})(?![\d.,])" +
        $@"|(?<mant>{Num})\s*[×xX*✕·]\s*10\s(?<lost>\d)(?![\d.,])" +
        $@"|(?<mant>{Num})[eE](?<exp>[+\-]?\d{{1,2}})(?![\d])" +
        $@"|(?<mant>{Num})\s*(?<mult>million|billion)\b" +
        @"|(?<![A-Za-z])(?<bare>10)\s*\^\s*(?<exp>\d{1,2})" +
        @"|(?<![A-Za-z])(?<bare>10)(?<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})" +
        ")",
        RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    // The words between a number and "/kg" must be about cells ("CAR-positive viable T cells/kg", "CAR-20/19-T cells/kg")
    // or absent ("3×10^6/kg"); "TU/kg" or "vg/kg" is a vector dose, not cells.
    private static readonly Regex PerUnit = new(
        @"^(?<gap>(?:[\s\w+\-()]|/(?=\d)){0,45}?)(?:(?<kg>/\s*kg\b|per\s+kg\b|per\s+kilo(?:gram)?s?\b|/\s*kilogram)|(?<m2>/\s*m\s*(?:2|²|\^\s*2|\(2\))|per\s+(?:m2|m²|m\^2|square\s+met(?:er|re)|met(?:er|re)\s+squared)))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Regex CellsOnly = new(
        @"^[\s\w+\-()]{0,30}?\b(?:cells?|CAR-?T|CART)\b(?!\s*/\s*(?:[mµμu]?l|L|dL)\b)(?!\s*per\s+(?:micro|milli)?lit)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Regex CellGap = new(
        @"^\s*$|\b(?:cells?|CAR|CART|CAR-?T|lymphocytes|T)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Regex VectorGap = new(
        @"\b(?:TU|vg|VG|IU|PFU|pfu|transducing|viral|vector|genomes?|copies|particles|units|mg|µg|ug|mcg|g)\b",
        RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    // A dose-level label before a number whose unit the table's header gives ("DL1   50 × 10^6", "Dose level 2: 1 x 10^7").
    private static readonly Regex LevelLabel = new(
        @"(?:\bDL\s*-?\d{1,2}|\b(?:dose\s+)?level\s*-?\d{1,2}|\bcohort\s*\d{1,2})\s*[:=]?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Regex HeaderUnit = new(
        @"(?<cells>(?:total\s+)?(?:CAR\s*\+?\s*|CAR-positive\s+|transduced\s+|viable\s+)*(?:T\s+)?cells)(?<per>\s*/\s*kg|\s+per\s+kg|\s*/\s*m2|\s*/\s*m²)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    // "0.3, 1.0, 2.0, 4.0, 8.0, 12.0, and " before "16.0x10^6 cells/kg": bare numbers that share its power of ten.
    private static readonly Regex SharedPowerList = new(
        @"(?:(?<=^|[\s(:])(?<n>\d+(?:\.\d+)?)\s*(?:,\s*(?:and|or)?|,?\s+(?:and|or))\s*)+$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Regex ListGap = new(
        @"^[\s,;/]*(?:and|or|to|-|–|~)?[\s,;]*(?:cells/kg\s*)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private sealed record Candidate(int Start, int End, double? Low, double Value, DoseUnit? Unit, int UnitEnd)
    {
        /// <summary>The power of ten the value was written with (3×10^6 → 10^6), for list items that share it.</summary>
        public double Power { get; init; } = 1;

        /// <summary>Bare list items that share this value's power of ten and unit ("0.3, 1.0, 2.0 and 16.0×10^6 cells/kg").</summary>
        public IReadOnlyList<double> Shared { get; init; } = [];
    }

    public static IReadOnlyList<DoseLevel> Extract(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        text = Text.TextClean.Unescape(text); // markdown escapes from scrapes: 10\^6, \>
        var candidates = new List<Candidate>();
        try
        {
            foreach (Match m in Quantity.Matches(text))
            {
                if (ReadValue(m) is not { } value)
                {
                    continue;
                }

                double? low = m.Groups["lo"].Success && double.TryParse(m.Groups["lo"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var lo)
                    ? lo * value / ParseMantissa(m)
                    : null;
                var (unit, unitEnd) = ReadUnit(text, m.Index + m.Length);
                var power = value / ParseMantissa(m);
                var shared = !m.Groups["lo"].Success && m.Groups["mant"].Success && !m.Groups["mult"].Success
                    ? SharedPowers(text[Math.Max(0, m.Index - 100)..m.Index], power)
                    : [];
                candidates.Add(new Candidate(m.Index, m.Index + m.Length, low, value, unit, unitEnd) { Power = power, Shared = shared });
            }
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("doseLevels", ex);
            // Keep what was read before the time-out.
        }

        // A list that states its unit once ("1×10^6, 3×10^6 and 1×10^7 cells/kg") lends it to the earlier items.
        for (var i = candidates.Count - 2; i >= 0; i--)
        {
            var c = candidates[i];
            var next = candidates[i + 1];
            if (c.Unit is null && next.Unit is not null && IsListGap(text[c.End..next.Start]))
            {
                candidates[i] = c with { Unit = next.Unit, UnitEnd = c.End };
            }
        }

        // A dose table: "DL1   50 × 10^6" under a header that says "Total CAR+ T cells" (or "T cells/kg").
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            if (c.Unit is null && LevelLabel.IsMatch(text[Math.Max(0, c.Start - 20)..c.Start]) && HeaderUnitBefore(text, c.Start) is { } headerUnit)
            {
                candidates[i] = c with { Unit = headerUnit, UnitEnd = c.End };
            }
        }

        var levels = new List<DoseLevel>();
        foreach (var c in candidates)
        {
            if (c.Unit is not { } unit)
            {
                continue;
            }

            foreach (var item in c.Shared.Where(Plausible))
            {
                levels.Add(new DoseLevel(Text.TextClean.FoldOrEmpty(text[c.Start..c.UnitEnd]), Round(item), unit));
            }

            var written = Text.TextClean.FoldOrEmpty(text[c.Start..c.UnitEnd]);
            if (c.Low is { } low && Plausible(low))
            {
                levels.Add(new DoseLevel(written, Round(low), unit));
            }

            if (Plausible(c.Value))
            {
                levels.Add(new DoseLevel(written, Round(c.Value), unit));
            }
        }

        return Distinct(levels);
    }

    /// <summary>Parses one dose value as an API user would type it (<c>3e6</c>, <c>3x10^6</c>, <c>3×10^6</c>, <c>3000000</c>).</summary>
    public static double? ParseValue(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = Text.TextClean.Unescape(text.Trim());
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            return double.IsFinite(plain) ? plain : null;
        }

        try
        {
            var m = Quantity.Match(trimmed);
            return m.Success && m.Index == 0 && m.Length == trimmed.Length && !m.Groups["lo"].Success ? ReadValue(m) : null;
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("doseLevels", ex);
            return null;
        }
    }

    public static IReadOnlyList<DoseLevel> Distinct(IEnumerable<DoseLevel> levels)
    {
        var seen = new HashSet<(double, DoseUnit)>();
        return levels.Where(l => seen.Add((l.Value, l.Unit))).ToList();
    }

    /// <summary>
    /// Bare numbers listed before a value that share its power of ten ("0.3, 1.0, 2.0 and 16.0×10^6"): two or more, or
    /// one joined by "and"/"or"; not the number of a dose level, cohort or day ("dose level 1, 2.5×10^5").
    /// </summary>
    private static List<double> SharedPowers(string before, double power)
    {
        if (SharedPowerList.Match(before) is not { Success: true } list)
        {
            return [];
        }

        var items = list.Groups["n"].Captures;
        var joined = list.Value.Contains("and", StringComparison.OrdinalIgnoreCase) || list.Value.Contains("or", StringComparison.OrdinalIgnoreCase);
        if ((items.Count < 2 && !joined) || CountedThing.IsMatch(before[..list.Index]))
        {
            return [];
        }

        return items.Select(c => double.Parse(c.Value, CultureInfo.InvariantCulture) * power).ToList();
    }

    private static readonly Regex CountedThing = new(
        @"\b(?:level|levels|DL|cohorts?|arms?|groups?|parts?|days?|weeks?|months?|years?|cycles?|phases?|steps?|doses?\s+level)\s*$|[<>≤≥=]\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    /// <summary>The unit a table header states, within a few lines before a dose-level row, when no number of its own sits on that header.</summary>
    private static DoseUnit? HeaderUnitBefore(string text, int start)
    {
        var window = text[Math.Max(0, start - 240)..start];
        DoseUnit? unit = null;
        foreach (Match m in HeaderUnit.Matches(window))
        {
            // The header's cells, not "… 10^6 cells" of another number.
            var head = window[Math.Max(0, m.Index - 12)..m.Index];
            if (Quantity.IsMatch(head))
            {
                continue;
            }

            unit = m.Groups["per"].Value.Contains("kg", StringComparison.OrdinalIgnoreCase) ? DoseUnit.CellsPerKg
                : m.Groups["per"].Success && m.Groups["per"].Length > 0 ? DoseUnit.CellsPerM2 : DoseUnit.Cells;
        }

        return unit;
    }

    private static bool IsListGap(string gap) => gap.Length <= 12 && ListGap.IsMatch(gap);

    private static (DoseUnit? Unit, int End) ReadUnit(string text, int from)
    {
        var tail = text.Substring(from, Math.Min(80, text.Length - from));
        var per = PerUnit.Match(tail);
        if (per.Success && CellGap.IsMatch(per.Groups["gap"].Value) && !VectorGap.IsMatch(per.Groups["gap"].Value))
        {
            return (per.Groups["kg"].Success ? DoseUnit.CellsPerKg : DoseUnit.CellsPerM2, from + per.Length);
        }

        var cells = CellsOnly.Match(tail);
        return cells.Success ? (DoseUnit.Cells, from + cells.Length) : (null, from);
    }

    private static double? ReadValue(Match m)
    {
        var mantissa = ParseMantissa(m);
        if (m.Groups["mult"].Success)
        {
            return mantissa * (m.Groups["mult"].Value.StartsWith('b') ? 1e9 : 1e6);
        }

        int exponent;
        if (m.Groups["lost"].Success)
        {
            exponent = int.Parse(m.Groups["lost"].Value, CultureInfo.InvariantCulture);
        }
        else if (m.Groups["sup"].Success)
        {
            exponent = ParseSuperscript(m.Groups["sup"].Value);
        }
        else if (!int.TryParse(m.Groups["exp"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
        {
            return null;
        }

        if (exponent is < 3 or > 13)
        {
            return null;
        }

        return mantissa * Math.Pow(10, exponent);
    }

    private static double ParseMantissa(Match m) =>
        m.Groups["mant"].Success && double.TryParse(m.Groups["mant"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 1;

    private static int ParseSuperscript(string sup)
    {
        var sign = 1;
        var value = 0;
        foreach (var c in sup)
        {
            var digit = "⁰¹²³⁴⁵⁶⁷⁸⁹".IndexOf(c, StringComparison.Ordinal);
            if (digit >= 0)
            {
                value = value * 10 + digit;
            }
            else if (c == '⁻')
            {
                sign = -1;
            }
        }

        return sign * value;
    }

    private static bool Plausible(double cells) => cells is >= 1e3 and <= 1e13;

    private static double Round(double v) => Math.Round(v, MidpointRounding.AwayFromZero);
}
