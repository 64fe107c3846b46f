using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;

namespace TrialRegistry.Data.Uploads;

public sealed record BatchProgress(long BatchId, int Total, int Queued, int Done, int Failed)
{
    public bool Finished => Queued == 0;
}

/// <summary>
/// The ingestion queue in PostgreSQL. A job is claimed with <c>FOR NO KEY UPDATE SKIP LOCKED</c> (so several app
/// instances share the work) and its document is stored in the same transaction that marks it done: a worker
/// that dies mid-document leaves the job queued and nothing half-stored, and no document is stored twice. Each start
/// is recorded before the work (in <c>ingestion_starts</c>, committed on its own): a document that killed the worker
/// <see cref="MaxStarts"/> times is marked failed, kept with its upload, instead of being retried for ever.
/// </summary>
public sealed class IngestionQueue(NpgsqlDataSource dataSource, TrialStore store, ILogger<IngestionQueue>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>How many times a worker may start on one document before it is given up as one that stops workers.</summary>
    public const int MaxStarts = 3;

    /// <summary>How job results are kept (and read back): web JSON, outcomes by name.</summary>
    public static JsonSerializerOptions ResultJson { get; } = new(JsonSerializerOptions.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>
    /// Queues the pending uploads of a batch (all, or those given); returns how many jobs were added. With
    /// <paramref name="by"/> the confirmation is audited (who, how, how many) in the same transaction.
    /// </summary>
    public async Task<int> EnqueueAsync(long batchId, IReadOnlyCollection<long>? uploadIds = null, Store.AdminAction? by = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            WITH confirmed AS (
                UPDATE uploads SET status = 'CONFIRMED'
                WHERE batch_id = $1 AND status = 'PENDING' AND ($2::bigint[] IS NULL OR id = ANY($2))
                RETURNING id, batch_id)
            INSERT INTO ingestion_jobs (batch_id, upload_id, status, attempts, created_at)
            SELECT batch_id, id, 'QUEUED', 0, now() FROM confirmed
            ON CONFLICT (upload_id) DO NOTHING
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = batchId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)uploadIds?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint });
        var added = await command.ExecuteNonQueryAsync(cancellationToken);
        if (by is not null)
        {
            await AuditLog.WriteAsync(connection, transaction, by.Actor, "confirm",
                uploadIds is { Count: 1 } one ? $"upload {one.First()}" : $"batch {batchId}", $"{added} queued via {by.Via}", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>Claims and stores one queued document; false when the queue is empty (or all is claimed by others).</summary>
    public async Task<bool> ProcessNextAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        long jobId, uploadId;
        int starts;
        string fileName;
        byte[] content;
        Dictionary<string, string> decisions;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var claim = new NpgsqlCommand(
                """
                SELECT j.id, j.upload_id, u.file_name, u.content, u.match_decisions::text,
                       (SELECT count(*)::int FROM ingestion_starts s WHERE s.job_id = j.id)
                FROM ingestion_jobs j JOIN uploads u ON u.id = j.upload_id
                WHERE j.status = 'QUEUED'
                ORDER BY j.id
                LIMIT 1
                FOR NO KEY UPDATE OF j SKIP LOCKED
                """, connection, transaction))
            await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return false;
                }

                (jobId, uploadId, fileName, content) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), (byte[])reader[3]);
                decisions = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4)) ?? [];
                starts = reader.GetInt32(5);
            }

            if (starts >= MaxStarts)
            {
                // Started that often and never finished: storing it stops the worker. It stays with its upload, failed.
                await using var givenUp = new NpgsqlCommand(
                    "UPDATE ingestion_jobs SET status = 'FAILED', attempts = $2, error = $3, finished_at = now() WHERE id = $1", connection, transaction)
                {
                    Parameters =
                    {
                        new() { Value = jobId },
                        new() { Value = starts },
                        new() { Value = $"not stored: the worker stopped each of the {starts} times it started on this document; it is kept with its upload" },
                    },
                };
                await givenUp.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                _logger.LogError("Gave up on upload {UploadId} ({FileName}): the worker stopped on it {Starts} times", uploadId, fileName, starts);
                return true;
            }

            // Recorded and committed apart from the job's transaction, so that it survives the worker dying on this document.
            // (The claim's lock is FOR NO KEY UPDATE so that this row's key-share check on its job does not wait for it.)
            await using (var start = dataSource.CreateCommand("INSERT INTO ingestion_starts (job_id) VALUES ($1)"))
            {
                start.Parameters.Add(new NpgsqlParameter { Value = jobId });
                await start.ExecuteNonQueryAsync(cancellationToken);
            }

            try
            {
                var parsed = DocumentParser.Default.Parse(content, fileName);
                var result = await store.ImportAsync(parsed, connection, transaction, decisions, cancellationToken);
                await using var done = new NpgsqlCommand(
                    "UPDATE ingestion_jobs SET status = $2, attempts = attempts + 1, result = $3::jsonb, error = $4, finished_at = now() WHERE id = $1",
                    connection, transaction)
                {
                    Parameters =
                    {
                        new() { Value = jobId },
                        new() { Value = result.Error is null ? "DONE" : "FAILED" },
                        new() { Value = JsonSerializer.Serialize(result, ResultJson) },
                        new() { Value = (object?)result.Error ?? DBNull.Value },
                    },
                };
                await done.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                _logger.LogInformation("Ingested upload {UploadId} ({FileName}): {Records} records", uploadId, fileName, result.Records.Count);
                return true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                _logger.LogError(ex, "Ingesting upload {UploadId} ({FileName}) failed", uploadId, fileName);
                await using var failed = new NpgsqlCommand(
                    "UPDATE ingestion_jobs SET status = 'FAILED', attempts = attempts + 1, error = $2, finished_at = now() WHERE id = $1", connection)
                {
                    Parameters = { new() { Value = jobId }, new() { Value = "could not be stored: " + ex.Message } },
                };
                await failed.ExecuteNonQueryAsync(CancellationToken.None);
                return true;
            }
        }
    }

    public async Task<BatchProgress?> ProgressAsync(long batchId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT count(*)::int, count(*) FILTER (WHERE status = 'QUEUED')::int, count(*) FILTER (WHERE status = 'DONE')::int,
                   count(*) FILTER (WHERE status = 'FAILED')::int, EXISTS (SELECT 1 FROM upload_batches WHERE id = $1)
            FROM ingestion_jobs WHERE batch_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = batchId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetBoolean(4)
            ? new BatchProgress(batchId, reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3))
            : null;
    }
}
