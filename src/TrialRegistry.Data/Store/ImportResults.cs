using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Store;

/// <summary>What storing a record did (or would do) to its trial.</summary>
public enum ImportOutcome
{
    New,
    Updated,
    Unchanged,
    Failed,
}

/// <summary>What happened to one trial record of a document; <paramref name="MatchedAs"/> says why a record without a registry id was stored as a registered trial.</summary>
public sealed record RecordImportResult(string RegistryId, string? Title, ImportOutcome Outcome, int Version, IReadOnlyList<string> ChangedFields, string? MatchedAs = null)
{
    /// <summary>Fields an admin corrected that this record states otherwise: the correction was kept.</summary>
    public IReadOnlyList<string> KeptCorrections { get; init; } = [];
}

/// <summary>One field a stored trial would change: its JSON before and after.</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>
/// What storing one record would do. For a record without a registry id, <paramref name="Match"/> says which registered
/// trial it is (certain: it is stored as that trial) or may be (probable: an admin decides).
/// </summary>
public sealed record RecordPreview(TrialRecord Record, ImportOutcome Outcome, IReadOnlyList<FieldChange> Changes, MatchResult? Match = null)
{
    /// <summary>Fields an admin corrected that this record states otherwise: storing it keeps the correction.</summary>
    public IReadOnlyList<string> KeptCorrections { get; init; } = [];
}

public enum CurationOutcome
{
    Corrected,
    Released,
    /// <summary>A release of a field that has no active correction.</summary>
    NotCorrected,
    NoSuchTrial,
}

/// <summary>What a correction or its release did: the trial's version after it, and the fields whose values changed.</summary>
public sealed record CurationResult(CurationOutcome Outcome, int Version, IReadOnlyList<string> ChangedFields);

/// <summary>What happened to one document: its records, or why it could not be read (it is kept all the same).</summary>
public sealed record DocumentImportResult(string? FileName, string Format, long SourceDocumentId, IReadOnlyList<RecordImportResult> Records, string? Error)
{
    public int Count(ImportOutcome outcome) => Records.Count(r => r.Outcome == outcome);
}

/// <summary>Who does an admin's write, how (page, api, cli), and why (kept with the version and in the audit log).</summary>
public sealed record AdminAction(string Actor, string Via, string? Reason = null);
