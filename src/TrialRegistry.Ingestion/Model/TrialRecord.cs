namespace TrialRegistry.Ingestion.Model;

/// <summary>Where a record came from: the document's name, the format it was read as, and its SHA-256.</summary>
public sealed record SourceInfo(string? FileName, string Format, string Sha256);

public sealed record Enrollment(int? Count, EnrollmentType? Type);

/// <summary>A dose level: the number of cells, its unit, and the dose as the document wrote it.</summary>
public sealed record DoseLevel(string Text, double Value, DoseUnit Unit);

public sealed record Arm
{
    public required string Label { get; init; }
    public ArmType? Type { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<Route> Routes { get; init; } = [];
    public IReadOnlyList<string> Interventions { get; init; } = [];
    public IReadOnlyList<DoseLevel> DoseLevels { get; init; } = [];
}

public sealed record Intervention
{
    public required string Name { get; init; }
    public InterventionType? Type { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string> OtherNames { get; init; } = [];
}

/// <summary>One numbered (or bulleted) criterion with the sub-items written under it.</summary>
public sealed record Criterion(string Text, IReadOnlyList<string> SubItems)
{
    /// <summary>The criterion as one line: its text followed by its sub-items.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Flattened => SubItems.Count == 0
        ? Text
        : $"{Text} {string.Join("; ", SubItems.Select(s => s.TrimEnd(';', '.', ' ')))}";
}

public sealed record Eligibility
{
    public int? MinAgeYears { get; init; }
    public int? MaxAgeYears { get; init; }
    public Sex? Sex { get; init; }
    public bool? HealthyVolunteers { get; init; }
    public IReadOnlyList<Criterion> Inclusion { get; init; } = [];
    public IReadOnlyList<Criterion> Exclusion { get; init; } = [];
    /// <summary>The criteria text as the document gave it.</summary>
    public string? CriteriaText { get; init; }
}

public sealed record Sponsor(string Name, SponsorRole Role, string? Class);

/// <summary>A site; <paramref name="Latitude"/> and <paramref name="Longitude"/> (WGS 84 degrees) and the postal code where the source gives them.</summary>
public sealed record Location(string? Facility, string? City, string? State, string? Country, TrialStatus? Status,
    double? Latitude = null, double? Longitude = null, string? PostalCode = null);

public sealed record Contact(string Name, string? Role, string? Phone, string? Email);

public sealed record Outcome(OutcomeKind Kind, string Measure, string? Description, string? TimeFrame);

/// <summary>
/// The normalized record that ingestion produces from one document, before anything touches the
/// database. Its JSON form (<see cref="ParseOutput"/>) is the parse contract.
/// </summary>
public sealed record TrialRecord
{
    public required SourceInfo Source { get; init; }
    public string? RegistryId { get; init; }
    public IReadOnlyList<string> SecondaryIds { get; init; } = [];
    public string? Title { get; init; }
    public string? OfficialTitle { get; init; }
    public string? BriefSummary { get; init; }
    public string? DetailedDescription { get; init; }
    public TrialStatus? Status { get; init; }
    public IReadOnlyList<TrialPhase> Phases { get; init; } = [];
    public StudyType? StudyType { get; init; }
    public Enrollment? Enrollment { get; init; }
    /// <summary>ISO 8601 date, possibly partial (<c>2024-09</c>) when the document gives only month and year.</summary>
    public string? StartDate { get; init; }
    public string? CompletionDate { get; init; }
    public string? LastUpdated { get; init; }
    public IReadOnlyList<string> Conditions { get; init; } = [];
    public IReadOnlyList<string> TargetAntigens { get; init; } = [];
    public Modality? Modality { get; init; }
    public ProductType? ProductType { get; init; }
    /// <summary>The cell products the trial gives, one entry a product, by the name the document uses.</summary>
    public IReadOnlyList<string> Products { get; init; } = [];
    public IReadOnlyList<Route> Routes { get; init; } = [];
    public IReadOnlyList<string> Lymphodepletion { get; init; } = [];
    public IReadOnlyList<DoseLevel> DoseLevels { get; init; } = [];
    public IReadOnlyList<Arm> Arms { get; init; } = [];
    public IReadOnlyList<Intervention> Interventions { get; init; } = [];
    public Eligibility? Eligibility { get; init; }
    public IReadOnlyList<Sponsor> Sponsors { get; init; } = [];
    public IReadOnlyList<Location> Locations { get; init; } = [];
    public IReadOnlyList<Contact> Contacts { get; init; } = [];
    public IReadOnlyList<Outcome> Outcomes { get; init; } = [];
    public IReadOnlyList<string> Inferred { get; init; } = [];
    public IReadOnlyList<ParseWarning> Warnings { get; init; } = [];
}
