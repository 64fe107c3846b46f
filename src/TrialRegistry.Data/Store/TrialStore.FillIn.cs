using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Model;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Store;

/// <summary>What filling in an unreadable document did: the trial it made or updated, or why nothing was done.</summary>
public enum FillInOutcome
{
    Stored,
    NoSuchDocument,
    /// <summary>The parser read the document: its trials are corrected on their correction pages instead.</summary>
    NotUnreadable,
}

public sealed record FillInResult(FillInOutcome Outcome, RecordImportResult? Record);

public sealed partial class TrialStore
{
    /// <summary>The format of a document an admin read and filled in by hand.</summary>
    public const string ManualFormat = "manual";

    /// <summary>
    /// An admin fills in a stored document the parser could not read: the values they read from its kept text become
    /// its record (format <see cref="ManualFormat"/>), stored and merged like any document's, as a version naming
    /// them and their reason, with an audit row, in one transaction. The document keeps its text and is not read
    /// again by a re-read. Only unreadable documents: a read one is corrected on its trials.
    /// </summary>
    public async Task<FillInResult> FillInAsync(long sourceDocumentId, TrialRecord record, AdminAction by, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(record.RegistryId))
        {
            throw new ArgumentException("A registry id is needed: the number the document gives, or the registry's own for the trial.", nameof(record));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var db = StoreContext(connection);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        var source = await db.SourceDocuments.FirstOrDefaultAsync(d => d.Id == sourceDocumentId, cancellationToken);
        if (source is null)
        {
            return new FillInResult(FillInOutcome.NoSuchDocument, null);
        }

        if (source.Format != DocumentParser.UnknownFormat)
        {
            return new FillInResult(FillInOutcome.NotUnreadable, null);
        }

        var filled = record with
        {
            RegistryId = record.RegistryId.Trim(),
            Source = new SourceInfo(source.FileName, ManualFormat, source.Sha256),
            Inferred = [],
            Warnings = [],
        };
        source.Format = ManualFormat;
        source.Error = null;
        source.RecordCount = 1;
        await db.SaveChangesAsync(cancellationToken);

        var reason = string.IsNullOrWhiteSpace(by.Reason) ? "filled in by hand" : $"filled in by hand: {by.Reason.Trim()}";
        var stored = await ImportRecordAsync(connection, transaction, source, ManualFormat, filled, DateTimeOffset.UtcNow, cancellationToken, by with { Reason = reason });
        db.AuditEntries.Add(new AuditEntry
        {
            Actor = by.Actor,
            Action = "fill-in",
            Target = stored.RegistryId,
            Details = $"via {by.Via}: document {source.Id} ({source.FileName}), {stored.Outcome.ToString().ToLowerInvariant()}, version {stored.Version}" + (by.Reason is { Length: > 0 } why ? $"; {why}" : ""),
            At = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new FillInResult(FillInOutcome.Stored, stored);
    }
}
