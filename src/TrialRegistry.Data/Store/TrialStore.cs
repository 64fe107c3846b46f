using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Store;

/// <summary>
/// Stores parsed documents. Each document is one transaction: its raw text is kept (also when it could not be
/// read), and each of its records is upserted on its registry id. Records from several documents for the same
/// trial are merged (newest last-updated wins where it states a value); a record that changes the merged trial
/// makes a new version, and importing what is already known changes nothing.
/// </summary>
public sealed partial class TrialStore(NpgsqlDataSource dataSource, ILogger<TrialStore>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public Task<DocumentImportResult> ImportAsync(ParsedDocument parsed, CancellationToken cancellationToken = default) =>
        ImportAsync(parsed, by: null, cancellationToken);

    /// <summary>
    /// Stores a document in a transaction of its own; with <paramref name="by"/> (who, and how: the CLI, the seed
    /// load) the audit log records it in the same transaction, so a stored document is never missing from it.
    /// </summary>
    public async Task<DocumentImportResult> ImportAsync(ParsedDocument parsed, AdminAction? by, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await ImportAsync(parsed, connection, transaction, null, cancellationToken);
        if (by is not null)
        {
            await AuditImportAsync(connection, transaction, by, result, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>One audit row for a stored document: who, how, the file and what it did to the registry.</summary>
    internal static Task AuditImportAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AdminAction by, DocumentImportResult result, CancellationToken cancellationToken) =>
        AuditLog.WriteAsync(connection, transaction, by.Actor, "import", result.FileName ?? $"document {result.SourceDocumentId}",
            $"via {by.Via}: {result.Format}, {result.Count(ImportOutcome.New)} new, {result.Count(ImportOutcome.Updated)} updated, {result.Count(ImportOutcome.Unchanged)} unchanged" +
            (result.Error is null ? "" : $"; not read: {result.Error}"),
            cancellationToken);

    /// <summary>
    /// Stores a document inside the caller's transaction (the ingestion queue commits it with the job's state). A record
    /// without a registry id is stored as the registered trial it certainly is (<see cref="TrialMatcher"/>), or as the
    /// trial an admin decided it is (<paramref name="matchDecisions"/>: content-derived id -> registry id).
    /// </summary>
    public async Task<DocumentImportResult> ImportAsync(
        ParsedDocument parsed, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyDictionary<string, string>? matchDecisions = null, CancellationToken cancellationToken = default)
    {
        var now = DateTimeOffset.UtcNow;
        var source = await StoreSourceDocumentAsync(connection, transaction, parsed, now, cancellationToken);
        if (!parsed.Recognized)
        {
            _logger.LogWarning("Kept unreadable document {FileName} ({Sha256}): {Reason}", parsed.Document.FileName, parsed.Document.Sha256, parsed.Error);
            return new DocumentImportResult(parsed.Document.FileName, parsed.Format, source.Id, [], parsed.Error);
        }

        var results = new List<RecordImportResult>(parsed.Records.Count);
        foreach (var original in TrialRecords(parsed))
        {
            var (record, matchedAs) = await ResolveIdAsync(original, source, matchDecisions, connection, transaction, cancellationToken);
            var result = await ImportRecordAsync(connection, transaction, source, parsed.Format, record, now, cancellationToken);
            results.Add(matchedAs is null ? result : result with { MatchedAs = matchedAs });
        }

        _logger.LogInformation(
            "Imported {FileName} as {Format}: {New} new, {Updated} updated, {Unchanged} unchanged",
            parsed.Document.FileName, parsed.Format,
            results.Count(r => r.Outcome == ImportOutcome.New), results.Count(r => r.Outcome == ImportOutcome.Updated), results.Count(r => r.Outcome == ImportOutcome.Unchanged));
        return new DocumentImportResult(parsed.Document.FileName, parsed.Format, source.Id, results, null);
    }

    /// <summary>
    /// What storing a document would do, without storing anything: per record, whether the trial is new, and
    /// which fields of the stored trial would change, with their values before and after.
    /// </summary>
    public async Task<IReadOnlyList<RecordPreview>> PreviewAsync(ParsedDocument parsed, IReadOnlyDictionary<string, string>? matchDecisions = null, CancellationToken cancellationToken = default)
    {
        var previews = new List<RecordPreview>();
        if (!parsed.Recognized)
        {
            return previews;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var db = RegistryDatabase.CreateContext(connection);
        foreach (var original in TrialRecords(parsed))
        {
            var match = TrialMatcher.NeedsMatch(original) ? await MatchAsync(db, original, matchDecisions, cancellationToken) : null;
            var record = match?.Certain is { } certain ? original with { RegistryId = certain.RegistryId } : original;
            var trial = await db.Trials.AsNoTracking().FirstOrDefaultAsync(t => t.RegistryId == record.RegistryId, cancellationToken);
            if (trial is null)
            {
                previews.Add(new RecordPreview(record, ImportOutcome.New, [], match));
                continue;
            }

            var recordKey = RecordKey(parsed.Document.FileName, parsed.Document.Sha256, record.RegistryId!);
            var active = await db.TrialDocuments.AsNoTracking().Where(d => d.TrialId == trial.Id && !d.Superseded).ToListAsync(cancellationToken);
            var plan = MergePlan.Make(active, recordKey, parsed.Format, record, long.MaxValue, DateTimeOffset.UtcNow, await ActiveCorrectionsAsync(db, trial.Id, cancellationToken));
            var merged = plan.Merged;
            if (plan.ContentHash == trial.ContentHash)
            {
                previews.Add(new RecordPreview(record, ImportOutcome.Unchanged, [], match) { KeptCorrections = plan.Kept });
                continue;
            }

            var snapshot = await db.TrialVersions.AsNoTracking().Where(v => v.TrialId == trial.Id).OrderByDescending(v => v.Version)
                .Select(v => v.Snapshot).FirstAsync(cancellationToken);
            var before = RecordJson.Deserialize(snapshot);
            var changes = RecordJson.ChangedFields(before, merged)
                .Select(f => new FieldChange(f, RecordJson.FieldJson(before, f), RecordJson.FieldJson(merged, f)))
                .ToList();
            previews.Add(new RecordPreview(record, ImportOutcome.Updated, changes, match) { KeptCorrections = plan.Kept });
        }

        return previews;
    }

    /// <summary>
    /// The registered trial a record without a registry id is: an admin's decision first, then a certain match. A
    /// decision names a trial the matcher offered; the preview shows it as certain.
    /// </summary>
    private static async Task<MatchResult> MatchAsync(RegistryDbContext db, TrialRecord record, IReadOnlyDictionary<string, string>? decisions, CancellationToken cancellationToken)
    {
        if (decisions is not null && record.RegistryId is { } own && decisions.TryGetValue(own, out var decided))
        {
            var target = await db.Trials.AsNoTracking().Where(t => t.RegistryId == decided && !t.Withdrawn).Select(t => new { t.Title }).FirstOrDefaultAsync(cancellationToken);
            if (target is not null)
            {
                return new MatchResult(new TrialMatch(decided, target.Title, "an admin confirmed it"), []);
            }
        }

        return await TrialMatcher.FindAsync(db, record, cancellationToken);
    }

    private async Task<(TrialRecord Record, string? MatchedAs)> ResolveIdAsync(
        TrialRecord record, SourceDocument source, IReadOnlyDictionary<string, string>? decisions, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (!TrialMatcher.NeedsMatch(record))
        {
            return (record, null);
        }

        await using var db = StoreContext(connection);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);

        // A document stored before stays where it was stored (a re-import changes nothing, whatever arrived since):
        // under its own id, or under the trial it was merged into. Importers of the same bytes wait for each other
        // on the document's lock, so the second sees the first's choice.
        var ownKey = RecordKey(source.FileName, source.Sha256, record.RegistryId!);
        var stored = await db.TrialDocuments.AsNoTracking().Where(d => d.SourceDocumentId == source.Id && d.RecordKey == ownKey)
            .Join(db.Trials, d => d.TrialId, t => t.Id, (d, t) => new { t.RegistryId, t.MergedInto }).FirstOrDefaultAsync(cancellationToken);
        if (stored is not null)
        {
            return stored.MergedInto is { } mergedInto ? (record with { RegistryId = mergedInto }, null) : (record, null);
        }
        var match = await MatchAsync(db, record, decisions, cancellationToken);
        if (match.Certain is not { } certain)
        {
            if (match.Probable.Count > 0)
            {
                _logger.LogInformation("Record {RecordId} may be {Candidates}; stored on its own until an admin decides", record.RegistryId, string.Join(", ", match.Probable.Select(p => p.RegistryId)));
            }

            return (record, null);
        }

        _logger.LogInformation("Record {RecordId} stored as {RegistryId}: {Reason}", record.RegistryId, certain.RegistryId, certain.Reason);
        return (record with { RegistryId = certain.RegistryId }, $"{record.RegistryId} is {certain.RegistryId}: {certain.Reason}");
    }

    /// <summary>Trials stored under a content-derived id that are a registered trial: the certain matches, then the probable ones.</summary>
    public async Task<IReadOnlyList<(string RegistryId, string? Title, MatchResult Match)>> FindDuplicatesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var db = RegistryDatabase.CreateContext(connection);
        var unregistered = await db.Trials.AsNoTracking().Where(t => t.RegistryId.StartsWith("TR-") && !t.Withdrawn)
            .OrderBy(t => t.RegistryId).Select(t => t.RegistryId).ToListAsync(cancellationToken);
        var found = new List<(string, string?, MatchResult)>();
        foreach (var id in unregistered)
        {
            var snapshot = await db.TrialVersions.AsNoTracking().Where(v => db.Trials.Any(t => t.Id == v.TrialId && t.RegistryId == id))
                .OrderByDescending(v => v.Version).Select(v => v.Snapshot).FirstAsync(cancellationToken);
            var record = RecordJson.Deserialize(snapshot);
            var match = await TrialMatcher.FindAsync(db, record, cancellationToken);
            if (match.Certain is not null || match.Probable.Count > 0)
            {
                found.Add((id, record.Title, match));
            }
        }

        return [.. found.OrderBy(f => f.Item3.Certain is null)];
    }

    /// <summary>
    /// Merges a trial stored under a content-derived id into the registered trial it is: each of its documents' records
    /// is stored again as the registered trial's (a new version of it), and the duplicate is withdrawn with
    /// <c>mergedInto</c> set; its documents and versions stay. One transaction.
    /// </summary>
    public async Task<RecordImportResult?> MergeIntoAsync(string duplicateId, string registryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        RecordImportResult? last = null;
        List<(SourceDocument Source, string Format, TrialRecord Record)> moving;
        await using (var db = StoreContext(connection))
        {
            await db.Database.UseTransactionAsync(transaction, cancellationToken);
            await LockTrialAsync(db, duplicateId, cancellationToken);
            var duplicate = await db.Trials.FirstOrDefaultAsync(t => t.RegistryId == duplicateId && !t.Withdrawn, cancellationToken);
            if (duplicate is null || !await db.Trials.AnyAsync(t => t.RegistryId == registryId && !t.Withdrawn, cancellationToken))
            {
                return null;
            }

            // The source documents without their raw text (an export is megabytes); the store needs only their names.
            var documents = await db.TrialDocuments.Where(d => d.TrialId == duplicate.Id && !d.Superseded).OrderBy(d => d.ReceivedAt).ThenBy(d => d.Id)
                .Select(d => new { d.SourceDocumentId, d.SourceDocument.FileName, d.SourceDocument.Sha256, SourceFormat = d.SourceDocument.Format, d.Format, d.Record })
                .ToListAsync(cancellationToken);
            moving = [.. documents.Select(d => (
                new SourceDocument { Id = d.SourceDocumentId, FileName = d.FileName, Sha256 = d.Sha256, Format = d.SourceFormat, Encoding = string.Empty, RawText = string.Empty },
                d.Format,
                RecordJson.Deserialize(d.Record) with { RegistryId = registryId }))];

            var snapshot = await db.TrialVersions.Where(v => v.TrialId == duplicate.Id).OrderByDescending(v => v.Version).Select(v => v.Snapshot).FirstAsync(cancellationToken);
            duplicate.Withdrawn = true;
            duplicate.MergedInto = registryId;
            duplicate.Version++;
            duplicate.UpdatedAt = DateTimeOffset.UtcNow;
            duplicate.Versions.Add(new TrialVersion { Version = duplicate.Version, Snapshot = snapshot, ChangedFields = ["mergedInto"], CreatedAt = duplicate.UpdatedAt });
            await db.SaveChangesAsync(cancellationToken);
        }

        foreach (var (source, format, record) in moving)
        {
            last = await ImportRecordAsync(connection, transaction, source, format, record, DateTimeOffset.UtcNow, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _logger.LogInformation("Merged {Duplicate} into {RegistryId}: {Documents} documents", duplicateId, registryId, moving.Count);
        return last;
    }

    /// <summary>Marks a trial withdrawn: kept, with its history, and a new version that says so.</summary>
    public Task<bool> WithdrawAsync(string registryId, CancellationToken cancellationToken = default) =>
        SetWithdrawnAsync(registryId, withdrawn: true, null, cancellationToken);

    /// <summary>Withdraws a trial as <paramref name="by"/> says: the version names the admin and the reason, audited in the same transaction.</summary>
    public Task<bool> WithdrawAsync(string registryId, AdminAction by, CancellationToken cancellationToken = default) =>
        SetWithdrawnAsync(registryId, withdrawn: true, by, cancellationToken);

    /// <summary>Undoes a withdrawal: the trial is searchable again, and its history records the restoration.</summary>
    public Task<bool> RestoreAsync(string registryId, CancellationToken cancellationToken = default) =>
        SetWithdrawnAsync(registryId, withdrawn: false, null, cancellationToken);

    /// <summary>Restores a trial as <paramref name="by"/> says (see <see cref="WithdrawAsync(string, AdminAction, CancellationToken)"/>).</summary>
    public Task<bool> RestoreAsync(string registryId, AdminAction by, CancellationToken cancellationToken = default) =>
        SetWithdrawnAsync(registryId, withdrawn: false, by, cancellationToken);

    /// <summary>Withdraws or restores a trial as a new version (changed field "withdrawn" or "restored"); false when there is no such trial.</summary>
    private async Task<bool> SetWithdrawnAsync(string registryId, bool withdrawn, AdminAction? by, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var db = RegistryDatabase.CreateContext(connection);
        var trial = await db.Trials.FirstOrDefaultAsync(t => t.RegistryId == registryId, cancellationToken);
        if (trial is null)
        {
            return false;
        }

        if (trial.Withdrawn == withdrawn)
        {
            return true;
        }

        var snapshot = await db.TrialVersions.Where(v => v.TrialId == trial.Id).OrderByDescending(v => v.Version).Select(v => v.Snapshot).FirstAsync(cancellationToken);
        trial.Withdrawn = withdrawn;
        trial.Version++;
        trial.UpdatedAt = DateTimeOffset.UtcNow;
        trial.Versions.Add(new TrialVersion
        {
            Version = trial.Version,
            Snapshot = snapshot,
            ChangedFields = [withdrawn ? "withdrawn" : "restored"],
            CreatedAt = trial.UpdatedAt,
            Actor = by?.Actor,
            Reason = by?.Reason,
        });
        if (by is not null)
        {
            // One SaveChanges: the change and its audit row commit together.
            db.AuditEntries.Add(new AuditEntry { Actor = by.Actor, Action = withdrawn ? "withdraw" : "restore", Target = registryId, Details = by.Reason, At = trial.UpdatedAt });
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// A context for writing inside a document's transaction. Its commands may wait on another importer's lock
    /// on the same trial for as long as that importer's document takes (minutes for a large export), so they
    /// are not held to the usual 30 s command timeout.
    /// </summary>
    private static RegistryDbContext StoreContext(NpgsqlConnection connection)
    {
        var db = RegistryDatabase.CreateContext(connection);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        return db;
    }

    /// <summary>Makes sure every antigen of the vocabulary has its row, with its current name and synonyms.</summary>
    public static async Task SyncAntigenVocabularyAsync(RegistryDbContext db, CancellationToken cancellationToken = default)
    {
        var known = await db.TargetAntigens.ToDictionaryAsync(a => a.Symbol, cancellationToken);
        foreach (var definition in AntigenVocabulary.All)
        {
            if (known.TryGetValue(definition.Symbol, out var existing))
            {
                existing.Name = definition.Name;
                existing.Synonyms = [.. definition.Synonyms];
            }
            else
            {
                db.TargetAntigens.Add(new TargetAntigen { Symbol = definition.Symbol, Name = definition.Name, Synonyms = [.. definition.Synonyms] });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<SourceDocument> StoreSourceDocumentAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ParsedDocument parsed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = StoreContext(connection);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        var sha = parsed.Document.Sha256;
        // Concurrent importers of the same bytes wait for each other here.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({sha}, 0))", cancellationToken);
        var existing = await db.SourceDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.Sha256 == sha, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var document = NewSourceDocument(parsed, now);
        db.SourceDocuments.Add(document);
        await db.SaveChangesAsync(cancellationToken);
        return document;
    }

    private async Task<RecordImportResult> ImportRecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SourceDocument source, string format, TrialRecord record,
        DateTimeOffset now, CancellationToken cancellationToken, AdminAction? by = null)
    {
        // A fresh context per record keeps the change tracker small in files of thousands of trials.
        await using var db = StoreContext(connection);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        var registryId = record.RegistryId!;
        await LockTrialAsync(db, registryId, cancellationToken);

        var trial = await db.Trials.FirstOrDefaultAsync(t => t.RegistryId == registryId, cancellationToken);
        var recordKey = RecordKey(source.FileName, source.Sha256, registryId);
        List<TrialDocument> active = trial is null
            ? []
            : await db.TrialDocuments.Where(d => d.TrialId == trial.Id && !d.Superseded).ToListAsync(cancellationToken);

        if (active.Any(d => d.SourceDocumentId == source.Id && d.RecordKey == recordKey))
        {
            return new RecordImportResult(registryId, record.Title, ImportOutcome.Unchanged, trial!.Version, []);
        }

        // The same document again after a newer one from the same place replaced it (a sync bringing an older copy
        // of a record back): the newer one stands; nothing is written.
        if (trial is not null && await db.TrialDocuments.AnyAsync(d => d.TrialId == trial.Id && d.SourceDocumentId == source.Id && d.RecordKey == recordKey && d.Superseded, cancellationToken))
        {
            return new RecordImportResult(registryId, trial.Title, ImportOutcome.Unchanged, trial.Version, []);
        }

        // A newer record from the same place (same file name and format) replaces the older one, which is kept.
        var plan = MergePlan.Make(active, recordKey, format, record, source.Id, now, trial is null ? [] : await ActiveCorrectionsAsync(db, trial.Id, cancellationToken));
        foreach (var older in plan.Replaced)
        {
            older.Superseded = true;
        }

        var link = new TrialDocument
        {
            SourceDocumentId = source.Id,
            RecordKey = recordKey,
            Format = format,
            Record = RecordJson.Serialize(record),
            ReceivedAt = now,
        };

        if (trial is not null && trial.ContentHash == plan.ContentHash)
        {
            link.TrialId = trial.Id;
            db.TrialDocuments.Add(link);
            await db.SaveChangesAsync(cancellationToken);
            return new RecordImportResult(registryId, trial.Title, ImportOutcome.Unchanged, trial.Version, []) { KeptCorrections = plan.Kept };
        }

        var outcome = trial is null ? ImportOutcome.New : ImportOutcome.Updated;
        if (trial is null)
        {
            trial = new Trial { RegistryId = registryId, ContentHash = plan.ContentHash, CreatedAt = now };
            db.Trials.Add(trial);
        }

        trial.Documents.Add(link);
        var changed = await WriteVersionAsync(db, trial, plan, new TrialVersion { SourceDocumentId = source.Id, Snapshot = string.Empty, CreatedAt = now, Actor = by?.Actor, Reason = by?.Reason }, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new RecordImportResult(registryId, trial.Title, outcome, trial.Version, changed) { KeptCorrections = plan.Kept };
    }

    /// <summary>
    /// Makes the trial what the plan merged (its rows replaced) and adds <paramref name="version"/> as its next version,
    /// with the fields that changed; a new trial has every field it states as changed. The caller saves.
    /// </summary>
    private static async Task<IReadOnlyList<string>> WriteVersionAsync(RegistryDbContext db, Trial trial, MergePlan plan, TrialVersion version, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> changed;
        if (trial.Id == 0)
        {
            changed = [.. plan.FieldSources.Keys];
        }
        else
        {
            var previous = await db.TrialVersions.Where(v => v.TrialId == trial.Id).OrderByDescending(v => v.Version)
                .Select(v => v.Snapshot).FirstOrDefaultAsync(cancellationToken);
            changed = RecordJson.ChangedFields(previous is null ? null : RecordJson.Deserialize(previous), plan.Merged);
            await DeleteChildrenAsync(db, trial.Id, cancellationToken);
        }

        var documentIds = plan.Contributing.GroupBy(r => r.Record.Source.Sha256).ToDictionary(g => g.Key, g => g.Last().SourceDocumentId);
        var antigens = await AntigensAsync(db, plan.Merged.TargetAntigens, cancellationToken);
        TrialMapper.Apply(trial, plan.Merged, antigens);
        trial.ContentHash = plan.ContentHash;
        trial.Version++;
        trial.UpdatedAt = version.CreatedAt;
        trial.FieldSources = plan.FieldSources.ToDictionary(f => f.Key, f => documentIds.GetValueOrDefault(f.Value.Sha256, version.SourceDocumentId ?? 0));
        version.Version = trial.Version;
        version.Snapshot = RecordJson.Serialize(plan.Merged);
        version.ChangedFields = [.. changed];
        trial.Versions.Add(version);
        return changed;
    }

    /// <summary>
    /// Holds the trial's lock until the transaction ends: every writer of a trial (imports, merges, corrections,
    /// re-reads) takes it first, so they write one after another.
    /// </summary>
    private static Task LockTrialAsync(RegistryDbContext db, string registryId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"trial:" + registryId}, 0))", cancellationToken);

    /// <summary>The trial's active corrections, as the merge lays them over the sources.</summary>
    private static async Task<IReadOnlyList<FieldCorrection>> ActiveCorrectionsAsync(RegistryDbContext db, long trialId, CancellationToken cancellationToken) =>
        await db.Corrections.AsNoTracking().Where(c => c.TrialId == trialId && c.ReleasedAt == null).OrderBy(c => c.Id)
            .Select(c => new FieldCorrection(c.Field, c.Value)).ToListAsync(cancellationToken);

    /// <summary>
    /// An admin's value for one field of a trial (<paramref name="valueJson"/> checked by <see cref="RecordCorrections.Check"/>;
    /// null: the field has no value): a version of its own naming the admin, kept over every source until released.
    /// A correction of a field already corrected replaces that one. The audit row is written in the same transaction.
    /// </summary>
    public Task<CurationResult> CorrectAsync(string registryId, string field, string? valueJson, string reason, string actor, string via, CancellationToken cancellationToken = default) =>
        CurateAsync(registryId, field, actor, via, reason, new FieldCorrection(field, valueJson), cancellationToken);

    /// <summary>Ends an admin's correction of a field: the sources' value comes back, as a version naming the admin.</summary>
    public Task<CurationResult> ReleaseAsync(string registryId, string field, string actor, string via, string? reason = null, CancellationToken cancellationToken = default) =>
        CurateAsync(registryId, field, actor, via, reason, null, cancellationToken);

    private async Task<CurationResult> CurateAsync(
        string registryId, string field, string actor, string via, string? reason, FieldCorrection? correction, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var db = StoreContext(connection);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        await LockTrialAsync(db, registryId, cancellationToken);
        var trial = await db.Trials.FirstOrDefaultAsync(t => t.RegistryId == registryId, cancellationToken);
        if (trial is null)
        {
            return new CurationResult(CurationOutcome.NoSuchTrial, 0, []);
        }

        var now = DateTimeOffset.UtcNow;
        var current = await db.Corrections.FirstOrDefaultAsync(c => c.TrialId == trial.Id && c.Field == field && c.ReleasedAt == null, cancellationToken);
        if (correction is null && current is null)
        {
            return new CurationResult(CurationOutcome.NotCorrected, trial.Version, []);
        }

        if (current is not null)
        {
            current.ReleasedAt = now;
            current.ReleasedBy = actor;
            await db.SaveChangesAsync(cancellationToken);
        }

        if (correction is not null)
        {
            db.Corrections.Add(new Correction { TrialId = trial.Id, Field = field, Value = correction.ValueJson, Reason = reason ?? string.Empty, CorrectedBy = actor, CorrectedAt = now });
        }

        db.AuditEntries.Add(new AuditEntry
        {
            Actor = actor,
            Action = correction is null ? "release-correction" : "correct",
            Target = registryId,
            Details = System.Text.Json.JsonSerializer.Serialize(new { field, value = correction?.ValueJson, reason, via }),
            At = now,
        });
        await db.SaveChangesAsync(cancellationToken);

        var active = await db.TrialDocuments.Where(d => d.TrialId == trial.Id && !d.Superseded).ToListAsync(cancellationToken);
        IReadOnlyList<string> changed = [];
        if (active.Count > 0)
        {
            var plan = MergePlan.Remake(active, await ActiveCorrectionsAsync(db, trial.Id, cancellationToken));
            var label = correction is null ? $"released the correction of {field}" : $"corrected {field}";
            var version = new TrialVersion { Snapshot = string.Empty, CreatedAt = now, Actor = actor, Reason = string.IsNullOrWhiteSpace(reason) ? label : $"{label}: {reason.Trim()}" };
            changed = await WriteVersionAsync(db, trial, plan, version, cancellationToken);
            if (!version.ChangedFields.Contains(field))
            {
                // Confirming the value the sources give still pins it: the version says which field an admin took over.
                version.ChangedFields.Add(field);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _logger.LogInformation("{Actor} {Action} {Field} of {RegistryId}", actor, correction is null ? "released the correction of" : "corrected", field, registryId);
        return new CurationResult(correction is null ? CurationOutcome.Released : CurationOutcome.Corrected, trial.Version, changed);
    }

    /// <summary>The records of a document to store, one a trial: a file may repeat a trial (a CSV with a duplicated row), and the last record for an id is the one kept.</summary>
    internal static IEnumerable<TrialRecord> TrialRecords(ParsedDocument parsed) =>
        parsed.Records.Where(r => r.RegistryId is not null).GroupBy(r => r.RegistryId!).Select(g => g.Last());

    /// <summary>A document as kept: its raw text and hash, and why it could not be read when it could not.</summary>
    internal static SourceDocument NewSourceDocument(ParsedDocument parsed, DateTimeOffset now) => new()
    {
        Sha256 = parsed.Document.Sha256,
        FileName = parsed.Document.FileName,
        Format = parsed.Format,
        Encoding = parsed.Document.Encoding,
        RawText = parsed.Document.Text,
        Error = parsed.Error,
        RecordCount = parsed.Records.Count(r => r.Source.Format != DocumentParser.UnknownFormat),
        ReceivedAt = now,
    };

    /// <summary>A record's name within its source: the file name (or hash) and the registry id.</summary>
    internal static string RecordKey(string? fileName, string sha256, string registryId) => $"{fileName ?? sha256}#{registryId}";

    private static async Task DeleteChildrenAsync(RegistryDbContext db, long trialId, CancellationToken cancellationToken)
    {
        // Interventions first: their links to arms go with them.
        await db.Interventions.Where(x => x.TrialId == trialId).ExecuteDeleteAsync(cancellationToken);
        await db.DoseLevels.Where(x => x.TrialId == trialId).ExecuteDeleteAsync(cancellationToken);
        await db.Arms.Where(x => x.TrialId == trialId).ExecuteDeleteAsync(cancellationToken);
        await db.Conditions.Where(x => x.TrialId == trialId).ExecuteDeleteAsync(cancellationToken);
        await db.Eligibilities.Where(x => x.TrialId == trialId).ExecuteDeleteAsync(cancellationToken);
        await db.EligibilityCriteria.Where(x => x.TrialId == trialId).ExecuteDeleteAsync(cancellationToken);
        await db.Sponsors.Where(x => x.TrialId == trialId).ExecuteDeleteAsync(cancellationToken);
        await db.Locations.Where(x => x.TrialId == trialId).ExecuteDeleteAsync(cancellationToken);
        await db.Contacts.Where(x => x.TrialId == trialId).ExecuteDeleteAsync(cancellationToken);
        await db.Outcomes.Where(x => x.TrialId == trialId).ExecuteDeleteAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"DELETE FROM trial_target_antigens WHERE trial_id = {trialId}", cancellationToken);
    }

    private static async Task<Dictionary<string, TargetAntigen>> AntigensAsync(RegistryDbContext db, IReadOnlyList<string> symbols, CancellationToken cancellationToken)
    {
        var wanted = symbols.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<string, TargetAntigen>(StringComparer.OrdinalIgnoreCase);
        }

        foreach (var symbol in wanted)
        {
            var known = AntigenVocabulary.Find(symbol);
            var name = known?.Name ?? symbol;
            var synonyms = known?.Synonyms.ToArray() ?? [];
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO target_antigens (symbol, name, synonyms) VALUES ({known?.Symbol ?? symbol}, {name}, {synonyms}) ON CONFLICT (symbol) DO NOTHING",
                cancellationToken);
        }

        var canonical = wanted.Select(s => AntigenVocabulary.Find(s)?.Symbol ?? s).ToList();
        var rows = await db.TargetAntigens.Where(a => canonical.Contains(a.Symbol)).ToListAsync(cancellationToken);
        return wanted.ToDictionary(s => s, s => rows.First(r => r.Symbol == (AntigenVocabulary.Find(s)?.Symbol ?? s)), StringComparer.OrdinalIgnoreCase);
    }
}
