using TrialRegistry.Data.Model;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Store;

/// <summary>
/// What storing one record does to its trial, decided in one place for the import and the upload preview: the
/// stored records it replaces (an older record from the same place: same file name, same format), the records
/// that then make the trial, in the order the merger takes them, and the merged result.
/// </summary>
internal sealed record MergePlan(
    IReadOnlyList<TrialDocument> Replaced,
    IReadOnlyList<(long SourceDocumentId, DateTimeOffset ReceivedAt, TrialRecord Record)> Contributing,
    TrialRecord Merged,
    IReadOnlyDictionary<string, SourceInfo> FieldSources,
    string ContentHash)
{
    /// <param name="active">The trial's stored records that are not superseded.</param>
    public static MergePlan Make(IReadOnlyList<TrialDocument> active, string recordKey, string format, TrialRecord record, long sourceDocumentId, DateTimeOffset receivedAt)
    {
        var replaced = active.Where(d => d.RecordKey == recordKey && d.Format == format).ToList();
        var contributing = InMergeOrder(active.Except(replaced), record, sourceDocumentId, receivedAt);
        var (merged, fieldSources) = RecordMerger.Merge([.. contributing.Select(r => r.Record)]);
        return new MergePlan(replaced, contributing, merged, fieldSources, RecordMerger.ContentHash(merged));
    }

    /// <summary>
    /// The stored records plus the new one, oldest first: by last-updated date (a record without one is older than any
    /// with one), then by arrival, then by document.
    /// </summary>
    private static List<(long SourceDocumentId, DateTimeOffset ReceivedAt, TrialRecord Record)> InMergeOrder(
        IEnumerable<TrialDocument> stored, TrialRecord record, long sourceDocumentId, DateTimeOffset receivedAt) =>
        stored.Select(d => (d.SourceDocumentId, d.ReceivedAt, Record: RecordMerger.Deserialize(d.Record)))
            .Append((SourceDocumentId: sourceDocumentId, ReceivedAt: receivedAt, Record: record))
            .OrderBy(r => r.Record.LastUpdated ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(r => r.ReceivedAt)
            .ThenBy(r => r.SourceDocumentId)
            .ToList();
}
