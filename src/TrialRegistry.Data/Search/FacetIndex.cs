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
        public System.Collections.Concurrent.ConcurrentDictionary<string, object> Results { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// A search result kept until the trials change (the last 64 of them): the trials a phrase matches, the nearest
    /// matches of a ranked phrase. A common phrase matches a third of the registry; paging through its results, counting
    /// them and asking for it again read the database once per change. The version is read before the result, so a
    /// result is never kept under a version older than what it saw; a change committed since makes the next request
    /// read again.
    /// </summary>
    public async Task<T> KeptAsync<T>(string key, Func<Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        var version = await FacetSnapshot.VersionAsync(dataSource, cancellationToken);
        var kept = _kept;
        if (kept.Version != version)
        {
            kept = new KeptResults(version);
            _kept = kept;
        }

        if (kept.Results.TryGetValue(key, out var known) && known is T result)
        {
            return result;
        }

        result = await read();
        if (kept.Results.Count >= ResultsKept)
        {
            kept.Results.Clear();
        }

        kept.Results[key] = result;
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

    /// <summary>A snapshot at least as new as every change committed before the call, built when there is none.</summary>
    internal async Task<FacetSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        var version = await FacetSnapshot.VersionAsync(dataSource, cancellationToken);
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
                current = await FacetSnapshot.LoadAsync(dataSource, cancellationToken);
                _snapshot = current;
                logger.LogInformation("Facet index built over {Trials} trials at change {Version} in {Milliseconds} ms", current.Size, current.Version, watch.ElapsedMilliseconds);
            }

            return current;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}

/// <summary>The searchable values of every trial that is not withdrawn, by position (trial ids in ascending order).</summary>
internal sealed class FacetSnapshot
{
    private const int ConditionFacetSize = 30;

    private readonly long[] _ids;
    private readonly Dictionary<int, (string Symbol, TrialBits Trials)> _antigens = [];
    private readonly Dictionary<string, TrialBits> _phases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrialBits> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrialBits> _routes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrialBits> _modalities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrialBits> _categories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrialBits> _concepts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrialBits> _productTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrialBits> _countries = new(StringComparer.Ordinal);
    private (string Name, int[] Trials)[] _conditions = [];
    private int[] _doseStart = [];
    private string[] _doseUnit = [];
    private double[] _doseValue = [];
    private readonly bool[] _hasEligibility;
    private readonly string?[] _sex;
    private readonly int?[] _minAge;
    private readonly int?[] _maxAge;

    private FacetSnapshot(long version, long[] ids)
    {
        Version = version;
        _ids = ids;
        _hasEligibility = new bool[ids.Length];
        _sex = new string?[ids.Length];
        _minAge = new int?[ids.Length];
        _maxAge = new int?[ids.Length];
    }

    /// <summary>The trials' change version the snapshot shows.</summary>
    public long Version { get; }

    public int Size => _ids.Length;

    private int Position(long trialId) => Array.BinarySearch(_ids, trialId);

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
        long version;
        await using (var command = new NpgsqlCommand(VersionSql, connection))
        {
            version = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        var ids = new List<long>();
        var values = new List<(string? Status, string[] Phases, string[] Routes, string? Modality, string? ProductType, string[] Categories, string[] Concepts)>();
        await ReadAsync(connection, "SELECT id, status, phases, routes, modality, product_type, coalesce(disease_categories, '{}'), coalesce(condition_concepts, '{}') FROM trials WHERE NOT withdrawn ORDER BY id", r =>
        {
            ids.Add(r.GetInt64(0));
            values.Add((r.IsDBNull(1) ? null : r.GetString(1), r.GetFieldValue<string[]>(2), r.GetFieldValue<string[]>(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetFieldValue<string[]>(6), r.GetFieldValue<string[]>(7)));
        }, cancellationToken);

        var snapshot = new FacetSnapshot(version, [.. ids]);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Status is { } status)
            {
                snapshot.Add(snapshot._statuses, status, i);
            }

            if (values[i].Modality is { } modality)
            {
                snapshot.Add(snapshot._modalities, modality, i);
            }

            if (values[i].ProductType is { } productType)
            {
                snapshot.Add(snapshot._productTypes, productType, i);
            }

            foreach (var phase in values[i].Phases)
            {
                snapshot.Add(snapshot._phases, phase, i);
            }

            foreach (var route in values[i].Routes)
            {
                snapshot.Add(snapshot._routes, route, i);
            }

            foreach (var category in values[i].Categories)
            {
                snapshot.Add(snapshot._categories, category, i);
            }

            foreach (var concept in values[i].Concepts)
            {
                snapshot.Add(snapshot._concepts, concept, i);
            }
        }

        await ReadAsync(connection, "SELECT x.trial_id, a.id, a.symbol FROM trial_target_antigens x JOIN target_antigens a ON a.id = x.target_antigen_id", r =>
        {
            if (snapshot.Position(r.GetInt64(0)) is var position and >= 0)
            {
                var id = r.GetInt32(1);
                if (!snapshot._antigens.TryGetValue(id, out var antigen))
                {
                    snapshot._antigens[id] = antigen = (r.GetString(2), new TrialBits(snapshot.Size));
                }

                antigen.Trials.Set(position);
            }
        }, cancellationToken);

        await ReadAsync(connection, "SELECT trial_id, country FROM locations WHERE country IS NOT NULL", r =>
        {
            if (snapshot.Position(r.GetInt64(0)) is var position and >= 0)
            {
                snapshot.Add(snapshot._countries, r.GetString(1), position);
            }
        }, cancellationToken);

        var conditions = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        await ReadAsync(connection, "SELECT trial_id, name FROM conditions", r =>
        {
            if (snapshot.Position(r.GetInt64(0)) is var position and >= 0)
            {
                var name = r.GetString(1);
                if (!conditions.TryGetValue(name, out var trials))
                {
                    conditions[name] = trials = [];
                }

                trials.Add(position);
            }
        }, cancellationToken);
        snapshot._conditions = [.. conditions.Select(c => (c.Key, c.Value.Distinct().Order().ToArray()))];

        var doses = new List<(int Position, string Unit, double Value)>();
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        await ReadAsync(connection, "SELECT trial_id, unit, value FROM dose_levels", r =>
        {
            if (snapshot.Position(r.GetInt64(0)) is var position and >= 0)
            {
                var unit = r.GetString(1);
                doses.Add((position, units.TryGetValue(unit, out var known) ? known : units[unit] = unit, r.GetDouble(2)));
            }
        }, cancellationToken);
        snapshot.SetDoses(doses);

        await ReadAsync(connection, "SELECT trial_id, sex, min_age_years, max_age_years FROM eligibilities", r =>
        {
            if (snapshot.Position(r.GetInt64(0)) is var position and >= 0)
            {
                snapshot._hasEligibility[position] = true;
                snapshot._sex[position] = r.IsDBNull(1) ? null : string.Intern(r.GetString(1));
                snapshot._minAge[position] = r.IsDBNull(2) ? null : r.GetInt32(2);
                snapshot._maxAge[position] = r.IsDBNull(3) ? null : r.GetInt32(3);
            }
        }, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return snapshot;
    }

    private static async Task ReadAsync(NpgsqlConnection connection, string sql, Action<NpgsqlDataReader> row, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }

    private void Add(Dictionary<string, TrialBits> facet, string value, int position)
    {
        if (!facet.TryGetValue(value, out var bits))
        {
            facet[value] = bits = new TrialBits(Size);
        }

        bits.Set(position);
    }

    /// <summary>Dose levels grouped by trial position (a counting sort): trial i's doses are [start[i], start[i+1]).</summary>
    private void SetDoses(List<(int Position, string Unit, double Value)> doses)
    {
        _doseStart = new int[Size + 1];
        foreach (var dose in doses)
        {
            _doseStart[dose.Position + 1]++;
        }

        for (var i = 0; i < Size; i++)
        {
            _doseStart[i + 1] += _doseStart[i];
        }

        _doseUnit = new string[doses.Count];
        _doseValue = new double[doses.Count];
        var next = (int[])_doseStart.Clone();
        foreach (var dose in doses)
        {
            var at = next[dose.Position]++;
            _doseUnit[at] = dose.Unit;
            _doseValue[at] = dose.Value;
        }
    }

    private enum Facet
    {
        Antigen,
        Phase,
        Status,
        Condition,
        Route,
        Country,
        Modality,
        Category,
        ProductType,
    }

    /// <summary>
    /// The number of trials the query finds and, when asked, its facets: each facet counts the trials that pass
    /// every filter but its own. The filters mean what <see cref="TrialSearch"/>'s SQL means; full text is the one
    /// the index cannot evaluate, so the caller passes the ids that match it.
    /// </summary>
    public (int Total, TrialFacets? Facets) Count(TrialQuery query, IReadOnlyList<int>? antigenIds, IReadOnlyCollection<long>? textMatches, bool facets)
    {
        var common = TrialBits.All(Size);
        if (DoseFilter(query) is { } dose)
        {
            common.IntersectWith(Where(dose));
        }

        if (query.Sex is { } sex)
        {
            common.IntersectWith(Where(i => !_hasEligibility[i] || _sex[i] is null || _sex[i] == "ALL" || _sex[i] == sex));
        }

        if (query.Age is { } age)
        {
            common.IntersectWith(Where(i => !_hasEligibility[i] || ((_minAge[i] is not { } min || min <= age) && (_maxAge[i] is not { } max || max >= age))));
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

        var filters = new Dictionary<Facet, TrialBits>();
        if (antigenIds is not null)
        {
            filters[Facet.Antigen] = Union(antigenIds.Where(_antigens.ContainsKey).Select(id => _antigens[id].Trials));
        }

        if (query.Phases.Count > 0)
        {
            filters[Facet.Phase] = Union(query.Phases.Where(_phases.ContainsKey).Select(p => _phases[p]));
        }

        if (query.Statuses.Count > 0)
        {
            filters[Facet.Status] = Union(query.Statuses.Where(_statuses.ContainsKey).Select(s => _statuses[s]));
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

            filters[Facet.Condition] = matching;
        }

        if (query.Routes.Count > 0)
        {
            filters[Facet.Route] = Union(query.Routes.Where(_routes.ContainsKey).Select(r => _routes[r]));
        }

        if (query.Categories.Count > 0)
        {
            filters[Facet.Category] = Union(query.Categories.Where(_categories.ContainsKey).Select(c => _categories[c]));
        }

        if (query.Modalities.Count > 0)
        {
            filters[Facet.Modality] = Union(query.Modalities.Where(_modalities.ContainsKey).Select(m => _modalities[m]));
        }

        if (query.ProductTypes.Count > 0)
        {
            filters[Facet.ProductType] = Union(query.ProductTypes.Where(_productTypes.ContainsKey).Select(m => _productTypes[m]));
        }

        if (query.Countries.Count > 0)
        {
            var wanted = query.Countries.Select(c => c.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            filters[Facet.Country] = Union(_countries.Where(c => wanted.Contains(c.Key.ToLowerInvariant())).Select(c => c.Value));
        }

        TrialBits Passing(Facet? except)
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
        var conditions = Counted(_concepts.Select(c => (DiseaseConcepts.Name(c.Key), c.Value)), Passing(Facet.Condition)).Take(ConditionFacetSize).ToList();
        return (total, new TrialFacets(
            Counted(_antigens.Values, Passing(Facet.Antigen)),
            Counted(_phases.Select(p => (p.Key, p.Value)), Passing(Facet.Phase)),
            Counted(_statuses.Select(s => (s.Key, s.Value)), Passing(Facet.Status)),
            conditions,
            Counted(_routes.Select(r => (r.Key, r.Value)), Passing(Facet.Route)),
            Counted(_countries.Select(c => (c.Key, c.Value)), Passing(Facet.Country)),
            Counted(_modalities.Select(m => (m.Key, m.Value)), Passing(Facet.Modality)),
            Counted(_productTypes.Select(m => (m.Key, m.Value)), Passing(Facet.ProductType)))
        {
            Category = Counted(_categories.Select(c => (c.Key, c.Value)), Passing(Facet.Category)),
        });
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
