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
    private const string Sql = """
        SELECT t.registry_id, t.version, v.created_at, v.snapshot::text
        FROM trials t JOIN trial_versions v ON v.trial_id = t.id AND v.version = t.version
        WHERE NOT t.withdrawn AND t.merged_into IS NULL
        ORDER BY t.id
        """;

    public async IAsyncEnumerable<TrialDetail> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var registryId = reader.GetString(0);
            var version = reader.GetInt32(1);
            var at = reader.GetFieldValue<DateTimeOffset>(2);
            var record = RecordMerger.Deserialize(reader.GetString(3));
            yield return TrialDetails.FromRecord(record, registryId, version, at, withdrawn: false, sourceDocuments: []);
        }
    }
}
