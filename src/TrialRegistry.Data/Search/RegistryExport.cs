using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Search;

/// <summary>
/// The whole registry, one trial's current record at a time, for a client that wants a full copy: every trial that
/// is neither withdrawn nor merged into another, in id order, read by one statement (so one consistent moment)
/// and streamed row by row, so memory stays constant however many trials there are. Records are in the shape of
/// <c>GET /api/v1/trials/{id}</c> without the list of source documents (ask the record for those). A copy made from
/// the export stays current with the change feed from the token taken just before it.
/// </summary>
public sealed class RegistryExport(NpgsqlDataSource dataSource)
{
    private const string Current = """
        SELECT t.registry_id, t.version, v.created_at, v.snapshot::text
        FROM trials t JOIN trial_versions v ON v.trial_id = t.id AND v.version = t.version
        WHERE NOT t.withdrawn AND t.merged_into IS NULL
        """;

    /// <summary>Every current trial, in id order.</summary>
    public IAsyncEnumerable<TrialDetail> ReadAsync(CancellationToken cancellationToken) => ReadAsync(window: null, cancellationToken);

    /// <summary>
    /// The current trials whose record last changed inside <paramref name="window"/> (from its start, before its
    /// end), in id order; all current trials without one. A trial changed after the window's end is left out
    /// (a later window that starts there has it), so an export stands for one moment even while the registry changes.
    /// </summary>
    public async IAsyncEnumerable<TrialDetail> ReadAsync(ExportWindow? window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            Current + (window is null ? "" : " AND v.created_at < $2 AND ($1::timestamptz IS NULL OR v.created_at >= $1)") + " ORDER BY t.id",
            connection) { CommandTimeout = 0 };
        if (window is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = window.Since, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = window.Until });
        }

        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    /// <summary>
    /// The latest moment an export window may end at now and stay complete: now, or the start of the oldest
    /// transaction still running if it is older (a version it writes could carry an earlier time and commit after
    /// the export read; an export that ends before it and the next one that starts there both hold that version).
    /// </summary>
    public async Task<DateTimeOffset> SettledMomentAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT least(clock_timestamp(), (SELECT min(xact_start) FROM pg_stat_activity WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() AND datname = current_database()))");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    /// <summary>These trials' current records (those that are neither withdrawn nor merged), in the order given.</summary>
    public async Task<IReadOnlyList<TrialDetail>> ReadAsync(IReadOnlyList<string> registryIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Current + " AND t.registry_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = registryIds.ToArray() });
        var found = new Dictionary<string, TrialDetail>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var trial = Read(reader);
            found[trial.RegistryId] = trial;
        }

        return registryIds.Select(id => found.GetValueOrDefault(id)).OfType<TrialDetail>().ToList();
    }

    private static TrialDetail Read(NpgsqlDataReader reader)
    {
        var registryId = reader.GetString(0);
        var version = reader.GetInt32(1);
        var at = reader.GetFieldValue<DateTimeOffset>(2);
        var record = RecordJson.Deserialize(reader.GetString(3));
        return TrialDetails.FromRecord(record, registryId, version, at, withdrawn: false, sourceDocuments: []);
    }
}

/// <summary>Trials whose record last changed at or after <see cref="Since"/> (null: from the beginning) and before <see cref="Until"/>: windows that share an end and a start chain without a gap or an overlap.</summary>
public sealed record ExportWindow(DateTimeOffset? Since, DateTimeOffset Until);
