using System.Globalization;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TrialRegistry.Data.Search;
using TrialRegistry.Ingestion.Prescreening;
using TrialRegistry.Web.Api;

namespace TrialRegistry.Web.Pages.Prescreen;

/// <summary>
/// The patient form and its ranked trials. The form is posted, never put in the address (an address is kept in
/// histories and access logs); the profile is matched for the response and forgotten: nothing of it is stored or logged.
/// </summary>
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class IndexModel(Prescreener prescreener, IValidator<PrescreenRequest> validator) : PageModel
{
    /// <summary>The form as typed: every field a string, so that a value the page cannot read is shown back with why.</summary>
    [BindProperty] public ProfileForm Form { get; set; } = new();

    public PrescreenResponse? Result { get; private set; }
    public IReadOnlyList<string> Errors { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task OnPostAsync(CancellationToken cancellationToken)
    {
        var (request, problems) = Form.ToRequest();
        var validation = await validator.ValidateAsync(request, cancellationToken);
        Errors = [.. problems, .. validation.Errors.Select(e => e.ErrorMessage)];
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var result = await prescreener.MatchAsync(request.Patient!, PrescreenApi.QueryOf(request.Filters), request.Results ?? 20, cancellationToken);
        if (result.PlaceNotFound)
        {
            Errors = ["Near: the place could not be located; give a city where trials run, a postal code, or lat,lon."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Result = new PrescreenResponse(result.Candidates, [.. result.Matches.Select(PrescreenApi.Present)]);
    }
}

public sealed class ProfileForm
{
    public string? Age { get; set; }
    public string? Sex { get; set; }
    public string? Diagnosis { get; set; }
    public string? Ecog { get; set; }
    public string? PriorLines { get; set; }
    public string? PriorCarT { get; set; }
    public string? PriorTargets { get; set; }
    public string? AlloTransplant { get; set; }
    public string? AutoTransplant { get; set; }
    public string? MonthsSinceTransplant { get; set; }
    public string? Relapsed { get; set; }
    public string? Refractory { get; set; }
    public string? Measurable { get; set; }
    public string? Cns { get; set; }
    public string? Hiv { get; set; }
    public string? Hbv { get; set; }
    public string? Hcv { get; set; }
    public string? Pregnant { get; set; }
    public string? AntigenResults { get; set; }
    public Dictionary<string, string?> Labs { get; set; } = [];
    public string? Antigen { get; set; }
    public string? Near { get; set; }
    public string? DistanceKm { get; set; }
    public bool AnyStatus { get; set; }

    /// <summary>The laboratory fields of the form: analyte, label, unit.</summary>
    public static IReadOnlyList<(string Analyte, string Label, string Unit)> LabFields { get; } =
    [
        ("platelets", "Platelets", "× 10⁹/L"),
        ("anc", "Absolute neutrophil count", "× 10⁹/L"),
        ("lymphocytes", "Absolute lymphocyte count", "× 10⁹/L"),
        ("hemoglobin", "Haemoglobin", "g/dL"),
        ("creatinine", "Creatinine", "mg/dL"),
        ("creatinine-clearance", "Creatinine clearance / eGFR", "mL/min"),
        ("bilirubin-xuln", "Bilirubin", "× ULN"),
        ("alt", "ALT", "× ULN"),
        ("ast", "AST", "× ULN"),
        ("lvef", "LVEF", "%"),
        ("spo2", "SpO2", "%"),
    ];

    public (PrescreenRequest Request, IReadOnlyList<string> Problems) ToRequest()
    {
        var problems = new List<string>();
        int? Int(string? text, string name)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            problems.Add($"{name}: '{Clip(text)}' is not a whole number.");
            return null;
        }

        static bool? Bool(string? text) => text switch { "yes" => true, "no" => false, _ => null };
        static List<string> List(string? text) => string.IsNullOrWhiteSpace(text) ? [] : [.. text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

        var labs = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (analyte, label, _) in LabFields)
        {
            if (Labs.TryGetValue(analyte, out var text) && !string.IsNullOrWhiteSpace(text))
            {
                if (double.TryParse(text.Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    labs[analyte] = value;
                }
                else
                {
                    problems.Add($"{label}: '{Clip(text)}' is not a number.");
                }
            }
        }

        // "CD19+, BCMA-" or "CD19 positive": each antigen with its result.
        var antigenResults = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in List(AntigenResults))
        {
            var positive = item.EndsWith('+') || item.EndsWith("positive", StringComparison.OrdinalIgnoreCase);
            var negative = item.EndsWith('-') || item.EndsWith("negative", StringComparison.OrdinalIgnoreCase);
            var name = item.TrimEnd('+', '-').Replace("positive", "", StringComparison.OrdinalIgnoreCase).Replace("negative", "", StringComparison.OrdinalIgnoreCase).Trim();
            if (positive == negative || name.Length == 0)
            {
                problems.Add($"Antigen results: write each as CD19+ or CD19- ('{Clip(item)}').");
                continue;
            }

            antigenResults[name] = positive;
        }

        double? distance = null;
        if (!string.IsNullOrWhiteSpace(DistanceKm))
        {
            if (double.TryParse(DistanceKm.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                distance = d;
            }
            else
            {
                problems.Add($"Distance: '{Clip(DistanceKm)}' is not a number of kilometres.");
            }
        }

        var patient = new PatientProfile
        {
            Age = Int(Age, "Age"),
            Sex = string.IsNullOrWhiteSpace(Sex) ? null : Sex,
            Diagnosis = string.IsNullOrWhiteSpace(Diagnosis) ? null : Diagnosis.Trim(),
            Ecog = Int(Ecog, "ECOG"),
            PriorLines = Int(PriorLines, "Prior lines"),
            PriorCarT = Bool(PriorCarT),
            PriorAntigenTherapies = string.IsNullOrWhiteSpace(PriorTargets) ? null : List(PriorTargets),
            PriorAllogeneicTransplant = Bool(AlloTransplant),
            PriorAutologousTransplant = Bool(AutoTransplant),
            MonthsSinceTransplant = Int(MonthsSinceTransplant, "Months since transplant"),
            Relapsed = Bool(Relapsed),
            Refractory = Bool(Refractory),
            MeasurableDisease = Bool(Measurable),
            CnsInvolvement = Bool(Cns),
            Hiv = Bool(Hiv),
            Hbv = Bool(Hbv),
            Hcv = Bool(Hcv),
            Pregnant = Bool(Pregnant),
            Labs = labs.Count == 0 ? null : labs,
            AntigenResults = antigenResults.Count == 0 ? null : antigenResults,
        };
        var filters = new PrescreenFilters
        {
            Antigen = List(Antigen) is { Count: > 0 } antigens ? antigens : null,
            Near = string.IsNullOrWhiteSpace(Near) ? null : Near,
            DistanceKm = distance,
            Status = AnyStatus ? ["RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING", "SUSPENDED", "COMPLETED", "TERMINATED", "WITHDRAWN", "UNKNOWN"] : null,
        };
        return (new PrescreenRequest { Patient = patient, Filters = filters, Results = 20 }, problems);
    }

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
