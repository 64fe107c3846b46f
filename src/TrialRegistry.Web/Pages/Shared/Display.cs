using System.Globalization;
using TrialRegistry.Data.Search;

namespace TrialRegistry.Web.Pages.Shared;

/// <summary>How vocabulary values and doses read on the pages.</summary>
public static class Display
{
    private static readonly string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /// <summary>RECRUITING → "Recruiting", EARLY_PHASE1 → "Early phase 1", CELLS_PER_KG → "cells/kg".</summary>
    public static string Name(string? value) => value switch
    {
        null => "—",
        "EARLY_PHASE1" => "Early phase 1",
        "NA" => "Not applicable",
        "CELLS_PER_KG" => "cells/kg",
        "CELLS_PER_M2" => "cells/m²",
        "CELLS" => "cells (flat dose)",
        _ => ChoiceFilter.Humanize(value),
    };

    /// <summary>ALL → "All sexes", FEMALE → "Female only".</summary>
    public static string Sex(string? sex) => sex switch
    {
        null => "Sex not stated",
        "ALL" => "All sexes",
        "FEMALE" => "Female only",
        "MALE" => "Male only",
        _ => Name(sex),
    };

    /// <summary>1 → "1 trial", 1200 → "1,200 trials".</summary>
    public static string Trials(int count) => count == 1 ? "1 trial" : $"{Count(count)} trials";

    public static string Names(IEnumerable<string> values) => string.Join(", ", values.Select(Name));

    /// <summary>CAR_T → "CAR-T cells", NOT_CELL_THERAPY → "No cell therapy (drug or follow-up)".</summary>
    public static string Modality(string? value) => value is null ? "Not stated" : ModalityFilter.Definition.Label(value);

    /// <summary>AUTOLOGOUS → "The patient's own cells", IN_VIVO → "Made inside the patient (in vivo)".</summary>
    public static string ProductType(string? value) => value is null ? "Not stated" : ProductTypeFilter.Definition.Label(value);

    /// <summary>3000000 → "3×10⁶"; 25000000 → "2.5×10⁷".</summary>
    public static string Cells(double value)
    {
        if (value <= 0 || !double.IsFinite(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        var exponent = (int)Math.Floor(Math.Log10(value));
        var mantissa = Math.Round(value / Math.Pow(10, exponent), 2);
        if (mantissa >= 10)
        {
            mantissa /= 10;
            exponent++;
        }

        var power = string.Concat(exponent.ToString(CultureInfo.InvariantCulture).Select(c => c == '-' ? '⁻' : Superscripts[c - '0']));
        return $"{mantissa.ToString("0.##", CultureInfo.InvariantCulture)}×10{power}";
    }

    public static string Dose(double value, string unit) => unit switch
    {
        "CELLS_PER_KG" => $"{Cells(value)} cells/kg",
        "CELLS_PER_M2" => $"{Cells(value)} cells/m²",
        _ => $"{Cells(value)} cells",
    };

    public static string Ages(int? min, int? max) => (min, max) switch
    {
        (null, null) => "No age limits stated",
        (not null, null) => $"{min} years and older",
        (null, not null) => $"Up to {max} years",
        _ => $"{min} to {max} years",
    };

    public static string Count(int count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A moment as the pages show it: "2026-12-01 17:28 UTC".</summary>
    public static string When(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
