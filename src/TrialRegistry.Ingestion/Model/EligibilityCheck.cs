using System.Text.Json.Serialization;

namespace TrialRegistry.Ingestion.Model;

/// <summary>What one eligibility check is about.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckKind>))]
public enum CheckKind
{
    [JsonStringEnumMemberName("age")] Age,
    [JsonStringEnumMemberName("sex")] Sex,
    [JsonStringEnumMemberName("ecog")] Ecog,
    [JsonStringEnumMemberName("karnofsky")] Karnofsky,
    [JsonStringEnumMemberName("lansky")] Lansky,
    [JsonStringEnumMemberName("lab")] Lab,
    [JsonStringEnumMemberName("prior-car-t")] PriorCarT,
    [JsonStringEnumMemberName("prior-antigen-therapy")] PriorAntigenTherapy,
    [JsonStringEnumMemberName("prior-transplant")] PriorTransplant,
    [JsonStringEnumMemberName("prior-lines")] PriorLines,
    [JsonStringEnumMemberName("disease-state")] DiseaseState,
    [JsonStringEnumMemberName("cns")] Cns,
    [JsonStringEnumMemberName("infection")] Infection,
    [JsonStringEnumMemberName("pregnancy")] Pregnancy,
    [JsonStringEnumMemberName("antigen-expression")] AntigenExpression,
}

/// <summary>Where a trial stands on a patient's state: the patient must have it, must not, or may.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckStance>))]
public enum CheckStance
{
    [JsonStringEnumMemberName("required")] Required,
    [JsonStringEnumMemberName("excluded")] Excluded,
    [JsonStringEnumMemberName("allowed")] Allowed,
}

/// <summary>
/// One structured requirement read from one inclusion or exclusion criterion, always in the form the patient must
/// satisfy (an exclusion "platelets &lt; 50 × 10⁹/L" is platelets ≥ 50), with the criterion it was read from. Only
/// the fields of its <see cref="Kind"/> are set: <see cref="Min"/>/<see cref="Max"/> for age (years), ECOG, Karnofsky,
/// Lansky and prior lines; <see cref="Analyte"/>, <see cref="Op"/>, <see cref="Value"/> and <see cref="Unit"/> for a
/// laboratory threshold (in the units of <see cref="LabUnits"/>); <see cref="Stance"/> with the subject
/// (<see cref="Antigen"/>, <see cref="Agent"/>, <see cref="TransplantType"/>, <see cref="State"/>) for the rest.
/// <see cref="Conditional"/> says the criterion makes an exception or a condition the check does not hold, so a
/// patient it would turn away is "to confirm", never "not met"; checks marked <see cref="Either"/> in one criterion
/// are alternatives.
/// </summary>
public sealed record EligibilityCheck
{
    [JsonPropertyName("kind")] public required CheckKind Kind { get; init; }
    [JsonPropertyName("side"), JsonConverter(typeof(JsonStringEnumConverter<CriterionKind>))] public CriterionKind Side { get; init; }
    [JsonPropertyName("criterion")] public string Criterion { get; init; } = string.Empty;
    [JsonPropertyName("min")] public double? Min { get; init; }
    [JsonPropertyName("max")] public double? Max { get; init; }
    [JsonPropertyName("analyte")] public string? Analyte { get; init; }
    [JsonPropertyName("op")] public string? Op { get; init; }
    [JsonPropertyName("value")] public double? Value { get; init; }
    [JsonPropertyName("unit")] public string? Unit { get; init; }
    [JsonPropertyName("sex")] public string? Sex { get; init; }
    [JsonPropertyName("antigen")] public string? Antigen { get; init; }
    [JsonPropertyName("agent")] public string? Agent { get; init; }
    [JsonPropertyName("type")] public string? TransplantType { get; init; }
    [JsonPropertyName("state")] public string? State { get; init; }
    [JsonPropertyName("stance")] public CheckStance? Stance { get; init; }
    [JsonPropertyName("withinDays")] public int? WithinDays { get; init; }
    [JsonPropertyName("conditional")] public bool Conditional { get; init; }
    [JsonPropertyName("either")] public bool Either { get; init; }
}

/// <summary>The analytes a laboratory check names and the unit each is normalised to.</summary>
public static class LabUnits
{
    public const string PerNanoLitre = "10^9/L";
    public const string GramsPerDecilitre = "g/dL";
    public const string MilligramsPerDecilitre = "mg/dL";
    public const string MillilitresPerMinute = "mL/min";
    public const string TimesUpperLimit = "xULN";
    public const string UnitsPerLitre = "U/L";
    public const string Percent = "%";

    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["anc"] = "Absolute neutrophil count",
        ["platelets"] = "Platelets",
        ["hemoglobin"] = "Haemoglobin",
        ["lymphocytes"] = "Absolute lymphocyte count",
        ["creatinine"] = "Creatinine",
        ["creatinine-clearance"] = "Creatinine clearance / eGFR",
        ["bilirubin"] = "Bilirubin",
        ["alt"] = "ALT",
        ["ast"] = "AST",
        ["lvef"] = "LVEF",
        ["spo2"] = "SpO2",
    };
}
