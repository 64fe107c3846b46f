using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using Arm = TrialRegistry.Data.Model.Arm;
using Contact = TrialRegistry.Data.Model.Contact;
using DoseLevel = TrialRegistry.Data.Model.DoseLevel;
using Eligibility = TrialRegistry.Data.Model.Eligibility;
using Intervention = TrialRegistry.Data.Model.Intervention;
using Location = TrialRegistry.Data.Model.Location;
using Outcome = TrialRegistry.Data.Model.Outcome;
using Sponsor = TrialRegistry.Data.Model.Sponsor;

namespace TrialRegistry.Data.Store;

public sealed record BulkImportOptions
{
    /// <summary>Parsing threads; the writer is one more.</summary>
    public int ParseWorkers { get; init; } = Environment.ProcessorCount;

    /// <summary>Documents written per batch of COPY commands.</summary>
    public int BatchSize { get; init; } = 2000;

    /// <summary>
    /// Load in one transaction with the secondary indexes dropped and built again at the end. Null: only when
    /// the registry holds no trial yet (a first load), where building indexes once beats maintaining them row by row.
    /// </summary>
    public bool? RebuildIndexes { get; init; }
}

public sealed record BulkImportProgress(int Documents, int Trials);

/// <summary>What a bulk load did: trials written by COPY, documents that went through the merging store instead, failures.</summary>
public sealed record BulkImportResult(
    int Documents, int NewTrials, int StoredDocuments, IReadOnlyList<DocumentImportResult> Merged, IReadOnlyList<(string File, string Error)> Failed,
    bool RebuiltIndexes, TimeSpan Elapsed, TimeSpan IndexTime, IReadOnlyDictionary<string, TimeSpan> WriterTimings);

/// <summary>
/// Loads many documents fast: files are parsed on every core, and records of trials the registry does not hold yet
/// are written with binary COPY in batches, each batch one transaction (or, on a first load, the whole load one
/// transaction with the search indexes built once at the end). A document that adds to a trial already known,
/// here or earlier in the same load, or whose bytes are already stored, goes through <see cref="TrialStore"/>
/// instead, so merging, versions and supersession follow the same rules as any import. The rows written are the
/// ones <see cref="TrialStore"/> would write: the same mapper, merged record, hash, snapshot and field sources.
/// Unreadable documents are kept, as everywhere, and reported. Ends with ANALYZE.
/// </summary>
public sealed class BulkImporter(NpgsqlDataSource dataSource, ILogger<BulkImporter>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    // Tables the load writes, whose secondary indexes a rebuild drops and builds again, and ANALYZE refreshes.
    private static readonly string[] LoadedTables =
    [
        "source_documents", "trials", "arms", "interventions", "arm_interventions", "dose_levels", "conditions", "eligibilities",
        "eligibility_criteria", "sponsors", "locations", "contacts", "outcomes", "trial_target_antigens", "trial_documents", "trial_versions",
    ];

    private sealed record Prepared(string Path, ParsedDocument Parsed, IReadOnlyList<PreparedTrial> Trials, Exception? ReadError);

    private sealed record PreparedTrial(TrialRecord Record, TrialRecord Merged, IReadOnlyDictionary<string, SourceInfo> FieldSources, string Hash, string RecordJson, string SnapshotJson);

    public async Task<BulkImportResult> ImportAsync(
        IReadOnlyList<string> files, BulkImportOptions? options = null, IProgress<BulkImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new BulkImportOptions();
        var watch = Stopwatch.StartNew();
        var channel = Channel.CreateBounded<Prepared>(new BoundedChannelOptions(options.BatchSize * 2) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parsing = ParseAllAsync(files, options.ParseWorkers, channel.Writer, stop.Token);

        try
        {
            var result = await WriteAllAsync(channel.Reader, options, progress, files.Count, watch, stop.Token);
            await parsing;
            return result;
        }
        catch
        {
            await stop.CancelAsync();
            try
            {
                await parsing;
            }
            catch (OperationCanceledException)
            {
                // The writer's failure is the one to report.
            }

            throw;
        }
    }

    private static Task ParseAllAsync(IReadOnlyList<string> files, int workers, ChannelWriter<Prepared> writer, CancellationToken cancellationToken)
    {
        var next = -1;
        var tasks = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < files.Count)
            {
                await writer.WriteAsync(Prepare(files[i]), cancellationToken);
            }
        }, cancellationToken)).ToList();
        return Task.WhenAll(tasks).ContinueWith(t => writer.TryComplete(t.Exception?.GetBaseException()), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Parsing, merging and serializing, on a parse thread: the writer only maps and copies.</summary>
    private static Prepared Prepare(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new Prepared(path, null!, [], ex);
        }

        var parsed = DocumentParser.Default.Parse(bytes, Path.GetFileName(path));
        if (!parsed.Recognized)
        {
            return new Prepared(path, parsed, [], null);
        }

        var trials = TrialStore.TrialRecords(parsed)
            .Select(record =>
            {
                // A new trial from one record: the merged record is the record, its snapshot the record's JSON.
                var (merged, fieldSources) = RecordMerger.Merge([record]);
                var json = RecordJson.Serialize(record);
                return new PreparedTrial(record, merged, fieldSources, RecordJson.ContentHash(merged), json, json);
            })
            .ToList();
        return new Prepared(path, parsed, trials, null);
    }

    private async Task<BulkImportResult> WriteAllAsync(
        ChannelReader<Prepared> reader, BulkImportOptions options, IProgress<BulkImportProgress>? progress, int total, Stopwatch watch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var db = RegistryDatabase.CreateContext(connection);
        db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
        var writer = new BatchWriter(db.Model);
        var antigens = await db.TargetAntigens.AsNoTracking().ToDictionaryAsync(a => a.Symbol, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var rebuild = options.RebuildIndexes ?? !await db.Trials.AnyAsync(cancellationToken);

        var seenShas = new HashSet<string>(StringComparer.Ordinal);
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var deferred = new List<string>();
        var failed = new List<(string File, string Error)>();
        int documents = 0, newTrials = 0, stored = 0;
        var indexTime = TimeSpan.Zero;
        List<string> droppedIndexes = [];

        // lz4 compresses the long texts and JSON several times faster than the default pglz; index builds get memory.
        await ExecuteAsync(connection, "SET default_toast_compression = 'lz4'; SET maintenance_work_mem = '512MB'", cancellationToken);
        NpgsqlTransaction? loadTransaction = null;
        if (rebuild)
        {
            // As PostgreSQL's "Populating a Database" advises: foreign keys and secondary indexes go for the load and
            // come back after it, checked and built once over the whole tables, inside the same transaction.
            loadTransaction = await connection.BeginTransactionAsync(cancellationToken);
            droppedIndexes = await DropConstraintsAndIndexesAsync(connection, cancellationToken);
            _logger.LogInformation("Bulk load: {Count} foreign keys and secondary indexes dropped, to be restored after the load", droppedIndexes.Count);

            // The change-version trigger would queue one deferred event per copied trial, and pending events forbid
            // the index builds: it is off for the COPY, and the load counts as one change.
            await ExecuteAsync(connection, "ALTER TABLE trials DISABLE TRIGGER trials_changed", cancellationToken);
        }

        var batch = new List<Prepared>(options.BatchSize);
        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            await using var batchTransaction = rebuild ? null : await connection.BeginTransactionAsync(cancellationToken);
            var (alreadyStored, known) = await ExistingAsync(connection, batch, cancellationToken);
            var writable = new List<Prepared>(batch.Count);
            foreach (var item in batch)
            {
                var sha = item.Parsed.Document.Sha256;
                var ids = item.Trials.Select(t => t.Record.RegistryId!).ToList();
                // Records without a registry id are loaded as they are; `trialregistry dedupe` matches them afterwards.
                if (alreadyStored.Contains(sha) || !seenShas.Add(sha) || ids.Any(id => known.Contains(id) || seenIds.Contains(id)))
                {
                    deferred.Add(item.Path);
                    continue;
                }

                ids.ForEach(id => seenIds.Add(id));
                writable.Add(item);
            }

            await EnsureAntigensAsync(connection, writable.SelectMany(p => p.Trials).SelectMany(t => t.Merged.TargetAntigens), antigens, cancellationToken);
            newTrials += await writer.WriteAsync(connection, writable, antigens, cancellationToken);
            stored += writable.Count;
            foreach (var item in writable.Where(p => !p.Parsed.Recognized))
            {
                failed.Add((item.Path, item.Parsed.Error!));
            }

            if (batchTransaction is not null)
            {
                await batchTransaction.CommitAsync(cancellationToken);
            }

            documents += batch.Count;
            batch.Clear();
            progress?.Report(new BulkImportProgress(documents, newTrials));
        }

        await foreach (var item in reader.ReadAllAsync(cancellationToken))
        {
            if (item.ReadError is not null)
            {
                failed.Add((item.Path, item.ReadError.Message));
                documents++;
                continue;
            }

            batch.Add(item);
            if (batch.Count >= options.BatchSize)
            {
                await FlushAsync();
            }
        }

        await FlushAsync();

        if (rebuild)
        {
            await ExecuteAsync(connection, "ALTER TABLE trials ENABLE TRIGGER trials_changed; UPDATE trial_change_version SET version = version + 1", cancellationToken);
            var indexWatch = Stopwatch.StartNew();
            foreach (var definition in droppedIndexes)
            {
                await ExecuteAsync(connection, definition, cancellationToken);
            }

            indexTime = indexWatch.Elapsed;
            _logger.LogInformation("Bulk load: {Count} indexes and foreign keys restored in {Seconds:F1} s", droppedIndexes.Count, indexTime.TotalSeconds);
        }

        // Documents that add to trials already known: the merging store, in arrival order (with the indexes back,
        // which its per-trial lookups need).
        var store = new TrialStore(dataSource);
        var merged = new List<DocumentImportResult>();
        foreach (var path in deferred)
        {
            var parsed = DocumentParser.Default.Parse(await File.ReadAllBytesAsync(path, cancellationToken), Path.GetFileName(path));
            merged.Add(loadTransaction is not null
                ? await store.ImportAsync(parsed, connection, loadTransaction, null, cancellationToken)
                : await store.ImportAsync(parsed, cancellationToken));
        }

        failed.AddRange(merged.Where(r => r.Error is not null).Select(r => (r.FileName ?? "?", r.Error!)));

        await ExecuteAsync(connection, $"ANALYZE {string.Join(", ", LoadedTables)}", cancellationToken);
        if (loadTransaction is not null)
        {
            await loadTransaction.CommitAsync(cancellationToken);
            await loadTransaction.DisposeAsync();
        }

        // Place searches read sites by index only (the covering city and distance indexes), which needs the visibility
        // map that VACUUM sets; outside the load's transaction, as VACUUM must be. Seconds, for the sites table alone.
        await ExecuteAsync(connection, "VACUUM (ANALYZE) locations", cancellationToken);

        _logger.LogInformation("Bulk load time per step: {Timings}", string.Join(", ", writer.Timings.OrderByDescending(t => t.Value).Select(t => $"{t.Key} {t.Value.TotalSeconds:F1} s")));
        _logger.LogInformation(
            "Bulk load of {Documents} documents: {Trials} new trials by COPY, {Merged} documents merged through the store, {Failed} failed, in {Seconds:F1} s",
            documents, newTrials, merged.Count, failed.Count, watch.Elapsed.TotalSeconds);
        return new BulkImportResult(total, newTrials, stored, merged, failed, rebuild, watch.Elapsed, indexTime, writer.Timings);
    }

    /// <summary>Which of a batch's documents and trials the registry already holds.</summary>
    private static async Task<(HashSet<string> Shas, HashSet<string> RegistryIds)> ExistingAsync(NpgsqlConnection connection, List<Prepared> batch, CancellationToken cancellationToken)
    {
        var shas = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT sha256 FROM source_documents WHERE sha256 = ANY(@v)", connection))
        {
            command.Parameters.AddWithValue("v", batch.Select(p => p.Parsed.Document.Sha256).ToArray());
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                shas.Add(rows.GetString(0));
            }
        }

        await using (var command = new NpgsqlCommand("SELECT registry_id FROM trials WHERE registry_id = ANY(@v)", connection))
        {
            command.Parameters.AddWithValue("v", batch.SelectMany(p => p.Trials).Select(t => t.Record.RegistryId!).ToArray());
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                ids.Add(rows.GetString(0));
            }
        }

        return (shas, ids);
    }

    /// <summary>Antigens outside the vocabulary get their row before trials link to them, as the store does.</summary>
    private static async Task EnsureAntigensAsync(NpgsqlConnection connection, IEnumerable<string> symbols, Dictionary<string, TargetAntigen> antigens, CancellationToken cancellationToken)
    {
        foreach (var symbol in symbols.Where(s => !antigens.ContainsKey(s)).Distinct(StringComparer.OrdinalIgnoreCase).ToList())
        {
            var known = AntigenVocabulary.Find(symbol);
            await using var command = new NpgsqlCommand(
                "INSERT INTO target_antigens (symbol, name, synonyms) VALUES (@s, @n, @y) ON CONFLICT (symbol) DO UPDATE SET symbol = EXCLUDED.symbol RETURNING id, symbol", connection);
            command.Parameters.AddWithValue("s", known?.Symbol ?? symbol);
            command.Parameters.AddWithValue("n", known?.Name ?? symbol);
            command.Parameters.AddWithValue("y", known?.Synonyms.ToArray() ?? []);
            await using var row = await command.ExecuteReaderAsync(cancellationToken);
            await row.ReadAsync(cancellationToken);
            antigens[symbol] = new TargetAntigen { Id = row.GetInt32(0), Symbol = row.GetString(1), Name = known?.Name ?? symbol };
        }
    }

    /// <summary>
    /// Drops the loaded tables' foreign keys and their indexes other than primary keys and unique constraints;
    /// returns the statements that restore them, foreign keys last.
    /// </summary>
    private static async Task<List<string>> DropConstraintsAndIndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var drops = new List<string>();
        var indexes = new List<string>();
        var foreignKeys = new List<string>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT format('DROP INDEX %I', i.indexname), i.indexdef FROM pg_indexes i
            JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = to_regnamespace(i.schemaname)
            JOIN pg_index x ON x.indexrelid = c.oid
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(@t) AND NOT x.indisunique AND NOT x.indisprimary
            """, connection))
        {
            command.Parameters.AddWithValue("t", LoadedTables);
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                drops.Add(rows.GetString(0));
                indexes.Add(rows.GetString(1));
            }
        }

        await using (var command = new NpgsqlCommand(
            """
            SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', t.relname, k.conname),
                   format('ALTER TABLE %I ADD CONSTRAINT %I %s', t.relname, k.conname, pg_get_constraintdef(k.oid))
            FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
            WHERE k.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(@t)
            """, connection))
        {
            command.Parameters.AddWithValue("t", LoadedTables);
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                drops.Insert(0, rows.GetString(0));
                foreignKeys.Add(rows.GetString(1));
            }
        }

        foreach (var drop in drops)
        {
            await ExecuteAsync(connection, drop, cancellationToken);
        }

        return [.. indexes, .. foreignKeys];
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Maps a batch onto entities with ids drawn from the tables' identity sequences, and copies them table by table.</summary>
    private sealed class BatchWriter(Microsoft.EntityFrameworkCore.Metadata.IModel model)
    {
        /// <summary>Time spent per step over the whole load (mapping, id reservation, each table's COPY).</summary>
        public Dictionary<string, TimeSpan> Timings { get; } = [];

        private async Task<T> TimedAsync<T>(string step, Func<Task<T>> action)
        {
            var watch = Stopwatch.StartNew();
            var result = await action();
            Timings[step] = Timings.GetValueOrDefault(step) + watch.Elapsed;
            return result;
        }

        private readonly CopyTable<SourceDocument> _sources = new(model, withKey: true);
        private readonly CopyTable<Trial> _trials = new(model, withKey: true);
        private readonly CopyTable<Arm> _arms = new(model, withKey: true);
        private readonly CopyTable<Intervention> _interventions = new(model, withKey: true);
        private readonly CopyTable<DoseLevel> _doses = new(model, withKey: false);
        private readonly CopyTable<Condition> _conditions = new(model, withKey: false);
        private readonly CopyTable<Eligibility> _eligibilities = new(model, withKey: true);
        private readonly CopyTable<EligibilityCriterion> _criteria = new(model, withKey: false);
        private readonly CopyTable<Sponsor> _sponsors = new(model, withKey: false);
        private readonly CopyTable<Location> _locations = new(model, withKey: false);
        private readonly CopyTable<Contact> _contacts = new(model, withKey: false);
        private readonly CopyTable<Outcome> _outcomes = new(model, withKey: false);
        private readonly CopyTable<TrialDocument> _links = new(model, withKey: false);
        private readonly CopyTable<TrialVersion> _versions = new(model, withKey: false);

        public async Task<int> WriteAsync(NpgsqlConnection connection, List<Prepared> batch, Dictionary<string, TargetAntigen> antigens, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            var sourceIds = await IdsAsync(connection, "source_documents", batch.Count, cancellationToken);
            var sources = batch.Select((p, i) =>
            {
                var source = TrialStore.NewSourceDocument(p.Parsed, now);
                source.Id = sourceIds[i];
                return source;
            }).ToList();

            var mapping = Stopwatch.StartNew();
            var trials = new List<Trial>();
            foreach (var (item, source) in batch.Zip(sources))
            {
                foreach (var prepared in item.Trials)
                {
                    var trial = new Trial { RegistryId = prepared.Record.RegistryId!, ContentHash = prepared.Hash, CreatedAt = now, UpdatedAt = now, Version = 1 };
                    TrialMapper.Apply(trial, prepared.Merged, antigens);
                    trial.FieldSources = prepared.FieldSources.ToDictionary(f => f.Key, _ => source.Id);
                    trial.Documents.Add(new TrialDocument
                    {
                        SourceDocumentId = source.Id,
                        RecordKey = TrialStore.RecordKey(source.FileName, source.Sha256, trial.RegistryId),
                        Format = item.Parsed.Format,
                        Record = prepared.RecordJson,
                        ReceivedAt = now,
                    });
                    trial.Versions.Add(new TrialVersion
                    {
                        Version = 1,
                        SourceDocumentId = source.Id,
                        Snapshot = prepared.SnapshotJson,
                        ChangedFields = [.. prepared.FieldSources.Keys],
                        CreatedAt = now,
                    });
                    trials.Add(trial);
                }
            }

            Timings["map"] = Timings.GetValueOrDefault("map") + mapping.Elapsed;
            var trialIds = await TimedAsync("ids", () => IdsAsync(connection, "trials", trials.Count, cancellationToken));
            var armIds = await IdsAsync(connection, "arms", trials.Sum(t => t.Arms.Count), cancellationToken);
            var interventionIds = await IdsAsync(connection, "interventions", trials.Sum(t => t.Interventions.Count), cancellationToken);
            int nextArm = 0, nextIntervention = 0;
            foreach (var (trial, id) in trials.Zip(trialIds))
            {
                trial.Id = id;
                foreach (var intervention in trial.Interventions)
                {
                    intervention.Id = interventionIds[nextIntervention++];
                    intervention.TrialId = id;
                }

                foreach (var arm in trial.Arms)
                {
                    arm.Id = armIds[nextArm++];
                    arm.TrialId = id;
                    arm.DoseLevels.ForEach(d => d.ArmId = arm.Id);
                }

                trial.DoseLevels.ForEach(d => d.TrialId = id);
                trial.Conditions.ForEach(c => c.TrialId = id);
                trial.Criteria.ForEach(c => c.TrialId = id);
                trial.Sponsors.ForEach(s => s.TrialId = id);
                trial.Locations.ForEach(l => l.TrialId = id);
                trial.Contacts.ForEach(c => c.TrialId = id);
                trial.Outcomes.ForEach(o => o.TrialId = id);
                trial.Documents.ForEach(d => d.TrialId = id);
                trial.Versions.ForEach(v => v.TrialId = id);
                if (trial.Eligibility is not null)
                {
                    trial.Eligibility.TrialId = id;
                }
            }

            await TimedAsync("sources", () => _sources.WriteAsync(connection, sources, cancellationToken));
            await TimedAsync("trials", () => _trials.WriteAsync(connection, trials, cancellationToken));
            await TimedAsync("arms", () => _arms.WriteAsync(connection, trials.SelectMany(t => t.Arms), cancellationToken));
            await TimedAsync("interventions", () => _interventions.WriteAsync(connection, trials.SelectMany(t => t.Interventions), cancellationToken));
            await TimedAsync("arm_interventions", () => WritePairsAsync(connection, "COPY arm_interventions (arm_id, intervention_id) FROM STDIN (FORMAT BINARY)",
                trials.SelectMany(t => t.Arms).SelectMany(a => a.Interventions.Select(i => (a.Id, (object)i.Id))), NpgsqlDbType.Bigint, cancellationToken));
            await TimedAsync("doses", () => _doses.WriteAsync(connection, trials.SelectMany(t => t.DoseLevels), cancellationToken));
            await TimedAsync("conditions", () => _conditions.WriteAsync(connection, trials.SelectMany(t => t.Conditions), cancellationToken));
            await TimedAsync("eligibilities", () => _eligibilities.WriteAsync(connection, trials.Where(t => t.Eligibility is not null).Select(t => t.Eligibility!), cancellationToken));
            await TimedAsync("criteria", () => _criteria.WriteAsync(connection, trials.SelectMany(t => t.Criteria), cancellationToken));
            await TimedAsync("sponsors", () => _sponsors.WriteAsync(connection, trials.SelectMany(t => t.Sponsors), cancellationToken));
            await TimedAsync("locations", () => _locations.WriteAsync(connection, trials.SelectMany(t => t.Locations), cancellationToken));
            await TimedAsync("contacts", () => _contacts.WriteAsync(connection, trials.SelectMany(t => t.Contacts), cancellationToken));
            await TimedAsync("outcomes", () => _outcomes.WriteAsync(connection, trials.SelectMany(t => t.Outcomes), cancellationToken));
            await TimedAsync("trial_target_antigens", () => WritePairsAsync(connection, "COPY trial_target_antigens (trial_id, target_antigen_id) FROM STDIN (FORMAT BINARY)",
                trials.SelectMany(t => t.TargetAntigens.Select(a => (t.Id, (object)a.Id))), NpgsqlDbType.Integer, cancellationToken));
            await TimedAsync("links", () => _links.WriteAsync(connection, trials.SelectMany(t => t.Documents), cancellationToken));
            await TimedAsync("versions", () => _versions.WriteAsync(connection, trials.SelectMany(t => t.Versions), cancellationToken));
            return trials.Count;
        }

        /// <summary>Ids for new rows, drawn from the table's identity sequence (safe beside other writers).</summary>
        private static async Task<long[]> IdsAsync(NpgsqlConnection connection, string table, int count, CancellationToken cancellationToken)
        {
            if (count == 0)
            {
                return [];
            }

            await using var command = new NpgsqlCommand($"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, @n)", connection);
            command.Parameters.AddWithValue("n", count);
            var ids = new long[count];
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            for (var i = 0; await rows.ReadAsync(cancellationToken); i++)
            {
                ids[i] = rows.GetInt64(0);
            }

            return ids;
        }

        private static async Task<int> WritePairsAsync(NpgsqlConnection connection, string copy, IEnumerable<(long First, object Second)> pairs, NpgsqlDbType secondType, CancellationToken cancellationToken)
        {
            var count = 0;
            await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
            foreach (var (first, second) in pairs)
            {
                count++;
                importer.StartRow();
                importer.Write(first, NpgsqlDbType.Bigint);
                importer.Write(second, secondType);
            }

            await importer.CompleteAsync(cancellationToken);
            return count;
        }
    }
}
