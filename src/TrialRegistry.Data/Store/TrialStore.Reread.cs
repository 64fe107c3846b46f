using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Data.Store;

/// <summary>Which stored documents to read again: all, those stored as one format (<c>unknown</c>: the unreadable ones), or those of one trial.</summary>
public sealed record RereadScope(string? Format = null, string? RegistryId = null, int Limit = RereadScope.MaxDocuments)
{
    public const int MaxDocuments = 5000;
}

/// <summary>What reading one record of a stored document again gives: a record the document did not give before, one that changes (the fields), or the same.</summary>
public sealed record RereadRecord(string RegistryId, ImportOutcome Outcome, IReadOnlyList<string> ChangedFields);

/// <summary>
/// One stored document read again with today's parser: the format it was stored as and is read as now, why it could
/// not be read (before, now), and what changes in each of its records.
/// </summary>
public sealed record RereadDocument(long SourceDocumentId, string? FileName, string FormatBefore, string FormatNow, string? ErrorBefore, string? ErrorNow, IReadOnlyList<RereadRecord> Records)
{
    public bool Changes => FormatBefore != FormatNow || ErrorBefore != ErrorNow || Records.Any(r => r.Outcome != ImportOutcome.Unchanged);
}

public sealed partial class TrialStore
{
    /// <summary>
    /// Reads stored documents again with today's parser, from the text kept with them, so that parser improvements reach
    /// records already stored. Without <paramref name="apply"/> nothing is written: the result says what would change.
    /// With it, each changed document is its own transaction: its records replace what the older reading gave, each
    /// trial is merged again (admins' corrections still win) as a version naming <paramref name="actor"/>, records it
    /// did not give before are stored as new ones, and one audit row says what was done. A record the new reading no
    /// longer gives stays as it was: a re-read never removes what was stored.
    /// </summary>
    public async Task<IReadOnlyList<RereadDocument>> RereadAsync(RereadScope scope, string actor, string via, bool apply, CancellationToken cancellationToken = default)
    {
        List<long> ids;
        await using (var db = RegistryDatabase.CreateContext(await dataSource.OpenConnectionAsync(cancellationToken)))
        {
            // A document an admin filled in by hand stays as they filled it.
            var documents = db.SourceDocuments.AsNoTracking().Where(d => d.Format != ManualFormat);
            if (scope.Format is { } format)
            {
                documents = documents.Where(d => d.Format == format);
            }

            if (scope.RegistryId is { } registryId)
            {
                documents = documents.Where(d => db.TrialDocuments.Any(x => x.SourceDocumentId == d.Id && db.Trials.Any(t => t.Id == x.TrialId && t.RegistryId == registryId)));
            }

            ids = await documents.OrderBy(d => d.Id).Select(d => d.Id).Take(Math.Clamp(scope.Limit, 1, RereadScope.MaxDocuments)).ToListAsync(cancellationToken);
        }

        var results = new List<RereadDocument>(ids.Count);
        foreach (var id in ids)
        {
            results.Add(await RereadOneAsync(id, actor, apply, cancellationToken));
        }

        if (apply && results.Any(r => r.Changes))
        {
            await using var db = RegistryDatabase.CreateContext(await dataSource.OpenConnectionAsync(cancellationToken));
            db.AuditEntries.Add(new AuditEntry
            {
                Actor = actor,
                Action = "reread",
                Target = scope.RegistryId,
                Details = System.Text.Json.JsonSerializer.Serialize(new
                {
                    scope.Format,
                    documents = results.Count,
                    changed = results.Count(r => r.Changes),
                    trials = results.SelectMany(r => r.Records).Where(r => r.Outcome != ImportOutcome.Unchanged).Select(r => r.RegistryId).Distinct().Count(),
                    via,
                }),
                At = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync(cancellationToken);
            _logger.LogInformation("{Actor} re-read {Documents} stored documents: {Changed} changed", actor, results.Count, results.Count(r => r.Changes));
        }

        return results;
    }

    private async Task<RereadDocument> RereadOneAsync(long sourceDocumentId, string actor, bool apply, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var db = StoreContext(connection);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        var source = await db.SourceDocuments.FirstAsync(d => d.Id == sourceDocumentId, cancellationToken);
        var parsed = DocumentParser.Default.Parse(new DecodedDocument(source.FileName, source.RawText, source.Sha256, source.Encoding));
        var (formatBefore, errorBefore) = (source.Format, source.Error);
        var links = await db.TrialDocuments.Where(d => d.SourceDocumentId == source.Id && !d.Superseded).ToListAsync(cancellationToken);
        var linkedTrials = links.Select(l => l.TrialId).Distinct().ToList();
        var registryIds = await db.Trials.Where(t => linkedTrials.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.RegistryId, cancellationToken);

        var records = new List<RereadRecord>();
        var fresh = new List<TrialRecord>();
        var changedTrials = new HashSet<long>();
        var readNow = parsed.Recognized ? TrialRecords(parsed).ToList() : [];
        foreach (var record in readNow)
        {
            var key = RecordKey(source.FileName, source.Sha256, record.RegistryId!);
            // A record stored under the registered trial it was matched to has that trial's id in its key: a document
            // of one record and one stored record is that record, whatever its id says.
            var link = links.FirstOrDefault(l => l.RecordKey == key) ?? (readNow.Count == 1 && links.Count == 1 ? links[0] : null);
            if (link is null)
            {
                records.Add(new RereadRecord(record.RegistryId!, ImportOutcome.New, []));
                fresh.Add(record);
                continue;
            }

            var stored = RecordJson.Deserialize(link.Record);
            var changed = RecordJson.ChangedFields(stored, record);
            records.Add(new RereadRecord(registryIds[link.TrialId], changed.Count == 0 ? ImportOutcome.Unchanged : ImportOutcome.Updated, changed));
            if (apply && changed.Count > 0)
            {
                // The id the record was stored under stays (a matched record keeps the registered trial's id).
                link.Record = RecordJson.Serialize(record with { RegistryId = stored.RegistryId ?? record.RegistryId });
                changedTrials.Add(link.TrialId);
            }
        }

        var result = new RereadDocument(source.Id, source.FileName, formatBefore, parsed.Format, errorBefore, parsed.Error, records);
        if (!apply || !result.Changes)
        {
            return result;
        }

        source.Format = parsed.Format;
        source.Error = parsed.Error;
        source.RecordCount = parsed.Records.Count(r => r.Source.Format != DocumentParser.UnknownFormat);
        await db.SaveChangesAsync(cancellationToken);

        // Each trial whose record changed is merged again, as a version naming the admin.
        var now = DateTimeOffset.UtcNow;
        foreach (var trialId in changedTrials)
        {
            await LockTrialAsync(db, registryIds[trialId], cancellationToken);
            var trial = await db.Trials.FirstAsync(t => t.Id == trialId, cancellationToken);
            var active = await db.TrialDocuments.Where(d => d.TrialId == trialId && !d.Superseded).ToListAsync(cancellationToken);
            var plan = MergePlan.Remake(active, await ActiveCorrectionsAsync(db, trialId, cancellationToken));
            if (plan.ContentHash == trial.ContentHash)
            {
                continue;
            }

            await WriteVersionAsync(db, trial, plan, new TrialVersion
            {
                Snapshot = string.Empty,
                SourceDocumentId = source.Id,
                CreatedAt = now,
                Actor = actor,
                Reason = $"re-read {source.FileName ?? source.Sha256[..12]} with the current parser",
            }, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        // Records the document gives now and did not before (an unreadable document that is read now): stored as an upload's would be.
        foreach (var record in fresh)
        {
            var (resolved, _) = await ResolveIdAsync(record, source, null, connection, transaction, cancellationToken);
            await ImportRecordAsync(connection, transaction, source, parsed.Format, resolved, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
