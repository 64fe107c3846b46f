using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using TrialRegistry.Data.Search;

namespace TrialRegistry.Web.Api;

/// <summary>
/// A trial as an HL7 FHIR R4 ResearchStudy (Firely SDK). Standard elements carry what they can (identifiers,
/// title, status, phase, conditions, arms, sponsor, period, sites' countries, objectives); the CAR-T specifics
/// travel as coded extensions: target antigens on the study, routes and dose levels on each arm (and on the
/// study for doses no arm carries), and the ClinicalTrials.gov status, which R4's status codes cannot keep.
/// </summary>
public static class FhirExport
{
    public const string ContentType = "application/fhir+json";
    public const string ExtensionBase = "https://trialregistry.example.org/fhir/StructureDefinition/";
    public const string AntigenSystem = "https://trialregistry.example.org/fhir/CodeSystem/target-antigen";
    public const string RouteSystem = "https://trialregistry.example.org/fhir/CodeSystem/route";
    public const string DoseUnitSystem = "https://trialregistry.example.org/fhir/CodeSystem/dose-unit";
    public const string CtGovStatusSystem = "https://clinicaltrials.gov/data-api/about-api/study-data-structure#enum-Status";
    /// <summary>The identifier system of HL7's ClinicalTrials.gov naming system (terminology.hl7.org NamingSystem ClinicalTrials-Gov).</summary>
    public const string NctSystem = "http://clinicaltrials.gov";
    public const string DataAbsentReason = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    public const string RegistryIdSystem = "https://trialregistry.example.org/fhir/NamingSystem/registry-id";
    private const string PhaseSystem = "http://terminology.hl7.org/CodeSystem/research-study-phase";
    private const string ObjectiveTypeSystem = "http://terminology.hl7.org/CodeSystem/research-study-objective-type";

    public static string ToJson(TrialDetail trial) => ToResearchStudy(trial).ToJson(pretty: true);

    public static ResearchStudy ToResearchStudy(TrialDetail trial)
    {
        var study = new ResearchStudy
        {
            Id = trial.RegistryId,
            Title = trial.Title ?? trial.OfficialTitle,
            Description = trial.BriefSummary,
            Phase = Phase(trial.Phases),
            Text = FhirNarrative.Of(trial),
        };
        study.StatusElement = Status(trial.Status);
        study.Identifier.Add(trial.RegistryId.StartsWith("NCT", StringComparison.Ordinal)
            ? new Identifier(NctSystem, trial.RegistryId) { Use = Identifier.IdentifierUse.Official, Assigner = new ResourceReference { Display = "ClinicalTrials.gov" } }
            : new Identifier(RegistryIdSystem, trial.RegistryId) { Use = Identifier.IdentifierUse.Usual });
        study.Identifier.AddRange(trial.SecondaryIds.Select(id => new Identifier { Value = id, Use = Identifier.IdentifierUse.Secondary }));
        study.Condition.AddRange(trial.Conditions.Select(c => new CodeableConcept { Text = c }));
        study.Keyword.AddRange(trial.TargetAntigens.Select(a => new CodeableConcept(AntigenSystem, a.Symbol, a.Name, a.Symbol)));
        study.Location.AddRange(trial.Locations.Select(l => l.Country).Where(c => c is not null).Distinct().Select(c => new CodeableConcept { Text = c }));
        if (trial.StartDate is not null || trial.CompletionDate is not null)
        {
            study.Period = new Period { Start = trial.StartDate, End = trial.CompletionDate };
        }

        if (trial.Sponsors.FirstOrDefault(s => s.Role == "LEAD") is { } lead)
        {
            study.Sponsor = new ResourceReference { Display = lead.Name };
        }

        study.Objective.AddRange(trial.Outcomes.Select(o => new ResearchStudy.ObjectiveComponent
        {
            Name = o.Measure,
            Type = ObjectiveType(o.Kind),
        }));

        foreach (var antigen in trial.TargetAntigens)
        {
            study.Extension.Add(new Extension(ExtensionBase + "target-antigen", new CodeableConcept(AntigenSystem, antigen.Symbol, antigen.Name, antigen.Symbol)));
        }

        if (trial.Status is not null)
        {
            study.Extension.Add(new Extension(ExtensionBase + "ctgov-status", new Coding(CtGovStatusSystem, trial.Status)));
        }

        foreach (var agent in trial.Lymphodepletion)
        {
            study.Extension.Add(new Extension(ExtensionBase + "lymphodepletion", new FhirString(agent)));
        }

        foreach (var arm in trial.Arms)
        {
            var component = new ResearchStudy.ArmComponent
            {
                Name = arm.Label,
                Type = arm.Type is null ? null : new CodeableConcept { Text = arm.Type },
                Description = ArmDescription(arm),
            };
            component.Extension.AddRange(arm.Routes.Select(Route));
            component.Extension.AddRange(arm.DoseLevels.Select(Dose));
            study.Arm.Add(component);
        }

        var armDoses = trial.Arms.SelectMany(a => a.DoseLevels).ToHashSet();
        study.Extension.AddRange(trial.DoseLevels.Where(d => !armDoses.Contains(d)).Select(Dose));
        if (trial.Arms.Count == 0)
        {
            study.Extension.AddRange(trial.Routes.Select(Route));
        }

        return study;
    }

    private static Extension Route(string route) =>
        new(ExtensionBase + "route", new CodeableConcept(RouteSystem, route, route.Replace('_', '-').ToLowerInvariant(), null));

    private static Extension Dose(DoseSummary dose)
    {
        var extension = new Extension { Url = ExtensionBase + "dose-level" };
        extension.Extension.Add(new Extension("value", new Quantity { Value = (decimal)dose.Value, Unit = dose.Unit, System = DoseUnitSystem, Code = dose.Unit }));
        extension.Extension.Add(new Extension("text", new FhirString(dose.Text)));
        return extension;
    }

    private static string ArmDescription(ArmDetail arm)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(arm.Description))
        {
            parts.Add(arm.Description);
        }

        if (arm.Routes.Count > 0)
        {
            parts.Add("Route: " + string.Join(", ", arm.Routes));
        }

        if (arm.DoseLevels.Count > 0)
        {
            parts.Add("Dose levels: " + string.Join("; ", arm.DoseLevels.Select(d => d.Text)));
        }

        return parts.Count == 0 ? arm.Label : string.Join(". ", parts);
    }

    /// <summary>
    /// R4's status for a ClinicalTrials.gov status. Where R4 has no code that says the same (UNKNOWN: last verified
    /// over two years ago; withheld; approved for marketing; or no status in the sources) the element carries the
    /// data-absent-reason extension instead of a guessed code; the ctgov-status extension keeps the original.
    /// </summary>
    private static Code<ResearchStudy.ResearchStudyStatus> Status(string? status)
    {
        ResearchStudy.ResearchStudyStatus? code = status switch
        {
            "RECRUITING" or "ENROLLING_BY_INVITATION" or "AVAILABLE" => ResearchStudy.ResearchStudyStatus.Active,
            "NOT_YET_RECRUITING" => ResearchStudy.ResearchStudyStatus.Approved,
            "ACTIVE_NOT_RECRUITING" or "NO_LONGER_AVAILABLE" => ResearchStudy.ResearchStudyStatus.ClosedToAccrual,
            "SUSPENDED" or "TEMPORARILY_NOT_AVAILABLE" => ResearchStudy.ResearchStudyStatus.TemporarilyClosedToAccrual,
            "TERMINATED" => ResearchStudy.ResearchStudyStatus.AdministrativelyCompleted,
            "COMPLETED" => ResearchStudy.ResearchStudyStatus.Completed,
            "WITHDRAWN" => ResearchStudy.ResearchStudyStatus.Withdrawn,
            _ => null,
        };
        var element = new Code<ResearchStudy.ResearchStudyStatus>(code);
        if (code is null)
        {
            var reason = status switch { "WITHHELD_FROM_PUBLIC" => "masked", "APPROVED_FOR_MARKETING" => "not-applicable", _ => "unknown" };
            element.Extension.Add(new Extension(DataAbsentReason, new Code(reason)));
        }

        return element;
    }

    /// <summary>Primary and secondary outcomes carry R4's objective-type codes; other outcomes are named in text only (R4's third code, exploratory, is not what "other" says).</summary>
    private static CodeableConcept ObjectiveType(string kind) => kind switch
    {
        "PRIMARY" => new CodeableConcept(ObjectiveTypeSystem, "primary", "Primary", null),
        "SECONDARY" => new CodeableConcept(ObjectiveTypeSystem, "secondary", "Secondary", null),
        _ => new CodeableConcept { Text = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(kind.ToLowerInvariant()) },
    };

    private static CodeableConcept? Phase(IReadOnlyList<string> phases)
    {
        // The code system's own codes and displays.
        (string Code, string Display)? code = phases switch
        {
            [] => null,
            ["NA"] => ("n-a", "N/A"),
            ["EARLY_PHASE1"] => ("early-phase-1", "Early Phase 1"),
            ["PHASE1"] => ("phase-1", "Phase 1"),
            ["PHASE1", "PHASE2"] => ("phase-1-phase-2", "Phase 1/Phase 2"),
            ["PHASE2"] => ("phase-2", "Phase 2"),
            ["PHASE2", "PHASE3"] => ("phase-2-phase-3", "Phase 2/Phase 3"),
            ["PHASE3"] => ("phase-3", "Phase 3"),
            ["PHASE4"] => ("phase-4", "Phase 4"),
            _ => null,
        };
        return code is { } c
            ? new CodeableConcept(PhaseSystem, c.Code, c.Display, null)
            : phases.Count == 0 ? null : new CodeableConcept { Text = string.Join("/", phases) };
    }
}
