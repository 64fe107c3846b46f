using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;

namespace TrialRegistry.Data.Store;

/// <summary>A reader's report that a value is wrong, as the admins' queue shows it.</summary>
public sealed record FlagLine(long Id, string RegistryId, string? Title, string Field, string Message, DateTimeOffset CreatedAt, string? ResolvedBy, DateTimeOffset? ResolvedAt, string? Resolution);

/// <summary>
/// Readers' reports of wrong values: anyone may file one from a trial's page (nothing about them is kept); they wait
/// in a queue until an admin resolves them (corrected, or dismissed with a note), which is audited with the resolution.
/// </summary>
public sealed class ValueFlags(RegistryDbContext db)
{
    /// <summary>What a report may be about: a field an admin can correct, or "other".</summary>
    public static IReadOnlyList<string> Subjects { get; } = [.. TrialRegistry.Ingestion.Model.RecordCorrections.CorrectableFields, "other"];

    public const int MaxMessage = 1000;

    /// <summary>Files a report; null when there is no such trial.</summary>
    public async Task<long?> AddAsync(string registryId, string field, string message, CancellationToken cancellationToken = default)
    {
        var trialId = await db.Trials.Where(t => t.RegistryId == registryId).Select(t => (long?)t.Id).FirstOrDefaultAsync(cancellationToken);
        if (trialId is null)
        {
            return null;
        }

        var flag = new ValueFlag { TrialId = trialId.Value, Field = field, Message = message.Trim(), CreatedAt = DateTimeOffset.UtcNow };
        db.ValueFlags.Add(flag);
        await db.SaveChangesAsync(cancellationToken);
        return flag.Id;
    }

    /// <summary>Reports, oldest first: the open ones, or (<paramref name="open"/> false) the resolved ones, newest resolved first.</summary>
    public async Task<IReadOnlyList<FlagLine>> ListAsync(bool open = true, string? registryId = null, int limit = 200, CancellationToken cancellationToken = default)
    {
        var flags = db.ValueFlags.AsNoTracking().Where(f => (f.ResolvedAt == null) == open);
        if (registryId is not null)
        {
            flags = flags.Where(f => db.Trials.Any(t => t.Id == f.TrialId && t.RegistryId == registryId));
        }

        var ordered = open ? flags.OrderBy(f => f.Id) : flags.OrderByDescending(f => f.ResolvedAt);
        return await ordered.Take(limit)
            .Join(db.Trials, f => f.TrialId, t => t.Id, (f, t) => new FlagLine(f.Id, t.RegistryId, t.Title, f.Field, f.Message, f.CreatedAt, f.ResolvedBy, f.ResolvedAt, f.Resolution))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Resolves an open report, with the audit row in the same transaction; false when there is no open report with that id.</summary>
    public async Task<bool> ResolveAsync(long id, string actor, string resolution, string via, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var flag = await db.ValueFlags.FirstOrDefaultAsync(f => f.Id == id && f.ResolvedAt == null, cancellationToken);
        if (flag is null)
        {
            return false;
        }

        flag.ResolvedAt = DateTimeOffset.UtcNow;
        flag.ResolvedBy = actor;
        flag.Resolution = resolution.Trim();
        var registryId = await db.Trials.Where(t => t.Id == flag.TrialId).Select(t => t.RegistryId).FirstAsync(cancellationToken);
        db.AuditEntries.Add(new AuditEntry
        {
            Actor = actor,
            Action = "resolve-flag",
            Target = registryId,
            Details = System.Text.Json.JsonSerializer.Serialize(new { flag = id, field = flag.Field, resolution = flag.Resolution, via }),
            At = flag.ResolvedAt.Value,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
