using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Synthetic;

/// <summary>A dose level as written (<see cref="Text"/>) and as meant.</summary>
public sealed record SyntheticDose(string Text, double Value, DoseUnit Unit);

public sealed record SyntheticArm(string Label, ArmType Type, string Description, Route Route, IReadOnlyList<SyntheticDose> Doses, IReadOnlyList<string> Interventions);

public sealed record SyntheticIntervention(string Name, InterventionType Type, string Description, IReadOnlyList<string> OtherNames);

public sealed record SyntheticCriterion(string Text, IReadOnlyList<string> SubItems);

public sealed record SyntheticSite(string Facility, string City, string? State, string Country, TrialStatus Status)
{
    /// <summary>Where the site is, in degrees (null: not known, as for many real sites).</summary>
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public string? PostalCode { get; init; }
}

public sealed record SyntheticSponsor(string Name, string Class);

public sealed record SyntheticContact(string Name, string Phone, string Email);

public sealed record SyntheticOutcome(OutcomeKind Kind, string Measure, string Description, string TimeFrame);

/// <summary>
/// One generated trial: what the documents written from it say. Tests compare the parser's reading of a document
/// with these values.
/// </summary>
public sealed class SyntheticTrial
{
    public required int Index { get; init; }
    public required string NctId { get; init; }
    public required string OrgStudyId { get; init; }
    public required string Title { get; init; }
    public required string OfficialTitle { get; init; }
    public required string BriefSummary { get; init; }
    public required string DetailedDescription { get; init; }
    public required TrialStatus Status { get; init; }
    public required IReadOnlyList<TrialPhase> Phases { get; init; }
    public required int Enrollment { get; init; }
    public required EnrollmentType EnrollmentType { get; init; }
    public required string StartDate { get; init; }
    public required string CompletionDate { get; init; }
    public required string LastUpdated { get; init; }
    /// <summary>Canonical symbols of the antigens the CAR targets.</summary>
    public required IReadOnlyList<string> Antigens { get; init; }
    public required IReadOnlyList<string> Conditions { get; init; }
    public required string Product { get; init; }
    public required IReadOnlyList<SyntheticArm> Arms { get; init; }
    public required IReadOnlyList<SyntheticIntervention> Interventions { get; init; }
    public required string Lymphodepletion { get; init; }
    public required IReadOnlyList<SyntheticCriterion> Inclusion { get; init; }
    public required IReadOnlyList<SyntheticCriterion> Exclusion { get; init; }
    public required int MinAgeYears { get; init; }
    public required int? MaxAgeYears { get; init; }
    public required Sex Sex { get; init; }
    public required SyntheticSponsor Lead { get; init; }
    public required IReadOnlyList<SyntheticSponsor> Collaborators { get; init; }
    public required IReadOnlyList<SyntheticSite> Sites { get; init; }
    public required IReadOnlyList<SyntheticContact> Contacts { get; init; }
    public required IReadOnlyList<SyntheticOutcome> Outcomes { get; init; }

    public IEnumerable<SyntheticDose> Doses => Arms.SelectMany(a => a.Doses);

    public IEnumerable<Route> Routes => Arms.Select(a => a.Route).Distinct();
}
