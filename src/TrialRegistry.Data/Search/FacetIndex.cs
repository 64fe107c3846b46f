using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;
using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Data.Search;

/// <summary>
/// Facet counts and totals from memory. Counting in SQL means grouping every matching trial's link rows once per
/// facet (seconds at half a million trials); here each value is a bit set over the trials, so a count is an AND
/// and a population count. The index is a snapshot of the searchable values with the trials' change version: a
/// deferred trigger on <c>trials</c> increments <c>trial_change_version</c> once per writing transaction as it
/// commits (the store, the bulk importer, the CLI in another process alike), and each request compares that one
/// row with its snapshot's, so a count never misses a change that was committed before the request began.
/// It also knows, once per data source, whether full text can be ranked by the RUM index.
/// </summary>
public sealed class FacetIndex(NpgsqlDataSource dataSource, ILogger<FacetIndex> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FacetSnapshot? _snapshot;
    private Task<bool>? _rankedText;
    private KeptResults _kept = new(-1);

    private const int ResultsKept = 64;

    /// <summary>Results kept for one change version of the trials.</summary>
    private sealed class KeptResults(long version)
    {
        public long Version { get; } = version;
        public KeptValues<object> Results { get; } = new(ResultsKept);
    }

    /// <summary>
    /// A search result kept until the trials change (the last 64 of them): the trials a phrase matches, the nearest
    /// matches of a ranked phrase. A common phrase matches a third of the registry; paging through its results, counting
    /// them and asking for it again read the database once per change. The version is read before the result, so a
    /// result is never kept under a version older than what it saw; a change committed since makes the next request
    /// read again. <paramref name="version"/> is <see cref="ChangeVersionAsync"/> as the request read it.
    /// </summary>
    public async Task<T> KeptAsync<T>(long version, string key, Func<Task<T>> read)
        where T : class
    {
        var kept = _kept;
        if (kept.Version != version)
        {
            kept = new KeptResults(version);
            _kept = kept;
        }

        if (kept.Results.TryGet(key, out var known) && known is T result)
        {
            return result;
        }

        result = await read();
        kept.Results.Keep(key, result);
        return result;
    }

    /// <summary>
    /// Whether the database has the RankedFullText migration's RUM index and distance function (read once: installing
    /// RUM later takes a restart after the index is built).
    /// </summary>
    public Task<bool> RankedTextAsync() => _rankedText ??= ReadRankedTextAsync();

    private async Task<bool> ReadRankedTextAsync()
    {
        await using var command = dataSource.CreateCommand(
            "SELECT to_regclass('public.ix_trials_search_rum') IS NOT NULL AND to_regprocedure('public.text_distance(tsvector, tsquery)') IS NOT NULL");
        var ranked = (bool)(await command.ExecuteScalarAsync())!;
        if (!ranked)
        {
            logger.LogWarning(
                "Full text is ranked without an index: the RUM extension or its index is missing, so a common phrase ranks every match. " +
                "Install postgresql-15-rum on the database server, create the extension and apply the RankedFullText migration again.");
        }

        return ranked;
    }

    /// <summary>The trials' change version now: one row a deferred trigger increments once per writing transaction.</summary>
    public Task<long> ChangeVersionAsync(CancellationToken cancellationToken) => FacetSnapshot.VersionAsync(dataSource, cancellationToken);

    /// <summary>
    /// A snapshot at least as new as <paramref name="version"/> (<see cref="ChangeVersionAsync"/> as the request read
    /// it, so every change committed before the request), built when there is none.
    /// </summary>
    internal async Task<FacetSnapshot> SnapshotAsync(long version, CancellationToken cancellationToken)
    {
        var current = _snapshot;
        if (current is not null && current.Version >= version)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            current = _snapshot;
            if (current is null || current.Version < version)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var updated = current is null ? null : await current.UpdateAsync(dataSource, cancellationToken);
                if (updated is not null)
                {
                    logger.LogInformation("Facet index updated with {Changed} changed trials at change {Version} in {Milliseconds} ms", updated.Value.Changed, updated.Value.Snapshot.Version, watch.ElapsedMilliseconds);
                    current = updated.Value.Snapshot;
                }
                else
                {
                    current = await FacetSnapshot.LoadAsync(dataSource, cancellationToken);
                    logger.LogInformation("Facet index built over {Trials} trials at change {Version} in {Milliseconds} ms", current.Size, current.Version, watch.ElapsedMilliseconds);
                }

                _snapshot = current;
                await PruneChangeLogAsync(cancellationToken);
            }

            return current;
        }
        finally
        {
            _gate.Release();
        }
    }

    private DateTimeOffset _pruned = DateTimeOffset.MinValue;

    /// <summary>
    /// Drops the change log's rows older than <see cref="FacetSnapshot.ChangeLogDays"/> (at most once an hour; a
    /// snapshot older than that is read anew rather than updated). A read-only replica leaves it to the primary.
    /// </summary>
    private async Task PruneChangeLogAsync(CancellationToken cancellationToken)
    {
        if (DateTimeOffset.UtcNow - _pruned < TimeSpan.FromHours(1))
        {
            return;
        }

        _pruned = DateTimeOffset.UtcNow;
        try
        {
            await using var command = dataSource.CreateCommand(
                $"DELETE FROM trial_changes WHERE at < now() - interval '{FacetSnapshot.ChangeLogDays} days' AND xid < pg_snapshot_xmin(pg_current_snapshot())");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction)
        {
            logger.LogDebug("The change log is pruned on the primary, not on this replica");
        }
    }

    public void Dispose() => _gate.Dispose();
}

/// <summary>
/// The searchable values of every trial that is not withdrawn, by position (trial ids in ascending order; a trial
/// withdrawn or deleted since the snapshot was first read keeps its position, out of <c>_live</c>). A snapshot is
/// never changed once published: an update copies what it changes (the bit sets of the values it touches, the
/// per-trial arrays) and shares the rest.
/// </summary>
internal sealed class FacetSnapshot
{
    private const int ConditionFacetSize = 30;

    /// <summary>How long the change log keeps its rows; an older snapshot is read anew.</summary>
    public const int ChangeLogDays = 1;

    /// <summary>An update of more trials than this (a bulk load, say) reads a new snapshot instead.</summary>
    private const int MostChangedTrials = 20_000;

    private long[] _ids = [];
    private TrialBits _live = new(0);
    private Dictionary<int, (string Symbol, TrialBits Trials)> _antigens = [];
    /// <summary>Each vocabulary filter's values (<see cref="SearchFilters.Choices"/>, in that order) with their trials.</summary>
    private Dictionary<string, TrialBits>[] _choices = [.. SearchFilters.Choices.Select(_ => new Dictionary<string, TrialBits>(StringComparer.Ordinal))];
    private Dictionary<string, TrialBits> _concepts = new(StringComparer.Ordinal);
    private Dictionary<string, TrialBits> _countries = new(StringComparer.Ordinal);
    private (string Name, int[] Trials)[] _conditions = [];
    private int[] _doseStart = [0];
    private string[] _doseUnit = [];
    private double[] _doseValue = [];
    private bool[] _hasEligibility = [];
    private string?[] _sex = [];
    /// <summary>The dates searches sort by (ISO text, as stored), by position.</summary>
    private string?[] _lastUpdated = [];
    private string?[] _startDate = [];
    private int?[] _minAge = [];
    private int?[] _maxAge = [];
    private SiteIndex _sites = SiteIndex.Empty();

    /// <summary>The bit sets this snapshot made or copied while it was built; the others are shared with the one before.</summary>
    private HashSet<TrialBits>? _owned;

    /// <summary>The trials' change version the snapshot shows.</summary>
    public long Version { get; private set; }

    /// <summary>The database snapshot (<c>pg_snapshot</c>) the values were read in: what it did not see is the next update's.</summary>
    private string _seen = string.Empty;

    private DateTimeOffset _firstRead;

    public int Size => _ids.Length;

    private int Position(long trialId) => Array.BinarySearch(_ids, trialId);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<string>> _namesBeyondConcepts = new(StringComparer.Ordinal);

    /// <summary>
    /// The condition names that contain one of the filter's terms but whose own concepts (with their broader ones, as
    /// every trial's concept array has them) include none of the filter's: the only names whose trials the concept
    /// array does not find already. Worked out once per snapshot and filter.
    /// </summary>
    public IReadOnlyList<string> NamesBeyondConcepts(ConditionFilter condition) =>
        _namesBeyondConcepts.GetOrAdd(string.Join('\n', condition.Terms.Select(t => t.ToUpperInvariant()).Order(StringComparer.Ordinal)), _ =>
        {
            var concepts = condition.Concepts.ToHashSet(StringComparer.Ordinal);
            return [.. _conditions.Select(c => c.Name).Where(n => condition.NameMatches(n) && !DiseaseConcepts.Of([n]).Any(concepts.Contains))];
        });

    private const string VersionSql = "SELECT version FROM trial_change_version";

    public static async Task<long> VersionAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(VersionSql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Reads the version and every searchable value in one repeatable-read transaction: all describe one moment.</summary>
    public static async Task<FacetSnapshot> LoadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var snapshot = new FacetSnapshot { _firstRead = DateTimeOffset.UtcNow, _owned = [] };
        (snapshot.Version, snapshot._seen) = await ReadMomentAsync(connection, cancellationToken);
        await snapshot.ReadTrialsAsync(connection, changed: null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        snapshot._owned = null;
        return snapshot;
    }

    /// <summary>
    /// This snapshot with the trials changed since it was read (the <c>trial_changes</c> log a trigger on <c>trials</c>
    /// writes, the transactions this snapshot did not see), read again in one repeatable-read transaction; null when a
    /// new snapshot is the better read: too many changes, a trial id below the last one, or a log pruned since.
    /// </summary>
    public async Task<(FacetSnapshot Snapshot, int Changed)?> UpdateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (DateTimeOffset.UtcNow - _firstRead > TimeSpan.FromDays(ChangeLogDays) - TimeSpan.FromHours(4))
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var (version, seen) = await ReadMomentAsync(connection, cancellationToken);
        var changed = new List<long>();
        await using (var command = new NpgsqlCommand("""
            SELECT DISTINCT trial_id FROM trial_changes
            WHERE xid >= pg_snapshot_xmin(@seen::pg_snapshot) AND NOT pg_visible_in_snapshot(xid, @seen::pg_snapshot)
            LIMIT @limit
            """, connection))
        {
            command.Parameters.AddWithValue("seen", _seen);
            command.Parameters.AddWithValue("limit", MostChangedTrials + 1);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                changed.Add(reader.GetInt64(0));
            }
        }

        if (changed.Count > MostChangedTrials)
        {
            return null;
        }

        var next = CopyForUpdate();
        next.Version = version;
        next._seen = seen;
        if (!await next.ReadTrialsAsync(connection, [.. changed.Order()], cancellationToken))
        {
            return null;
        }

        // The date orders this snapshot has sorted carry over: the next re-places only the trials read again.
        next._carriedOrders = new CarriedOrders((int[]?[])_dateOrders.Clone(), next._replaced, Size);

        await transaction.CommitAsync(cancellationToken);
        next._owned = null;
        return (next, changed.Count);
    }

    private static async Task<(long Version, string Seen)> ReadMomentAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version, pg_current_snapshot()::text FROM trial_change_version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetString(1));
    }

    /// <summary>A copy that shares every bit set and array with this one until it changes them.</summary>
    private FacetSnapshot CopyForUpdate() => new()
    {
        _ids = _ids,
        _live = _live,
        _antigens = new(_antigens),
        _choices = [.. _choices.Select(c => new Dictionary<string, TrialBits>(c, StringComparer.Ordinal))],
        _concepts = new(_concepts, StringComparer.Ordinal),
        _countries = new(_countries, StringComparer.Ordinal),
        _conditions = _conditions,
        _doseStart = _doseStart,
        _doseUnit = _doseUnit,
        _doseValue = _doseValue,
        _hasEligibility = _hasEligibility,
        _sex = _sex,
        _lastUpdated = _lastUpdated,
        _startDate = _startDate,
        _minAge = _minAge,
        _maxAge = _maxAge,
        _sites = _sites,
        _firstRead = _firstRead,
        _owned = [],
    };

    /// <summary>A bit set this snapshot may change: the shared one copied (to the snapshot's size) the first time.</summary>
    private TrialBits Own(TrialBits bits)
    {
        if (_owned!.Contains(bits))
        {
            return bits;
        }

        var copy = bits.Copy(Size);
        _owned.Add(copy);
        return copy;
    }

    private TrialBits NewBits()
    {
        var bits = new TrialBits(Size);
        _owned!.Add(bits);
        return bits;
    }

    /// <summary>
    /// Reads the values of the changed trials (all trials when null) into this snapshot: their old values are cleared,
    /// trials new to it are appended, withdrawn and deleted ones leave <c>_live</c>. False when a new trial's id is
    /// below the last one (positions are in id order), which only a new snapshot can place.
    /// </summary>
    private async Task<bool> ReadTrialsAsync(NpgsqlConnection connection, long[]? changed, CancellationToken cancellationToken)
    {
        // The condition that keeps a query to the changed trials (none when reading all): after WHERE, or after AND.
        string Only(string column, string keyword = "WHERE") => changed is null ? string.Empty : $" {keyword} {column} = ANY(@ids)";

        var rows = new List<(long Id, bool Withdrawn, string[] Concepts, string? LastUpdated, string? StartDate, string[][] Choices)>();
        // All trials: the live ones. Changed trials: withdrawn ones too, which leave the live set. Dates are few distinct values: interned.
        const int firstChoice = 5;
        await ReadAsync(connection, "SELECT id, withdrawn, coalesce(condition_concepts, '{}'), last_updated, start_date, "
            + string.Join(", ", SearchFilters.Choices.Select(f => f.ValuesSql)) + " FROM trials"
            + (changed is null ? " WHERE NOT withdrawn" : Only("id")) + " ORDER BY id", changed, r =>
            rows.Add((r.GetInt64(0), r.GetBoolean(1), r.GetFieldValue<string[]>(2),
                r.IsDBNull(3) ? null : string.Intern(r.GetString(3)), r.IsDBNull(4) ? null : string.Intern(r.GetString(4)),
                [.. _choices.Select((_, c) => r.GetFieldValue<string[]>(firstChoice + c))])),
            cancellationToken);

        // Positions: the changed trials already here are cleared; new ones go after the last.
        var cleared = new HashSet<int>();
        foreach (var id in changed ?? [])
        {
            if (Position(id) is var position and >= 0)
            {
                cleared.Add(position);
            }
        }

        var added = rows.Where(r => !r.Withdrawn && Position(r.Id) < 0).Select(r => r.Id).ToList();
        if (added.Count > 0 && _ids.Length > 0 && added[0] < _ids[^1])
        {
            return false;
        }

        var oldSize = Size;
        if (added.Count > 0)
        {
            _ids = [.. _ids, .. added];
        }

        _live = changed is null ? TrialBits.All(Size) : _live.Copy(Size);
        _owned!.Add(_live);
        foreach (var position in cleared)
        {
            _live.Clear(position);
        }

        ClearValues(cleared);
        _replaced = changed is null ? [] : [.. cleared, .. Enumerable.Range(oldSize, Size - oldSize)];
        if (oldSize != Size || cleared.Count > 0)
        {
            _hasEligibility = Resized(_hasEligibility);
            _sex = Resized(_sex);
            _lastUpdated = Resized(_lastUpdated);
            _startDate = Resized(_startDate);
            _minAge = Resized(_minAge);
            _maxAge = Resized(_maxAge);
            foreach (var position in cleared)
            {
                (_hasEligibility[position], _sex[position], _minAge[position], _maxAge[position]) = (false, null, null, null);
                (_lastUpdated[position], _startDate[position]) = (null, null);
            }
        }

        var live = new HashSet<long>();
        foreach (var row in rows.Where(r => !r.Withdrawn))
        {
            var i = Position(row.Id);
            live.Add(row.Id);
            _live.Set(i);
            (_lastUpdated[i], _startDate[i]) = (row.LastUpdated, row.StartDate);
            for (var c = 0; c < _choices.Length; c++)
            {
                foreach (var value in row.Choices[c])
                {
                    Add(_choices[c], value, i);
                }
            }

            foreach (var concept in row.Concepts)
            {
                Add(_concepts, concept, i);
            }
        }

        // The rows of the trials read above; for an update, only the changed trials' rows, of those still live.
        int LivePosition(long trialId) => (changed is null || live.Contains(trialId)) && Position(trialId) is var p and >= 0 && _live.Get(p) ? p : -1;

        await ReadAsync(connection, "SELECT x.trial_id, a.id, a.symbol FROM trial_target_antigens x JOIN target_antigens a ON a.id = x.target_antigen_id" + Only("x.trial_id"), changed, r =>
        {
            if (LivePosition(r.GetInt64(0)) is var position and >= 0)
            {
                var id = r.GetInt32(1);
                var trials = _antigens.TryGetValue(id, out var antigen) ? Own(antigen.Trials) : NewBits();
                _antigens[id] = (r.GetString(2), trials);
                trials.Set(position);
            }
        }, cancellationToken);

        // Sites: their countries are a facet; cities, regions and coordinates go to the site index.
        var sites = new Dictionary<int, List<SiteRow>>();
        await ReadAsync(connection, "SELECT trial_id, city, state, country, postal_code, latitude, longitude FROM locations" + Only("trial_id"), changed, r =>
        {
            if (LivePosition(r.GetInt64(0)) is var position and >= 0)
            {
                string? Text(int column) => r.IsDBNull(column) ? null : r.GetString(column);
                var row = new SiteRow(Text(1), Text(2), Text(3), Text(4), r.IsDBNull(5) ? null : r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6));
                if (row.Country is { } country)
                {
                    Add(_countries, country, position);
                }

                if (row.City is not null || row.Region is not null || row.PostalCode is not null || row.Latitude is not null)
                {
                    if (!sites.TryGetValue(position, out var list))
                    {
                        sites[position] = list = [];
                    }

                    list.Add(row);
                }
            }
        }, cancellationToken);
        _sites = _sites.With(Size, oldSize, cleared, sites);

        // Conditions: a name's trials are copied only when it loses or gains one; the others are shared.
        var gained = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        await ReadAsync(connection, "SELECT trial_id, name FROM conditions" + Only("trial_id"), changed, r =>
        {
            if (LivePosition(r.GetInt64(0)) is var position and >= 0)
            {
                var name = r.GetString(1);
                if (!gained.TryGetValue(name, out var trials))
                {
                    gained[name] = trials = [];
                }

                trials.Add(position);
            }
        }, cancellationToken);
        var conditions = new List<(string Name, int[] Trials)>(_conditions.Length + gained.Count);
        foreach (var (name, trials) in _conditions)
        {
            var kept = cleared.Count > 0 && trials.Any(cleared.Contains) ? trials.Where(t => !cleared.Contains(t)).ToArray() : trials;
            if (gained.Remove(name, out var more))
            {
                kept = [.. kept.Concat(more).Distinct().Order()];
            }

            if (kept.Length > 0)
            {
                conditions.Add((name, kept));
            }
        }

        conditions.AddRange(gained.Select(c => (c.Key, c.Value.Distinct().Order().ToArray())));
        _conditions = [.. conditions];

        // Doses: the unchanged trials' as they were, the changed trials' as read now.
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        var newDoses = new Dictionary<int, List<(string Unit, double Value)>>();
        await ReadAsync(connection, "SELECT trial_id, unit, value FROM dose_levels" + Only("trial_id"), changed, r =>
        {
            if (LivePosition(r.GetInt64(0)) is var position and >= 0)
            {
                var unit = r.GetString(1);
                if (!newDoses.TryGetValue(position, out var list))
                {
                    newDoses[position] = list = [];
                }

                list.Add((units.TryGetValue(unit, out var known) ? known : units[unit] = unit, r.GetDouble(2)));
            }
        }, cancellationToken);
        SetDoses(oldSize, cleared, newDoses);

        await ReadAsync(connection, "SELECT trial_id, sex, min_age_years, max_age_years FROM eligibilities" + Only("trial_id"), changed, r =>
        {
            if (LivePosition(r.GetInt64(0)) is var position and >= 0)
            {
                _hasEligibility[position] = true;
                _sex[position] = r.IsDBNull(1) ? null : string.Intern(r.GetString(1));
                _minAge[position] = r.IsDBNull(2) ? null : r.GetInt32(2);
                _maxAge[position] = r.IsDBNull(3) ? null : r.GetInt32(3);
            }
        }, cancellationToken);

        return true;
    }

    /// <summary>A copy of a per-trial array at the snapshot's size.</summary>
    private T[] Resized<T>(T[] values)
    {
        var copy = new T[Size];
        Array.Copy(values, copy, Math.Min(values.Length, Size));
        return copy;
    }

    /// <summary>Takes the positions out of every value's bit set (copying the sets that hold one of them).</summary>
    private void ClearValues(HashSet<int> positions)
    {
        if (positions.Count == 0)
        {
            return;
        }

        // The set itself when it holds none of the positions, else a copy of it without them.
        TrialBits Without(TrialBits bits)
        {
            if (!positions.Any(bits.Get))
            {
                return bits;
            }

            var owned = Own(bits);
            foreach (var position in positions)
            {
                owned.Clear(position);
            }

            return owned;
        }

        foreach (var facet in _choices.Append(_concepts).Append(_countries))
        {
            foreach (var (value, bits) in facet.ToList())
            {
                facet[value] = Without(bits);
            }
        }

        foreach (var (id, (symbol, bits)) in _antigens.ToList())
        {
            _antigens[id] = (symbol, Without(bits));
        }
    }

    private static async Task ReadAsync(NpgsqlConnection connection, string sql, long[]? ids, Action<NpgsqlDataReader> row, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (ids is not null)
        {
            command.Parameters.AddWithValue("ids", ids);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }

    private void Add(Dictionary<string, TrialBits> facet, string value, int position)
    {
        var bits = facet.TryGetValue(value, out var known) ? Own(known) : NewBits();
        facet[value] = bits;
        bits.Set(position);
    }

    /// <summary>
    /// Dose levels grouped by trial position: trial i's doses are [start[i], start[i+1]). The first
    /// <paramref name="oldSize"/> positions keep their doses unless cleared; <paramref name="changed"/> gives the rest.
    /// </summary>
    private void SetDoses(int oldSize, HashSet<int> cleared, Dictionary<int, List<(string Unit, double Value)>> changed)
    {
        var start = new int[Size + 1];
        for (var i = 0; i < Size; i++)
        {
            var count = changed.TryGetValue(i, out var list) ? list.Count
                : i < oldSize && !cleared.Contains(i) ? _doseStart[i + 1] - _doseStart[i]
                : 0;
            start[i + 1] = start[i] + count;
        }

        var units = new string[start[Size]];
        var values = new double[start[Size]];
        for (var i = 0; i < Size; i++)
        {
            if (changed.TryGetValue(i, out var list))
            {
                for (var d = 0; d < list.Count; d++)
                {
                    (units[start[i] + d], values[start[i] + d]) = list[d];
                }
            }
            else if (i < oldSize && !cleared.Contains(i))
            {
                var length = _doseStart[i + 1] - _doseStart[i];
                Array.Copy(_doseUnit, _doseStart[i], units, start[i], length);
                Array.Copy(_doseValue, _doseStart[i], values, start[i], length);
            }
        }

        (_doseStart, _doseUnit, _doseValue) = (start, units, values);
    }

    // The facets beside the vocabulary filters' (which go by their parameters).
    private const string AntigenFacet = "antigen";
    private const string ConditionFacet = "condition";
    private const string CountryFacet = "country";

    /// <summary>
    /// The number of trials the query finds and, when asked, its facets: each facet counts the trials that pass
    /// every filter but its own. The filters mean what <see cref="TrialSearch"/>'s SQL means; full text is the one
    /// the index cannot evaluate, so the caller passes the ids that match it.
    /// </summary>
    public (int Total, TrialFacets? Facets) Count(TrialQuery query, IReadOnlyList<int>? antigenIds, IReadOnlyCollection<long>? textMatches, bool facets)
    {
        var (common, filters) = Filters(query, antigenIds, textMatches);

        TrialBits Passing(string? except)
        {
            var bits = common.Clone();
            foreach (var (facet, filter) in filters)
            {
                if (facet != except)
                {
                    bits.IntersectWith(filter);
                }
            }

            return bits;
        }

        var total = Passing(null).Count();
        if (!facets)
        {
            return (total, null);
        }

        static List<FacetValue> Counted(IEnumerable<(string Value, TrialBits Trials)> values, TrialBits passing) =>
            Ordered(values.Select(v => new FacetValue(v.Value, passing.CountShared(v.Trials))));

        // Conditions are counted as concepts, by their preferred names: the filter reads a name back as its concept.
        var conditions = Counted(_concepts.Select(c => (DiseaseConcepts.Name(c.Key), c.Value)), Passing(ConditionFacet)).Take(ConditionFacetSize).ToList();
        var choices = SearchFilters.Choices.Select((f, c) => (f.Parameter, Counted(_choices[c].Select(v => (v.Key, v.Value)), Passing(f.Parameter))))
            .ToDictionary(c => c.Parameter, c => (IReadOnlyList<FacetValue>)c.Item2, StringComparer.Ordinal);
        return (total, TrialFacets.Of(Counted(_antigens.Values, Passing(AntigenFacet)), conditions, Counted(_countries.Select(c => (c.Key, c.Value)), Passing(CountryFacet)), choices));
    }

    /// <summary>The trials every filter of the query passes, as trial ids (full text and place as the caller's ids).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<long> Matching(TrialQuery query, IReadOnlyList<int>? antigenIds, IReadOnlyCollection<long>? restrictTo)
    {
        var bits = PassingAll(query, antigenIds, restrictTo);
        var ids = new List<long>();
        for (var i = 0; i < Size; i++)
        {
            if (bits.Get(i))
            {
                ids.Add(_ids[i]);
            }
        }

        return ids;
    }

    /// <summary>
    /// One page of the trials every filter passes, in date order (last updated, or with <paramref name="startDate"/>
    /// the start date; newest first unless <paramref name="ascending"/>, ties by trial id, undated trials last), after
    /// the cursor's (date, id): each trial's date as the page key ("" newest first, "9999" oldest first when undated,
    /// as the SQL order writes them). The trials are walked in the snapshot's date order until the page is full, so a
    /// page costs the filters' bit sets and a walk, never a sort of the matches or a scan of the date index in SQL for
    /// a rare combination.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public List<(long Id, string Key)> DatePage(
        TrialQuery query, IReadOnlyList<int>? antigenIds, IReadOnlyCollection<long>? restrictTo, bool startDate, bool ascending, (string Key, long Id)? after, int take)
    {
        var bits = PassingAll(query, antigenIds, restrictTo);
        var dates = startDate ? _startDate : _lastUpdated;
        var undated = UndatedKey(ascending);
        var order = DateOrder(startDate, ascending);
        var from = 0;
        if (after is { } cursor)
        {
            // The first position past the cursor in the order (binary search: the order is sorted by (key, id)).
            var (low, high) = (0, order.Length);
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                var position = order[middle];
                var compared = CompareDates(dates[position] ?? undated, cursor.Key, ascending);
                var past = compared > 0 || (compared == 0 && _ids[position] > cursor.Id);
                (low, high) = past ? (low, middle) : (middle + 1, high);
            }

            from = low;
        }

        var page = new List<(long Id, string Key)>(take);
        for (var i = from; i < order.Length && page.Count < take; i++)
        {
            if (bits.Get(order[i]))
            {
                page.Add((_ids[order[i]], dates[order[i]] ?? undated));
            }
        }

        return page;
    }

    /// <summary>
    /// The key an undated trial pages under: last either way, as the SQL order writes it ("" newest first, "9999"
    /// oldest first).
    /// </summary>
    internal static string UndatedKey(bool ascending) => ascending ? "9999" : string.Empty;

    /// <summary>Two date keys in page order: oldest first when <paramref name="ascending"/>, else newest first.</summary>
    private static int CompareDates(string a, string b, bool ascending) => ascending ? string.CompareOrdinal(a, b) : string.CompareOrdinal(b, a);

    /// <summary>The trials every filter of the query passes (full text and place as the caller's ids), as bits by position.</summary>
    private TrialBits PassingAll(TrialQuery query, IReadOnlyList<int>? antigenIds, IReadOnlyCollection<long>? restrictTo)
    {
        var (bits, filters) = Filters(query, antigenIds, restrictTo);
        foreach (var filter in filters.Values)
        {
            bits.IntersectWith(filter);
        }

        return bits;
    }

    private readonly int[]?[] _dateOrders = new int[4][];

    /// <summary>The positions an update read again: changed trials already here and trials new to the snapshot.</summary>
    private int[] _replaced = [];

    /// <summary>The date orders of the snapshot this one updates, and what the update read again (see <see cref="DateOrder"/>).</summary>
    private sealed record CarriedOrders(int[]?[] Orders, int[] Replaced, int OldSize);

    private CarriedOrders? _carriedOrders;

    /// <summary>
    /// The snapshot's positions in one date order, sorted once per snapshot (when first asked for): by the date's rank
    /// among the distinct dates (few thousand), newest or oldest first with undated last, then by trial id.
    /// </summary>
    private int[] DateOrder(bool startDate, bool ascending)
    {
        var slot = (startDate ? 2 : 0) + (ascending ? 1 : 0);
        if (Volatile.Read(ref _dateOrders[slot]) is { } known)
        {
            return known;
        }

        var dates = startDate ? _startDate : _lastUpdated;
        if (_carriedOrders is { } carried && carried.Orders[slot] is { } previous && previous.Length == carried.OldSize)
        {
            var carriedOrder = Replace(previous, carried.Replaced, dates, ascending);
            Volatile.Write(ref _dateOrders[slot], carriedOrder);
            // The previous snapshot's order is not needed again: let it go with that snapshot.
            carried.Orders[slot] = null;
            return carriedOrder;
        }

        var distinct = dates.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var rank = new Dictionary<string, int>(distinct.Length, StringComparer.Ordinal);
        for (var i = 0; i < distinct.Length; i++)
        {
            // Undated last either way: after the oldest when ascending, after the newest's reverse when descending.
            rank[distinct[i]] = ascending ? i : distinct.Length - 1 - i;
        }

        var keys = new long[Size];
        var order = new int[Size];
        for (var position = 0; position < Size; position++)
        {
            var key = dates[position] is { } date ? rank[date] : distinct.Length;
            // Positions are in id order, so the position breaks ties by id.
            keys[position] = ((long)key << 32) | (uint)position;
            order[position] = position;
        }

        Array.Sort(keys, order);
        Volatile.Write(ref _dateOrders[slot], order);
        return order;
    }

    /// <summary>
    /// The previous snapshot's date order with the positions read again taken out and put back where their dates now
    /// place them: a merge of two sorted runs, linear in the registry's size (a full sort takes 0.2 s at 500,000).
    /// The order is the same as the full sort's: the date (undated last), then the position (the trial id).
    /// </summary>
    private static int[] Replace(int[] previous, int[] replaced, string?[] dates, bool ascending)
    {
        var undated = UndatedKey(ascending);
        int Compare(int a, int b)
        {
            var order = CompareDates(dates[a] ?? undated, dates[b] ?? undated, ascending);
            return order != 0 ? order : a.CompareTo(b);
        }

        var moved = replaced.Distinct().ToArray();
        Array.Sort(moved, Compare);
        var removed = new HashSet<int>(moved);
        var order = new int[previous.Length - previous.Count(removed.Contains) + moved.Length];
        var (i, j, k) = (0, 0, 0);
        while (i < previous.Length || j < moved.Length)
        {
            if (i < previous.Length && removed.Contains(previous[i]))
            {
                i++;
            }
            else if (j >= moved.Length || (i < previous.Length && Compare(previous[i], moved[j]) < 0))
            {
                order[k++] = previous[i++];
            }
            else
            {
                order[k++] = moved[j++];
            }
        }

        return order;
    }

    /// <summary>The trials with a site in one of the cities (or, with <paramref name="region"/>, regions), any case.</summary>
    public HashSet<long> NamedIn(IReadOnlyCollection<string> names, bool region) =>
        [.. _sites.NamedIn(names, region).Where(_live.Get).Select(i => _ids[i])];

    /// <summary>The trials with a geocoded site within <paramref name="km"/> of the place, each with its nearest such site's distance.</summary>
    public Dictionary<long, double> Within(Place place, double km) =>
        _sites.Within(place, km).Where(x => _live.Get(x.Key)).ToDictionary(x => _ids[x.Key], x => x.Value);

    /// <summary>Where the trials' geocoded sites put a city (see <see cref="SiteIndex.FindCity"/>).</summary>
    public Place? FindCity(string city, IReadOnlyList<string> qualifiers) => _sites.FindCity(city, qualifiers);

    /// <summary>Where the trials' geocoded sites put a postal code (see <see cref="SiteIndex.FindPostalCode"/>).</summary>
    public Place? FindPostalCode(string code) => _sites.FindPostalCode(code);

    /// <summary>What every facet shares (the live trials the dose, sex, age and id restrictions allow) and each filter's own trials.</summary>
    private (TrialBits Common, Dictionary<string, TrialBits> Filters) Filters(TrialQuery query, IReadOnlyList<int>? antigenIds, IReadOnlyCollection<long>? textMatches)
    {
        var common = _live.Copy(Size);
        if (DoseFilter(query) is { } dose)
        {
            common.IntersectWith(Kept(FormattableString.Invariant($"dose {query.DoseMin} {query.DoseMax} {query.DoseUnit}"), () => Where(dose)));
        }

        if (query.Sex is { } sex)
        {
            common.IntersectWith(Kept("sex " + sex, () => Where(i => !_hasEligibility[i] || _sex[i] is null || _sex[i] == "ALL" || _sex[i] == sex)));
        }

        if (query.Age is { } age)
        {
            common.IntersectWith(Kept(FormattableString.Invariant($"age {age}"), () =>
                Where(i => !_hasEligibility[i] || ((_minAge[i] is not { } min || min <= age) && (_maxAge[i] is not { } max || max >= age)))));
        }

        if (textMatches is not null)
        {
            var text = new TrialBits(Size);
            foreach (var id in textMatches)
            {
                if (Position(id) is var position and >= 0)
                {
                    text.Set(position);
                }
            }

            common.IntersectWith(text);
        }

        var filters = new Dictionary<string, TrialBits>(StringComparer.Ordinal);
        if (antigenIds is not null)
        {
            filters[AntigenFacet] = Union(antigenIds.Where(_antigens.ContainsKey).Select(id => _antigens[id].Trials));
        }

        for (var c = 0; c < _choices.Length; c++)
        {
            if (query.Chosen(SearchFilters.Choices[c]) is { Count: > 0 } chosen)
            {
                var values = _choices[c];
                filters[SearchFilters.Choices[c].Parameter] = Union(chosen.Where(values.ContainsKey).Select(v => values[v]));
            }
        }

        if (ConditionFilter.Of(query.Conditions) is { } condition)
        {
            var matching = Union(condition.Concepts.Where(_concepts.ContainsKey).Select(c => _concepts[c]));
            foreach (var (name, trials) in _conditions)
            {
                if (condition.NameMatches(name))
                {
                    foreach (var position in trials)
                    {
                        matching.Set(position);
                    }
                }
            }

            filters[ConditionFacet] = matching;
        }

        if (query.Countries.Count > 0)
        {
            var wanted = query.Countries.Select(c => c.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            filters[CountryFacet] = Union(_countries.Where(c => wanted.Contains(c.Key.ToLowerInvariant())).Select(c => c.Value));
        }

        return (common, filters);
    }

    /// <summary>Values that count at least one trial, the most frequent first, ties in ordinal order.</summary>
    private static List<FacetValue> Ordered(IEnumerable<FacetValue> values) =>
        values.Where(v => v.Count > 0).OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).ToList();

    private Func<int, bool>? DoseFilter(TrialQuery query)
    {
        if (query.DoseMin is null && query.DoseMax is null && query.DoseUnit is null)
        {
            return null;
        }

        var ranged = query.DoseMin is not null || query.DoseMax is not null;
        var min = query.DoseMin ?? 0;
        var max = query.DoseMax ?? double.MaxValue;
        var unit = query.DoseUnit;
        return i =>
        {
            for (var d = _doseStart[i]; d < _doseStart[i + 1]; d++)
            {
                if ((unit is null || _doseUnit[d] == unit) && (!ranged || (_doseValue[d] >= min && _doseValue[d] <= max)))
                {
                    return true;
                }
            }

            return false;
        };
    }

    private readonly KeptValues<TrialBits> _kept = new(256);

    /// <summary>
    /// The trials a per-trial restriction (dose range, sex, age) passes, worked out once per snapshot and restriction:
    /// each takes a look at every trial, where a value's bit set is ready. Up to 256 are kept, then the set starts again (read-only: callers
    /// intersect with them, never change them).
    /// </summary>
    private TrialBits Kept(string key, Func<TrialBits> make) => _kept.TryGet(key, out var bits) ? bits : _kept.Keep(key, make());

    private TrialBits Where(Func<int, bool> predicate)
    {
        var bits = new TrialBits(Size);
        for (var i = 0; i < Size; i++)
        {
            if (predicate(i))
            {
                bits.Set(i);
            }
        }

        return bits;
    }

    private TrialBits Union(IEnumerable<TrialBits> sets)
    {
        var bits = new TrialBits(Size);
        foreach (var set in sets)
        {
            bits.UnionWith(set);
        }

        return bits;
    }
}
