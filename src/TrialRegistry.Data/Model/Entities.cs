using NpgsqlTypes;

namespace TrialRegistry.Data.Model;

// The normalized model. Vocabulary values are stored as ClinicalTrials.gov's names (RECRUITING, PHASE1, ...)
// through TrialRegistry.Ingestion.Model.VocabularyNames, so SQL, the API and the parse output read alike.

public sealed class Trial
{
    public long Id { get; set; }
    /// <summary>The natural key: an NCT number, or a content-derived id (TR-…) for documents with none.</summary>
    public required string RegistryId { get; set; }
    public List<string> SecondaryIds { get; set; } = [];
    public string? Title { get; set; }
    public string? OfficialTitle { get; set; }
    public string? BriefSummary { get; set; }
    public string? DetailedDescription { get; set; }
    public string? Status { get; set; }
    public List<string> Phases { get; set; } = [];
    public string? StudyType { get; set; }
    public int? EnrollmentCount { get; set; }
    public string? EnrollmentType { get; set; }
    /// <summary>ISO 8601, possibly partial (2024-09); sorts as text.</summary>
    public string? StartDate { get; set; }
    public string? CompletionDate { get; set; }
    public string? LastUpdated { get; set; }
    public List<string> Routes { get; set; } = [];
    /// <summary>The kinds of disease of the conditions (HEMATOLOGIC_MALIGNANCY, SOLID_TUMOR, AUTOIMMUNE, INFECTION); null until computed.</summary>
    public List<string>? DiseaseCategories { get; set; }
    /// <summary>The disease concepts of the conditions with every broader one (Knowledge/diseases.json ids); null until computed.</summary>
    public List<string>? ConditionConcepts { get; set; }
    public List<string> Lymphodepletion { get; set; } = [];
    /// <summary>CAR_T, CAR_NK, CAR_M, TCR_T, OTHER_CELL_THERAPY, NOT_CELL_THERAPY, or null when the sources do not say.</summary>
    public string? Modality { get; set; }
    /// <summary>AUTOLOGOUS, ALLOGENEIC, IN_VIVO, or null.</summary>
    public string? ProductType { get; set; }
    /// <summary>The named cell products the trial gives.</summary>
    public List<string> Products { get; set; } = [];
    public List<string> Inferred { get; set; } = [];
    /// <summary>FULL, or PARTIAL for a trial known only from a sites list or another partial source (ranked below full records).</summary>
    public string Completeness { get; set; } = "FULL";
    /// <summary>The fields no source states ("Not in the sources we hold", which is not "none").</summary>
    public List<string> NotStated { get; set; } = [];
    public List<string> Warnings { get; set; } = [];
    /// <summary>Which source document each field was taken from: field name -> source document id.</summary>
    public Dictionary<string, long> FieldSources { get; set; } = [];
    /// <summary>Title, summaries, conditions, interventions, antigens and criteria, for full-text search.</summary>
    public string SearchText { get; set; } = string.Empty;
    public NpgsqlTsVector SearchVector { get; set; } = null!;
    public int Version { get; set; }
    public required string ContentHash { get; set; }
    public bool Withdrawn { get; set; }
    /// <summary>The trial this record turned out to be (a record without a registry id found to duplicate a registered trial); it is withdrawn, with its history.</summary>
    public string? MergedInto { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<Arm> Arms { get; set; } = [];
    public List<Intervention> Interventions { get; set; } = [];
    public List<DoseLevel> DoseLevels { get; set; } = [];
    public List<TargetAntigen> TargetAntigens { get; set; } = [];
    public List<Condition> Conditions { get; set; } = [];
    public Eligibility? Eligibility { get; set; }
    public List<EligibilityCriterion> Criteria { get; set; } = [];
    public List<Sponsor> Sponsors { get; set; } = [];
    public List<Location> Locations { get; set; } = [];
    public List<Contact> Contacts { get; set; } = [];
    public List<Outcome> Outcomes { get; set; } = [];
    public List<TrialDocument> Documents { get; set; } = [];
    public List<TrialVersion> Versions { get; set; } = [];
}

public sealed class Arm
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    public int Ordinal { get; set; }
    public required string Label { get; set; }
    public string? Type { get; set; }
    public string? Description { get; set; }
    public List<string> Routes { get; set; } = [];
    public List<Intervention> Interventions { get; set; } = [];
    public List<DoseLevel> DoseLevels { get; set; } = [];
}

public sealed class Intervention
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    public int Ordinal { get; set; }
    public required string Name { get; set; }
    public string? Type { get; set; }
    public string? Description { get; set; }
    public List<string> OtherNames { get; set; } = [];
    public List<Arm> Arms { get; set; } = [];
}

/// <summary>A dose level: <see cref="Value"/> cells in <see cref="Unit"/> (CELLS_PER_KG, CELLS, CELLS_PER_M2); per arm where the document says so.</summary>
public sealed class DoseLevel
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    public long? ArmId { get; set; }
    public int Ordinal { get; set; }
    public required string Text { get; set; }
    public double Value { get; set; }
    public required string Unit { get; set; }
}

public sealed class TargetAntigen
{
    public int Id { get; set; }
    public required string Symbol { get; set; }
    public required string Name { get; set; }
    public List<string> Synonyms { get; set; } = [];
    public List<Trial> Trials { get; set; } = [];
}

public sealed class Condition
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    public int Ordinal { get; set; }
    public required string Name { get; set; }
}

public sealed class Eligibility
{
    public long TrialId { get; set; }
    public int? MinAgeYears { get; set; }
    public int? MaxAgeYears { get; set; }
    public string? Sex { get; set; }
    public bool? HealthyVolunteers { get; set; }
    public string? CriteriaText { get; set; }
    /// <summary>The structured checks read from the criteria (<c>EligibilityChecks</c>), as JSON; null until read.</summary>
    public string? Checks { get; set; }
}

public sealed class EligibilityCriterion
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    /// <summary>INCLUSION or EXCLUSION.</summary>
    public required string Kind { get; set; }
    public int Ordinal { get; set; }
    public required string Text { get; set; }
    public List<string> SubItems { get; set; } = [];
}

public sealed class Sponsor
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    public int Ordinal { get; set; }
    public required string Name { get; set; }
    public required string Role { get; set; }
    public string? Class { get; set; }
}

public sealed class Location
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    public int Ordinal { get; set; }
    public string? Facility { get; set; }
    public string? City { get; set; }
    public string? State { get; set; }
    public string? Country { get; set; }
    public string? Status { get; set; }
    public string? PostalCode { get; set; }
    /// <summary>WGS 84 degrees, where a source gives them (indexed for distance searches).</summary>
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
}

public sealed class Contact
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    public int Ordinal { get; set; }
    public required string Name { get; set; }
    public string? Role { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
}

public sealed class Outcome
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    public int Ordinal { get; set; }
    public required string Kind { get; set; }
    public required string Measure { get; set; }
    public string? Description { get; set; }
    public string? TimeFrame { get; set; }
}

/// <summary>A document as received: kept whole (raw text and hash) whether or not it could be read.</summary>
public sealed class SourceDocument
{
    public long Id { get; set; }
    public required string Sha256 { get; set; }
    public string? FileName { get; set; }
    public required string Format { get; set; }
    public required string Encoding { get; set; }
    public required string RawText { get; set; }
    /// <summary>Why the document could not be read; null when it was.</summary>
    public string? Error { get; set; }
    public int RecordCount { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>
/// One record a document gave for one trial (a multi-trial CSV gives one per row), with the record as parsed.
/// A newer record from the same source (same format and record key) supersedes the older one, which is kept.
/// </summary>
public sealed class TrialDocument
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    public long SourceDocumentId { get; set; }
    public SourceDocument SourceDocument { get; set; } = null!;
    /// <summary>The record's name within its source: the file name, plus "#row12" or "#NCT…" in multi-record files.</summary>
    public required string RecordKey { get; set; }
    public required string Format { get; set; }
    /// <summary>The parsed record as JSON (TrialRecord).</summary>
    public required string Record { get; set; }
    public bool Superseded { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>A version of a trial: the merged record as it stood, which document produced it, and what changed.</summary>
public sealed class TrialVersion
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    public int Version { get; set; }
    public long? SourceDocumentId { get; set; }
    public required string Snapshot { get; set; }
    public List<string> ChangedFields { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The admin who made this version by hand (a correction, its release); null for a version a document made.</summary>
    public string? Actor { get; set; }
    /// <summary>Why, as the admin wrote it.</summary>
    public string? Reason { get; set; }
}

/// <summary>
/// An admin's value for one field of a trial. While it is active (not released) it wins over every source, also over
/// documents imported after it; <see cref="Value"/> is the field's JSON, null for "no value".
/// </summary>
public sealed class Correction
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    public required string Field { get; set; }
    public string? Value { get; set; }
    public required string Reason { get; set; }
    public required string CorrectedBy { get; set; }
    public DateTimeOffset CorrectedAt { get; set; }
    public string? ReleasedBy { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
}

/// <summary>A reader's report that a value on a trial's page is wrong, waiting for an admin. Nothing about the reader is kept.</summary>
public sealed class ValueFlag
{
    public long Id { get; set; }
    public long TrialId { get; set; }
    public required string Field { get; set; }
    public required string Message { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? ResolvedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    /// <summary>What the admin did: corrected, or dismissed with a note.</summary>
    public string? Resolution { get; set; }
}
