using TrialRegistry.Data.Model;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Store;

/// <summary>
/// What storing one record does to its trial, decided in one place for the import and the upload preview: the
/// stored records it replaces (an older record from the same place: same file name, same format), the records
/// that then make the trial, in the order the merger takes them, and the merged result with the admins' active
/// corrections laid over it (<see cref="Kept"/>: the corrected fields the new record states otherwise).
/// </summary>
internal sealed record MergePlan(
    IReadOnlyList<TrialDocument> Replaced,
    IReadOnlyList<(long SourceDocumentId, DateTimeOffset ReceivedAt, TrialRecord Record)> Contributing,
    TrialRecord Merged,
    IReadOnlyDictionary<string, SourceInfo> FieldSources,
    string ContentHash,
    IReadOnlyList<string> Kept)
{
    /// <param name="active">The trial's stored records that are not superseded.</param>
    /// <param name="corrections">The trial's active corrections.</param>
    public static MergePlan Make(
        IReadOnlyList<TrialDocument> active, string recordKey, string format, TrialRecord record, long sourceDocumentId, DateTimeOffset receivedAt,
        IReadOnlyCollection<FieldCorrection> corrections)
    {
        var replaced = active.Where(d => d.RecordKey == recordKey && d.Format == format).ToList();
        var contributing = InMergeOrder(active.Except(replaced), (sourceDocumentId, receivedAt, record));
        return Merge(replaced, contributing, corrections, RecordCorrections.Overridden(record, corrections));
    }

    /// <summary>The trial again from its stored records and the corrections (after a correction or its release).</summary>
    public static MergePlan Remake(IReadOnlyList<TrialDocument> active, IReadOnlyCollection<FieldCorrection> corrections) =>
        Merge([], InMergeOrder(active, null), corrections, []);

    private static MergePlan Merge(
        IReadOnlyList<TrialDocument> replaced, List<(long SourceDocumentId, DateTimeOffset ReceivedAt, TrialRecord Record)> contributing,
        IReadOnlyCollection<FieldCorrection> corrections, IReadOnlyList<string> kept)
    {
        var (merged, fieldSources) = RecordMerger.Merge([.. contributing.Select(r => r.Record)]);
        merged = RecordCorrections.Apply(merged, corrections);
        var sources = corrections.Count == 0
            ? fieldSources
            : fieldSources.Where(f => !corrections.Any(c => c.Field == f.Key.Split('.')[0])).ToDictionary(f => f.Key, f => f.Value);
        return new MergePlan(replaced, contributing, merged, sources, RecordJson.ContentHash(merged), kept);
    }

    /// <summary>
    /// The stored records plus the new one, oldest first: by last-updated date (a record without one is older than any
    /// with one), then by arrival, then by document.
    /// </summary>
    private static List<(long SourceDocumentId, DateTimeOffset ReceivedAt, TrialRecord Record)> InMergeOrder(
        IEnumerable<TrialDocument> stored, (long SourceDocumentId, DateTimeOffset ReceivedAt, TrialRecord Record)? added) =>
        stored.Select(d => (d.SourceDocumentId, d.ReceivedAt, Record: RecordJson.Deserialize(d.Record)))
            .Concat(added is { } a ? [a] : [])
            .OrderBy(r => r.Record.LastUpdated ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(r => r.ReceivedAt)
            .ThenBy(r => r.SourceDocumentId)
            .ToList();
}
