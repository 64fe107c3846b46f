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

    /// <summary>
    /// One trial's whole record in one round trip (a pooled connection's first also prepares the statement):
    /// PostgreSQL builds it as JSON (its lists in their order, arms with their interventions and doses), with the
    /// documents it came from (their warnings, not their raw text: one CSV export is megabytes, shared by thousands of
    /// trials) and the admins' corrections in force. Null: no such trial.
    /// </summary>
    public async Task<TrialDetail?> GetAsync(string registryId, CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new Npgsql.NpgsqlCommand(RecordSql, (Npgsql.NpgsqlConnection)db.Database.GetDbConnection());
            command.Parameters.AddWithValue("id", NormalizeId(registryId));
            // Prepared: planning the statement's fifteen subqueries costs more than running them for one trial, and a
            // prepared statement stays with its pooled connection.
            await command.PrepareAsync(cancellationToken);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            var detail = System.Text.Json.JsonSerializer.Deserialize<TrialDetail>(reader.GetString(0), RecordJson.Options)!;
            var documents = System.Text.Json.JsonSerializer.Deserialize<List<StoredDocument>>(reader.GetString(1), RecordJson.Options)!;
            var corrections = System.Text.Json.JsonSerializer.Deserialize<List<StoredCorrection>>(reader.GetString(2), RecordJson.Options)!;
            return detail with
            {
                UpdatedAt = detail.UpdatedAt.ToUniversalTime(),
                SourceDocuments = [.. documents.Select(d => new SourceDocumentRef(d.Id, d.FileName, d.Format, d.Sha256, d.ReceivedAt.ToUniversalTime(), d.RecordKey, d.Superseded)
                {
                    WarningDetails = d.Warnings ?? [],
                })],
                Corrections = [.. corrections.Select(c => new CorrectionDetail(c.Field, c.HasValue ? c.Value : null, c.Reason, c.CorrectedBy, c.CorrectedAt.ToUniversalTime()))],
            };
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed record StoredDocument(long Id, string? FileName, string Format, string Sha256, DateTimeOffset ReceivedAt, string RecordKey, bool Superseded, List<ParseWarning>? Warnings);

    private sealed record StoredCorrection(string Field, bool HasValue, System.Text.Json.JsonElement Value, string Reason, string CorrectedBy, DateTimeOffset CorrectedAt);

    /// <summary>A trial's record as JSON in <see cref="TrialDetail"/>'s names, its documents, and its corrections in force.</summary>
    private const string RecordSql = """
        SELECT json_build_object(
            'registryId', t.registry_id, 'secondaryIds', t.secondary_ids, 'title', t.title, 'officialTitle', t.official_title,
            'briefSummary', t.brief_summary, 'detailedDescription', t.detailed_description, 'status', t.status, 'phases', t.phases,
            'studyType', t.study_type,
            'enrollment', CASE WHEN t.enrollment_count IS NULL AND t.enrollment_type IS NULL THEN NULL
                ELSE json_build_object('count', t.enrollment_count, 'type', t.enrollment_type) END,
            'startDate', t.start_date, 'completionDate', t.completion_date, 'lastUpdated', t.last_updated,
            'conditions', coalesce((SELECT json_agg(c.name ORDER BY c.ordinal, c.id) FROM conditions c WHERE c.trial_id = t.id), '[]'),
            'targetAntigens', coalesce((SELECT json_agg(json_build_object('symbol', a.symbol, 'name', a.name) ORDER BY a.symbol COLLATE "C")
                FROM trial_target_antigens x JOIN target_antigens a ON a.id = x.target_antigen_id WHERE x.trial_id = t.id), '[]'),
            'modality', t.modality, 'productType', t.product_type, 'products', t.products, 'routes', t.routes, 'lymphodepletion', t.lymphodepletion,
            'doseLevels', coalesce((SELECT json_agg(json_build_object('text', d.text, 'value', d.value, 'unit', d.unit) ORDER BY d.ordinal, d.id)
                FROM dose_levels d WHERE d.trial_id = t.id), '[]'),
            'arms', coalesce((SELECT json_agg(json_build_object(
                    'label', a.label, 'type', a.type, 'description', a.description, 'routes', a.routes,
                    'interventions', coalesce((SELECT json_agg(i.name ORDER BY i.ordinal, i.id)
                        FROM arm_interventions ai JOIN interventions i ON i.id = ai.intervention_id WHERE ai.arm_id = a.id), '[]'),
                    'doseLevels', coalesce((SELECT json_agg(json_build_object('text', d.text, 'value', d.value, 'unit', d.unit) ORDER BY d.ordinal, d.id)
                        FROM dose_levels d WHERE d.arm_id = a.id), '[]'))
                ORDER BY a.ordinal, a.id) FROM arms a WHERE a.trial_id = t.id), '[]'),
            'interventions', coalesce((SELECT json_agg(json_build_object('name', i.name, 'type', i.type, 'description', i.description, 'otherNames', i.other_names)
                ORDER BY i.ordinal, i.id) FROM interventions i WHERE i.trial_id = t.id), '[]'),
            'eligibility', CASE WHEN e.trial_id IS NULL THEN NULL ELSE json_build_object(
                'minAgeYears', e.min_age_years, 'maxAgeYears', e.max_age_years, 'sex', e.sex, 'healthyVolunteers', e.healthy_volunteers,
                'inclusion', coalesce((SELECT json_agg(json_build_object('text', k.text, 'subItems', k.sub_items) ORDER BY k.ordinal, k.id)
                    FROM eligibility_criteria k WHERE k.trial_id = t.id AND k.kind = 'INCLUSION'), '[]'),
                'exclusion', coalesce((SELECT json_agg(json_build_object('text', k.text, 'subItems', k.sub_items) ORDER BY k.ordinal, k.id)
                    FROM eligibility_criteria k WHERE k.trial_id = t.id AND k.kind = 'EXCLUSION'), '[]'),
                'criteriaText', e.criteria_text) END,
            'sponsors', coalesce((SELECT json_agg(json_build_object('name', s.name, 'role', s.role, 'class', s.class) ORDER BY s.ordinal, s.id)
                FROM sponsors s WHERE s.trial_id = t.id), '[]'),
            'locations', coalesce((SELECT json_agg(json_build_object('facility', l.facility, 'city', l.city, 'state', l.state, 'country', l.country,
                'status', l.status, 'latitude', l.latitude, 'longitude', l.longitude) ORDER BY l.ordinal, l.id) FROM locations l WHERE l.trial_id = t.id), '[]'),
            'contacts', coalesce((SELECT json_agg(json_build_object('name', c.name, 'role', c.role, 'phone', c.phone, 'email', c.email) ORDER BY c.ordinal, c.id)
                FROM contacts c WHERE c.trial_id = t.id), '[]'),
            'outcomes', coalesce((SELECT json_agg(json_build_object('kind', o.kind, 'measure', o.measure, 'description', o.description, 'timeFrame', o.time_frame)
                ORDER BY o.ordinal, o.id) FROM outcomes o WHERE o.trial_id = t.id), '[]'),
            'inferred', t.inferred, 'completeness', t.completeness, 'notStated', t.not_stated, 'warnings', t.warnings,
            'fieldSources', t.field_sources, 'version', t.version, 'withdrawn', t.withdrawn, 'mergedInto', t.merged_into,
            'updatedAt', t.updated_at, 'contentHash', t.content_hash)::text,
          coalesce((SELECT json_agg(json_build_object('id', d.source_document_id, 'fileName', s.file_name, 'format', d.format, 'sha256', s.sha256,
                'receivedAt', d.received_at, 'recordKey', d.record_key, 'superseded', d.superseded, 'warnings', d.record -> 'warnings')
                ORDER BY d.received_at, d.id)
            FROM trial_documents d JOIN source_documents s ON s.id = d.source_document_id WHERE d.trial_id = t.id), '[]')::text,
          coalesce((SELECT json_agg(json_build_object('field', c.field, 'hasValue', c.value IS NOT NULL, 'value', c.value, 'reason', c.reason,
                'correctedBy', c.corrected_by, 'correctedAt', c.corrected_at) ORDER BY c.field COLLATE "C")
            FROM corrections c WHERE c.trial_id = t.id AND c.released_at IS NULL), '[]')::text
        FROM trials t LEFT JOIN eligibilities e ON e.trial_id = t.id
        WHERE t.registry_id = @id
        """;

    /// <summary>The warnings of one document's record, as stored with it.</summary>
    private static IReadOnlyList<ParseWarning> RecordWarnings(string recordJson)
    {
        using var json = System.Text.Json.JsonDocument.Parse(recordJson);
        return json.RootElement.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == System.Text.Json.JsonValueKind.Array
            ? System.Text.Json.JsonSerializer.Deserialize<List<ParseWarning>>(warnings, RecordJson.Options) ?? []
            : [];
    }

    /// <summary>The trial's merged record as its latest version stores it; null when there is no such trial.</summary>
    public async Task<TrialRecord?> SnapshotAsync(string registryId, CancellationToken cancellationToken = default)
    {
        var id = NormalizeId(registryId);
        var snapshot = await db.TrialVersions.AsNoTracking().Where(v => db.Trials.Any(t => t.Id == v.TrialId && t.RegistryId == id))
            .OrderByDescending(v => v.Version).Select(v => v.Snapshot).FirstOrDefaultAsync(cancellationToken);
        return snapshot is null ? null : RecordJson.Deserialize(snapshot);
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
        return TrialDetails.FromRecord(TrialRegistry.Ingestion.Model.RecordJson.Deserialize(snapshot), trial.RegistryId, version, at.CreatedAt, withdrawn, documents);
    }
}
