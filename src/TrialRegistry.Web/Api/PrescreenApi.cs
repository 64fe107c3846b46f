using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using TrialRegistry.Data.Search;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Prescreening;

namespace TrialRegistry.Web.Api;

/// <summary>The search filters a pre-screening combines with the patient's facts (ClinicalTrials.gov names, as the search takes them).</summary>
public sealed record PrescreenFilters
{
    public IReadOnlyList<string>? Antigen { get; init; }
    public IReadOnlyList<string>? Phase { get; init; }
    /// <summary>Default: RECRUITING.</summary>
    public IReadOnlyList<string>? Status { get; init; }
    /// <summary>Default: the patient's diagnosis.</summary>
    public IReadOnlyList<string>? Condition { get; init; }
    public IReadOnlyList<string>? Modality { get; init; }
    public IReadOnlyList<string>? Country { get; init; }
    public IReadOnlyList<string>? City { get; init; }
    public IReadOnlyList<string>? Region { get; init; }
    /// <summary>A place: "lat,lon", a postal code or a city.</summary>
    public string? Near { get; init; }
    public double? DistanceKm { get; init; }
}

/// <summary>A patient profile and the filters to combine it with. Nothing of it is stored or logged.</summary>
public sealed record PrescreenRequest
{
    public PatientProfile? Patient { get; init; }
    public PrescreenFilters? Filters { get; init; }
    /// <summary>How many trials to return, the best first (1–100, default 20).</summary>
    public int? Results { get; init; }
}

/// <summary>One check of a trial for the patient: MET, NOT_MET or UNKNOWN (to confirm), with the criterion it quotes.</summary>
public sealed record PrescreenCheck(
    string Outcome, string Requirement, string Kind, string Side, string Criterion,
    bool Conditional);

public sealed record PrescreenTrial(TrialSummary Trial, int Met, int NotMet, int Unknown, IReadOnlyList<PrescreenCheck> Checks, IReadOnlyList<string> ToConfirm);

public sealed record PrescreenResponse(int Candidates, IReadOnlyList<PrescreenTrial> Trials);

/// <summary><c>POST /api/v1/prescreen</c>: a patient's facts against every trial's criteria, criterion by criterion.</summary>
public static class PrescreenApi
{
    public static IEndpointRouteBuilder MapPrescreenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/prescreen", PrescreenAsync)
            .WithTags("Pre-screening")
            .RequireRateLimiting(TrialsApi.RateLimitPolicy)
            .WithName("Prescreen")
            .WithSummary("Rank trials for one patient, each criterion check met, not met or unknown")
            .WithDescription("The profile is health data: it is matched in memory and neither stored nor logged (send it only over HTTPS). Recruiting trials unless filters.status says otherwise; the patient's age and sex and the diagnosis (as a condition) narrow the search like the search's own filters. A check the parser is unsure of, or a fact the profile leaves out, is UNKNOWN, never MET. Lab values: counts in 10^9/L, haemoglobin in g/dL, creatinine and bilirubin in mg/dL (or creatinine-xuln and bilirubin-xuln as multiples of the upper limit of normal), creatinine-clearance in mL/min, alt and ast as multiples of the upper limit, lvef and spo2 in %.");
        return app;
    }

    public static TrialQuery QueryOf(PrescreenFilters? f) => new()
    {
        Antigens = f?.Antigen ?? [],
        Phases = Names(PhaseFilter.Definition, f?.Phase),
        Statuses = Names(StatusFilter.Definition, f?.Status),
        Conditions = f?.Condition ?? [],
        Modalities = Names(ModalityFilter.Definition, f?.Modality),
        Countries = f?.Country ?? [],
        Cities = f?.City ?? [],
        Regions = f?.Region ?? [],
        Near = string.IsNullOrWhiteSpace(f?.Near) ? null : f.Near.Trim(),
        DistanceKm = f?.DistanceKm ?? TrialQuery.DefaultDistanceKm,
    };

    private static List<string> Names(ChoiceFilter filter, IReadOnlyList<string>? values) => [.. (values ?? []).Select(v => filter.Canonical(v) ?? v)];

    public static PrescreenTrial Present(PrescreenMatch match)
    {
        var checks = match.Match.Results
            .OrderBy(r => r.Outcome switch { CheckOutcome.NotMet => 0, CheckOutcome.Unknown => 1, _ => 2 })
            .Select(r => new PrescreenCheck(
                r.Outcome switch { CheckOutcome.Met => "MET", CheckOutcome.NotMet => "NOT_MET", _ => "UNKNOWN" },
                r.Requirement,
                System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(r.Check.Kind.ToString()),
                r.Check.Side == CriterionKind.Inclusion ? "INCLUSION" : "EXCLUSION",
                r.Check.Criterion,
                r.Check.Conditional))
            .ToList();
        return new PrescreenTrial(match.Trial, match.Match.Met, match.Match.NotMet, match.Match.Unknown, checks,
            [.. checks.Where(c => c.Outcome == "UNKNOWN").Select(c => c.Requirement).Distinct(StringComparer.Ordinal)]);
    }

    private static async Task<Results<Ok<PrescreenResponse>, ValidationProblem>> PrescreenAsync(
        PrescreenRequest request, IValidator<PrescreenRequest> validator, Prescreener prescreener, HttpContext http, CancellationToken cancellationToken)
    {
        // Health data: no cache may keep the answer.
        http.Response.Headers.CacheControl = "no-store";
        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.ToDictionary(), title: "The profile is not valid");
        }

        var result = await prescreener.MatchAsync(request.Patient ?? new PatientProfile(), QueryOf(request.Filters), request.Results ?? 20, cancellationToken);
        if (result.PlaceNotFound)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["filters.near"] = ["The place could not be located: give a city where trials run, a postal code, or lat,lon."] }, title: "The profile is not valid");
        }

        return TypedResults.Ok(new PrescreenResponse(result.Candidates, [.. result.Matches.Select(Present)]));
    }
}

public sealed class PrescreenRequestValidator : AbstractValidator<PrescreenRequest>
{
    public static readonly IReadOnlySet<string> Analytes = new HashSet<string>(StringComparer.Ordinal)
    {
        "anc", "platelets", "hemoglobin", "lymphocytes", "creatinine", "creatinine-xuln", "creatinine-clearance", "bilirubin", "bilirubin-xuln", "alt", "ast", "lvef", "spo2",
    };

    public PrescreenRequestValidator()
    {
        RuleFor(r => r.Results).InclusiveBetween(1, Prescreener.MaxResults).When(r => r.Results is not null).OverridePropertyName("results");
        RuleFor(r => r.Patient!.Age).InclusiveBetween(0, 120).When(r => r.Patient?.Age is not null).OverridePropertyName("patient.age");
        RuleFor(r => r.Patient!.Sex).Must(s => s!.Trim().ToUpperInvariant() is "FEMALE" or "MALE").When(r => r.Patient?.Sex is not null)
            .OverridePropertyName("patient.sex").WithMessage("sex is FEMALE or MALE.");
        RuleFor(r => r.Patient!.Ecog).InclusiveBetween(0, 4).When(r => r.Patient?.Ecog is not null).OverridePropertyName("patient.ecog");
        RuleFor(r => r.Patient!.Karnofsky).InclusiveBetween(0, 100).When(r => r.Patient?.Karnofsky is not null).OverridePropertyName("patient.karnofsky");
        RuleFor(r => r.Patient!.Lansky).InclusiveBetween(0, 100).When(r => r.Patient?.Lansky is not null).OverridePropertyName("patient.lansky");
        RuleFor(r => r.Patient!.PriorLines).InclusiveBetween(0, 30).When(r => r.Patient?.PriorLines is not null).OverridePropertyName("patient.priorLines");
        RuleFor(r => r.Patient!.MonthsSinceTransplant).InclusiveBetween(0, 1200).When(r => r.Patient?.MonthsSinceTransplant is not null).OverridePropertyName("patient.monthsSinceTransplant");
        RuleFor(r => r.Patient!.Diagnosis).MaximumLength(200).When(r => r.Patient?.Diagnosis is not null).OverridePropertyName("patient.diagnosis");
        RuleFor(r => r.Patient!.Labs).Must(labs => labs!.All(l => Analytes.Contains(l.Key) && l.Value >= 0 && double.IsFinite(l.Value)))
            .When(r => r.Patient?.Labs is not null).OverridePropertyName("patient.labs")
            .WithMessage(r => $"labs take non-negative numbers for {string.Join(", ", Analytes.Order(StringComparer.Ordinal))}; not: {string.Join(", ", r.Patient!.Labs!.Where(l => !Analytes.Contains(l.Key) || l.Value < 0 || !double.IsFinite(l.Value)).Select(l => l.Key.Length > 40 ? l.Key[..40] : l.Key))}.");
        RuleFor(r => r.Patient!.PriorAntigenTherapies).Must(a => a!.Count <= 20 && a.All(x => x is { Length: > 0 and <= 60 })).When(r => r.Patient?.PriorAntigenTherapies is not null).OverridePropertyName("patient.priorAntigenTherapies");
        RuleFor(r => r.Patient!.AntigenResults).Must(a => a!.Count <= 20 && a.All(x => x.Key.Length <= 60)).When(r => r.Patient?.AntigenResults is not null).OverridePropertyName("patient.antigenResults");
        foreach (var (filter, list) in new (ChoiceFilter, Func<PrescreenRequest, IReadOnlyList<string>?>)[]
        {
            (PhaseFilter.Definition, r => r.Filters?.Phase), (StatusFilter.Definition, r => r.Filters?.Status), (ModalityFilter.Definition, r => r.Filters?.Modality),
        })
        {
            RuleFor(r => list(r)).Must(v => v!.All(p => p is null || filter.Canonical(p) is not null)).When(r => list(r) is not null)
                .OverridePropertyName("filters." + filter.Parameter).WithMessage($"{filter.Parameter} takes {string.Join(", ", filter.Values)}.");
        }

        foreach (var (name, list) in new (string, Func<PrescreenRequest, IReadOnlyList<string>?>)[]
        {
            ("filters.antigen", r => r.Filters?.Antigen), ("filters.phase", r => r.Filters?.Phase), ("filters.status", r => r.Filters?.Status),
            ("filters.condition", r => r.Filters?.Condition), ("filters.modality", r => r.Filters?.Modality), ("filters.country", r => r.Filters?.Country),
            ("filters.city", r => r.Filters?.City), ("filters.region", r => r.Filters?.Region),
        })
        {
            RuleFor(r => list(r)).Must(values => values!.Count <= 20 && values.All(v => !string.IsNullOrWhiteSpace(v) && v.Length <= 200)).When(r => list(r) is not null)
                .OverridePropertyName(name).WithMessage($"{name} takes up to 20 values, none empty or longer than 200 characters.");
        }

        RuleFor(r => r.Filters!.DistanceKm).Must(d => d is > 0 and <= 20_000).When(r => r.Filters?.DistanceKm is not null)
            .OverridePropertyName("filters.distanceKm").WithMessage("distanceKm is more than 0 and at most 20000.");
        RuleFor(r => r.Filters!.Near).MaximumLength(200).When(r => r.Filters?.Near is not null).OverridePropertyName("filters.near");
    }
}
