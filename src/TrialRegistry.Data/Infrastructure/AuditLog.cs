using Npgsql;

namespace TrialRegistry.Data.Infrastructure;

/// <summary>
/// An audit row written with plain Npgsql, on the connection (and in the transaction) of the write it records, for
/// the writers that work below EF Core (imports, the ingestion queue, bulk loads). Writers with a DbContext add an
/// AuditEntry to it instead.
/// </summary>
public static class AuditLog
{
    public static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string actor, string action, string target, string details, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("INSERT INTO audit_entries (actor, action, target, details, at) VALUES ($1, $2, $3, $4, now())", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actor });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = action });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = target });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = details });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
