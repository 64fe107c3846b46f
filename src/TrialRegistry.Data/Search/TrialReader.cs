using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Search;

public sealed record ArmDetail(string Label, string? Type, string? Description, IReadOnlyList<string> Routes, IReadOnlyList<string> Interventions, IReadOnlyList<DoseSummary> DoseLevels);

public sealed record InterventionDetail(string Name, string? Type, string? Description, IReadOnlyList<string> OtherNames);

public sealed record CriterionDetail(string Text, IReadOnlyList<string> SubItems);

public sealed record EligibilityDetail(
    int? MinAgeYears, int? MaxAgeYears, string? Sex, bool? HealthyVolunteers,
    IReadOnlyList<CriterionDetail> Inclusion, IReadOnlyList<CriterionDetail> Exclusion, string? CriteriaText);

public sealed record SponsorDetail(string Name, string Role, string? Class);

/// <summary>A site; its coordinates (WGS 84 degrees) where the sources give them.</summary>
public sealed record LocationDetail(string? Facility, string? City, string? State, string? Country, string? Status, double? Latitude = null, double? Longitude = null);

public sealed record ContactDetail(string Name, string? Role, string? Phone, string? Email);

public sealed record OutcomeDetail(string Kind, string Measure, string? Description, string? TimeFrame);

public sealed record AntigenRef(string Symbol, string Name);

/// <summary>A document a trial's values came from, with the warnings its reading gave (they are about that document, not the trial).</summary>
public sealed record SourceDocumentRef(long Id, string? FileName, string Format, string Sha256, DateTimeOffset ReceivedAt, string RecordKey, bool Superseded)
{
    /// <summary>The warnings' sentences.</summary>
    public IReadOnlyList<string> Warnings => WarningDetails.Select(w => w.Message).ToList();

    /// <summary>The warnings with their kind, field, line and the text they concern.</summary>
    public IReadOnlyList<ParseWarning> WarningDetails { get; init; } = [];
}

public sealed record EnrollmentDetail(int? Count, string? Type);

/// <summary>The full normalized record of one trial.</summary>
public sealed record TrialDetail
{
    public required string RegistryId { get; init; }
    public IReadOnlyList<string> SecondaryIds { get; init; } = [];
    public string? Title { get; init; }
    public string? OfficialTitle { get; init; }
    public string? BriefSummary { get; init; }
    public string? DetailedDescription { get; init; }
    public string? Status { get; init; }
    public IReadOnlyList<string> Phases { get; init; } = [];
    public string? StudyType { get; init; }
    public EnrollmentDetail? Enrollment { get; init; }
    public string? StartDate { get; init; }
    public string? CompletionDate { get; init; }
    public string? LastUpdated { get; init; }
    public IReadOnlyList<string> Conditions { get; init; } = [];
    public IReadOnlyList<AntigenRef> TargetAntigens { get; init; } = [];
    /// <summary>What the trial gives: CAR_T, CAR_NK, CAR_M, TCR_T, OTHER_CELL_THERAPY, NOT_CELL_THERAPY; null when the sources do not say.</summary>
    public string? Modality { get; init; }
    /// <summary>AUTOLOGOUS, ALLOGENEIC or IN_VIVO; null when the sources do not say.</summary>
    public string? ProductType { get; init; }
    /// <summary>The named cell products the trial gives.</summary>
    public IReadOnlyList<string> Products { get; init; } = [];
    public IReadOnlyList<string> Routes { get; init; } = [];
    public IReadOnlyList<string> Lymphodepletion { get; init; } = [];
    public IReadOnlyList<DoseSummary> DoseLevels { get; init; } = [];
    public IReadOnlyList<ArmDetail> Arms { get; init; } = [];
    public IReadOnlyList<InterventionDetail> Interventions { get; init; } = [];
    public EligibilityDetail? Eligibility { get; init; }
    public IReadOnlyList<SponsorDetail> Sponsors { get; init; } = [];
    public IReadOnlyList<LocationDetail> Locations { get; init; } = [];
    public IReadOnlyList<ContactDetail> Contacts { get; init; } = [];
    public IReadOnlyList<OutcomeDetail> Outcomes { get; init; } = [];
    public IReadOnlyList<string> Inferred { get; init; } = [];
    /// <summary>FULL, or PARTIAL for a trial known only from a sites list or another partial source.</summary>
    public string Completeness { get; init; } = "FULL";
    /// <summary>
    /// Fields no source states (names as in this record; eligibility parts as <c>eligibility.criteria</c>,
    /// <c>eligibility.ages</c>, <c>eligibility.sex</c>): "not in the sources we hold", which is not "none".
    /// </summary>
    public IReadOnlyList<string> NotStated { get; init; } = [];
    /// <summary>Warnings about the merged record itself; those of reading each document are with <see cref="SourceDocuments"/>.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public IReadOnlyList<SourceDocumentRef> SourceDocuments { get; init; } = [];
    /// <summary>Which source document (id) each field's value came from (a corrected field: see <see cref="Corrections"/>).</summary>
    public IReadOnlyDictionary<string, long> FieldSources { get; init; } = new Dictionary<string, long>();
    /// <summary>The fields an admin has corrected: their values win over every source until released.</summary>
    public IReadOnlyList<CorrectionDetail> Corrections { get; init; } = [];
    public int Version { get; init; }
    public bool Withdrawn { get; init; }
    /// <summary>When this record was found to be a copy of a registered trial: that trial's id (GET /trials/{id} redirects there).</summary>
    public string? MergedInto { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Changes whenever the stored record does (for ETag).</summary>
    public required string ContentHash { get; init; }
}

/// <summary>One version of a trial: the document that made it, or the admin who did (<paramref name="Actor"/>, with why).</summary>
public sealed record TrialVersionSummary(
    int Version, DateTimeOffset CreatedAt, long? SourceDocumentId, string? SourceFileName, IReadOnlyList<string> ChangedFields, string? Actor = null, string? Reason = null);

/// <summary>An admin's value for a field, kept over every source until released; <paramref name="Value"/> is the field's JSON (null: no value).</summary>
public sealed record CorrectionDetail(string Field, System.Text.Json.JsonElement? Value, string Reason, string CorrectedBy, DateTimeOffset CorrectedAt);

/// <summary>Reads whole trials and their history (for the API's record endpoints and the trial page).</summary>
public sealed class TrialReader(RegistryDbContext db)
{
    public static string NormalizeId(string id) => id.Trim().ToUpperInvariant();

    public async Task<TrialDetail?> GetAsync(string registryId, CancellationToken cancellationToken = default)
    {
        var id = NormalizeId(registryId);
        var t = await db.Trials.AsNoTracking()
            .Include(x => x.Arms).ThenInclude(a => a.Interventions)
            .Include(x => x.Arms).ThenInclude(a => a.DoseLevels)
            .Include(x => x.Interventions)
            .Include(x => x.DoseLevels)
            .Include(x => x.TargetAntigens)
            .Include(x => x.Conditions)
            .Include(x => x.Eligibility)
            .Include(x => x.Criteria)
            .Include(x => x.Sponsors)
            .Include(x => x.Locations)
            .Include(x => x.Contacts)
            .Include(x => x.Outcomes)
            .FirstOrDefaultAsync(x => x.RegistryId == id, cancellationToken);
        if (t is null)
        {
            return null;
        }

        // The documents without their raw text (one CSV export is megabytes, shared by thousands of trials).
        var documents = (await db.TrialDocuments.AsNoTracking()
            .Where(d => d.TrialId == t.Id)
            .OrderBy(d => d.ReceivedAt).ThenBy(d => d.Id)
            .Select(d => new { Ref = new SourceDocumentRef(d.SourceDocumentId, d.SourceDocument.FileName, d.Format, d.SourceDocument.Sha256, d.ReceivedAt, d.RecordKey, d.Superseded), d.Record })
            .ToListAsync(cancellationToken))
            .Select(d => d.Ref with { WarningDetails = RecordWarnings(d.Record) })
            .ToList();

        static IReadOnlyList<DoseSummary> Doses(IEnumerable<Model.DoseLevel> doses) =>
            doses.OrderBy(d => d.Ordinal).Select(d => new DoseSummary(d.Text, d.Value, d.Unit)).ToList();

        IReadOnlyList<CriterionDetail> Criteria(string kind) =>
            t.Criteria.Where(c => c.Kind == kind).OrderBy(c => c.Ordinal).Select(c => new CriterionDetail(c.Text, c.SubItems)).ToList();

        var corrections = (await db.Corrections.AsNoTracking().Where(c => c.TrialId == t.Id && c.ReleasedAt == null).OrderBy(c => c.Field)
            .Select(c => new { c.Field, c.Value, c.Reason, c.CorrectedBy, c.CorrectedAt }).ToListAsync(cancellationToken))
            .Select(c => new CorrectionDetail(c.Field, c.Value is null ? null : System.Text.Json.JsonDocument.Parse(c.Value).RootElement.Clone(), c.Reason, c.CorrectedBy, c.CorrectedAt))
            .ToList();
        return new TrialDetail
        {
            RegistryId = t.RegistryId,
            SecondaryIds = t.SecondaryIds,
            Title = t.Title,
            OfficialTitle = t.OfficialTitle,
            BriefSummary = t.BriefSummary,
            DetailedDescription = t.DetailedDescription,
            Status = t.Status,
            Phases = t.Phases,
            StudyType = t.StudyType,
            Enrollment = t.EnrollmentCount is null && t.EnrollmentType is null ? null : new EnrollmentDetail(t.EnrollmentCount, t.EnrollmentType),
            StartDate = t.StartDate,
            CompletionDate = t.CompletionDate,
            LastUpdated = t.LastUpdated,
            Conditions = t.Conditions.OrderBy(c => c.Ordinal).Select(c => c.Name).ToList(),
            TargetAntigens = t.TargetAntigens.OrderBy(a => a.Symbol, StringComparer.Ordinal).Select(a => new AntigenRef(a.Symbol, a.Name)).ToList(),
            Modality = t.Modality,
            ProductType = t.ProductType,
            Products = t.Products,
            Routes = t.Routes,
            Lymphodepletion = t.Lymphodepletion,
            DoseLevels = Doses(t.DoseLevels),
            Arms = t.Arms.OrderBy(a => a.Ordinal).Select(a => new ArmDetail(
                a.Label, a.Type, a.Description, a.Routes,
                a.Interventions.OrderBy(i => i.Ordinal).Select(i => i.Name).ToList(),
                Doses(a.DoseLevels))).ToList(),
            Interventions = t.Interventions.OrderBy(i => i.Ordinal).Select(i => new InterventionDetail(i.Name, i.Type, i.Description, i.OtherNames)).ToList(),
            Eligibility = t.Eligibility is null ? null : new EligibilityDetail(
                t.Eligibility.MinAgeYears, t.Eligibility.MaxAgeYears, t.Eligibility.Sex, t.Eligibility.HealthyVolunteers,
                Criteria("INCLUSION"), Criteria("EXCLUSION"), t.Eligibility.CriteriaText),
            Sponsors = t.Sponsors.OrderBy(s => s.Ordinal).Select(s => new SponsorDetail(s.Name, s.Role, s.Class)).ToList(),
            Locations = t.Locations.OrderBy(l => l.Ordinal).Select(l => new LocationDetail(l.Facility, l.City, l.State, l.Country, l.Status, l.Latitude, l.Longitude)).ToList(),
            Contacts = t.Contacts.OrderBy(c => c.Ordinal).Select(c => new ContactDetail(c.Name, c.Role, c.Phone, c.Email)).ToList(),
            Outcomes = t.Outcomes.OrderBy(o => o.Ordinal).Select(o => new OutcomeDetail(o.Kind, o.Measure, o.Description, o.TimeFrame)).ToList(),
            Inferred = t.Inferred,
            Completeness = t.Completeness,
            NotStated = t.NotStated,
            Warnings = t.Warnings,
            SourceDocuments = documents,
            FieldSources = t.FieldSources,
            Corrections = corrections,
            Version = t.Version,
            Withdrawn = t.Withdrawn,
            MergedInto = t.MergedInto,
            UpdatedAt = t.UpdatedAt,
            ContentHash = t.ContentHash,
        };
    }

    /// <summary>The warnings of one document's record, as stored with it.</summary>
    private static IReadOnlyList<ParseWarning> RecordWarnings(string recordJson)
    {
        using var json = System.Text.Json.JsonDocument.Parse(recordJson);
        return json.RootElement.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == System.Text.Json.JsonValueKind.Array
            ? System.Text.Json.JsonSerializer.Deserialize<List<ParseWarning>>(warnings, RecordMerger.StorageJson) ?? []
            : [];
    }

    /// <summary>The trial's merged record as its latest version stores it; null when there is no such trial.</summary>
    public async Task<TrialRecord?> SnapshotAsync(string registryId, CancellationToken cancellationToken = default)
    {
        var id = NormalizeId(registryId);
        var snapshot = await db.TrialVersions.AsNoTracking().Where(v => db.Trials.Any(t => t.Id == v.TrialId && t.RegistryId == id))
            .OrderByDescending(v => v.Version).Select(v => v.Snapshot).FirstOrDefaultAsync(cancellationToken);
        return snapshot is null ? null : RecordMerger.Deserialize(snapshot);
    }

    /// <summary>The record's history, newest first; null when there is no such trial.</summary>
    public async Task<IReadOnlyList<TrialVersionSummary>?> VersionsAsync(string registryId, CancellationToken cancellationToken = default)
    {
        var id = NormalizeId(registryId);
        var trialId = await db.Trials.Where(t => t.RegistryId == id).Select(t => (long?)t.Id).FirstOrDefaultAsync(cancellationToken);
        if (trialId is null)
        {
            return null;
        }

        return await db.TrialVersions.AsNoTracking()
            .Where(v => v.TrialId == trialId)
            .OrderByDescending(v => v.Version)
            .Select(v => new TrialVersionSummary(
                v.Version, v.CreatedAt, v.SourceDocumentId,
                db.SourceDocuments.Where(d => d.Id == v.SourceDocumentId).Select(d => d.FileName).FirstOrDefault(),
                v.ChangedFields, v.Actor, v.Reason))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The merged record as it stood at one version, in the shape of <see cref="GetAsync"/> (its sources: the
    /// documents received up to then); null when there is no such trial or version.
    /// </summary>
    public async Task<TrialDetail?> VersionAsync(string registryId, int version, CancellationToken cancellationToken = default)
    {
        var id = NormalizeId(registryId);
        var trial = await db.Trials.AsNoTracking().Where(t => t.RegistryId == id).Select(t => new { t.Id, t.RegistryId }).FirstOrDefaultAsync(cancellationToken);
        if (trial is null)
        {
            return null;
        }

        var versions = await db.TrialVersions.AsNoTracking()
            .Where(v => v.TrialId == trial.Id && v.Version <= version)
            .OrderBy(v => v.Version)
            .Select(v => new { v.Version, v.CreatedAt, v.ChangedFields })
            .ToListAsync(cancellationToken);
        if (versions.Count == 0 || versions[^1].Version != version)
        {
            return null;
        }

        var at = versions[^1];
        var snapshot = await db.TrialVersions.AsNoTracking().Where(v => v.TrialId == trial.Id && v.Version == version).Select(v => v.Snapshot).FirstAsync(cancellationToken);
        var documents = (await db.TrialDocuments.AsNoTracking()
            .Where(d => d.TrialId == trial.Id && d.ReceivedAt <= at.CreatedAt)
            .OrderBy(d => d.ReceivedAt).ThenBy(d => d.Id)
            .Select(d => new { Ref = new SourceDocumentRef(d.SourceDocumentId, d.SourceDocument.FileName, d.Format, d.SourceDocument.Sha256, d.ReceivedAt, d.RecordKey, d.Superseded), d.Record })
            .ToListAsync(cancellationToken))
            .Select(d => d.Ref with { WarningDetails = RecordWarnings(d.Record) })
            .ToList();
        // Withdrawn at this version when the last withdrawal or restoration up to it was a withdrawal.
        var withdrawn = versions.LastOrDefault(v => v.ChangedFields.Contains("withdrawn") || v.ChangedFields.Contains("restored"))?.ChangedFields.Contains("withdrawn") == true;
        return TrialDetails.FromRecord(TrialRegistry.Ingestion.Model.RecordMerger.Deserialize(snapshot), trial.RegistryId, version, at.CreatedAt, withdrawn, documents);
    }
}
