using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Prescreening;

/// <summary>
/// What a clinician knows of one patient, for pre-screening. Health data: it is matched in memory and never stored
/// or logged. Every field is optional; a fact left out makes the checks that need it "unknown", never "met".
/// Laboratory values are in the units of <see cref="LabUnits"/>: counts in 10⁹/L, haemoglobin in g/dL, creatinine
/// and bilirubin in mg/dL (or as multiples of the upper limit of normal under <c>creatinine-xuln</c> and
/// <c>bilirubin-xuln</c>), creatinine clearance in mL/min, ALT and AST as multiples of the upper limit, LVEF and SpO2 in %.
/// </summary>
public sealed record PatientProfile
{
    public int? Age { get; init; }
    /// <summary>FEMALE or MALE.</summary>
    public string? Sex { get; init; }
    /// <summary>The disease, as a clinician names it ("multiple myeloma", "B-ALL").</summary>
    public string? Diagnosis { get; init; }
    public int? Ecog { get; init; }
    public int? Karnofsky { get; init; }
    public int? Lansky { get; init; }
    /// <summary>Analyte (anc, platelets, hemoglobin, lymphocytes, creatinine, creatinine-xuln, creatinine-clearance, bilirubin, bilirubin-xuln, alt, ast, lvef, spo2) to value.</summary>
    public IReadOnlyDictionary<string, double>? Labs { get; init; }
    public bool? PriorCarT { get; init; }
    /// <summary>Antigens earlier therapies were directed at (BCMA for a BCMA bispecific or CAR-T); empty: none; null: not known.</summary>
    public IReadOnlyList<string>? PriorAntigenTherapies { get; init; }
    public int? PriorLines { get; init; }
    public bool? PriorAllogeneicTransplant { get; init; }
    public bool? PriorAutologousTransplant { get; init; }
    /// <summary>Months since the last stem-cell transplant.</summary>
    public int? MonthsSinceTransplant { get; init; }
    public bool? Relapsed { get; init; }
    public bool? Refractory { get; init; }
    public bool? MeasurableDisease { get; init; }
    public bool? CnsInvolvement { get; init; }
    public bool? Hiv { get; init; }
    public bool? Hbv { get; init; }
    public bool? Hcv { get; init; }
    public bool? Pregnant { get; init; }
    /// <summary>Antigen (symbol or synonym) to whether the tumour expresses it.</summary>
    public IReadOnlyDictionary<string, bool>? AntigenResults { get; init; }

    /// <summary>The patient's value of an analyte in the check's unit, or null when the profile does not give it in that unit.</summary>
    public double? Lab(string analyte, string unit)
    {
        if (Labs is null)
        {
            return null;
        }

        var key = unit == LabUnits.TimesUpperLimit && analyte is "creatinine" or "bilirubin" ? analyte + "-xuln"
            : unit == LabUnits.UnitsPerLitre ? null
            : analyte;
        return key is not null && Labs.TryGetValue(key, out var value) ? value : null;
    }

    /// <summary>The patient's antigen result, by any of the antigen's names.</summary>
    public bool? Expresses(string antigen)
    {
        if (AntigenResults is null)
        {
            return null;
        }

        foreach (var (name, positive) in AntigenResults)
        {
            if (SameAntigen(name, antigen))
            {
                return positive;
            }
        }

        return null;
    }

    public bool? HadTherapyAgainst(string antigen) =>
        PriorAntigenTherapies is null ? null : PriorAntigenTherapies.Any(a => SameAntigen(a, antigen));

    private static bool SameAntigen(string a, string b) =>
        string.Equals(AntigenVocabulary.Find(a)?.Symbol ?? AntigenVocabulary.Normalize(a), AntigenVocabulary.Find(b)?.Symbol ?? AntigenVocabulary.Normalize(b), StringComparison.OrdinalIgnoreCase);
}
