using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Search;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Synthetic;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>
/// The registry the read-only facet tests count in: 400 generated trials and the seeds, loaded once for the class
/// (each test that changes trials loads its own).
/// </summary>
public sealed class FacetCorpus(PostgresServer server) : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = string.Empty;

    public FacetIndex Index { get; private set; } = null!;

    private NpgsqlDataSource _dataSource = null!;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await server.CreateDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
        await FacetIndexTests.LoadCorpusAsync(_dataSource);
        Index = new FacetIndex(_dataSource, NullLogger<FacetIndex>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        Index.Dispose();
        await _dataSource.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }
}

/// <summary>
/// Totals and facets come from the in-memory facet index; the trials themselves from SQL. Both must mean the same
/// filters, so every count is checked against the trials the SQL search returns.
/// </summary>
public sealed class FacetIndexTests(PostgresServer server, FacetCorpus corpus) : DatabaseTestBase(server), IClassFixture<FacetCorpus>
{
    /// <summary>The database searched: the class's shared corpus, or the test's own once it loads one.</summary>
    private string? _searched;

    public static TheoryData<string> Queries() =>
    [
        "", "antigen=CD19", "antigen=cd-19", "antigen=BCMA&phase=PHASE1", "antigen=NOSUCH", "phase=PHASE2&phase=PHASE3", "status=RECRUITING",
        "condition=lymphoma", "condition=LYMPH", "condition=100%25", "doseMin=1e6&doseMax=5e6", "doseMin=1e6&doseMax=5e6&doseUnit=CELLS_PER_KG",
        "doseUnit=CELLS", "doseMax=2e8", "sex=FEMALE", "age=8", "age=70&sex=MALE", "q=cytokine release syndrome", "q=glioblastoma&antigen=EGFRvIII",
        "route=INTRAVENOUS", "route=INTRATHECAL", "country=united states", "country=CHINA&status=RECRUITING",
        "antigen=CD19&condition=leukemia&phase=PHASE1&status=RECRUITING&route=INTRAVENOUS",
        "modality=CAR_T", "modality=CAR_NK&modality=NOT_CELL_THERAPY", "productType=ALLOGENEIC", "modality=CAR_T&productType=AUTOLOGOUS&antigen=CD19",
        "city=houston", "region=TEXAS&antigen=CD19", "near=Boston&distanceKm=400", "near=40.71,-74.01&distanceKm=300&sort=distance&phase=PHASE1",
        "near=02115&distanceKm=50&country=United States", "city=Boston&near=Philadelphia&distanceKm=600",
    ];

    /// <summary>Loads the corpus into the test's own database (for tests that change trials) and searches there.</summary>
    private async Task<FacetIndex> LoadAsync()
    {
        await LoadCorpusAsync(DataSource);
        _searched = ConnectionString;
        return new FacetIndex(DataSource, NullLogger<FacetIndex>.Instance);
    }

    internal static async Task LoadCorpusAsync(NpgsqlDataSource dataSource)
    {
        var folder = Directory.CreateTempSubdirectory("tr-facets-");
        try
        {
            CorpusWriter.Write(folder.FullName, 400, seed: 5);
            foreach (var seed in Directory.EnumerateFiles(SharedPaths.Seeds))
            {
                File.Copy(seed, Path.Combine(folder.FullName, Path.GetFileName(seed)));
            }

            await new BulkImporter(dataSource).ImportAsync(DocumentImporter.ExpandPaths([folder.FullName]), new BulkImportOptions(), cancellationToken: TestContext.Current.CancellationToken);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Totals_and_facets_count_the_trials_the_search_returns(string filter)
    {
        var index = corpus.Index;
        _searched = corpus.ConnectionString;
        var query = ApiQueries.Parse(filter);
        var counted = await SearchAsync(index, query with { Facets = true, CountTotal = true, PageSize = 1 });
        var found = await AllAsync(index, query);
        Assert.Equal(found.Count, counted.TotalCount);
        var facets = counted.Facets!;

        // Each facet counts the trials that pass every filter but its own.
        AssertCounts("antigen", await AllAsync(index, query with { Antigens = [] }), t => t.TargetAntigens, facets.Antigen);
        AssertCounts("phase", await AllAsync(index, query with { Phases = [] }), t => t.Phases, facets.Phase);
        AssertCounts("status", await AllAsync(index, query with { Statuses = [] }), t => t.Status is null ? [] : [t.Status], facets.Status);
        AssertCounts("route", await AllAsync(index, query with { Routes = [] }), t => t.Routes, facets.Route);
        AssertCounts("modality", await AllAsync(index, query with { Modalities = [] }), t => t.Modality is null ? [] : [t.Modality], facets.Modality);
        AssertCounts("productType", await AllAsync(index, query with { ProductTypes = [] }), t => t.ProductType is null ? [] : [t.ProductType], facets.ProductType);
        // Conditions count as concepts: a trial counts once under each disease its conditions are, and each broader one.
        var conditions = await AllAsync(index, query with { Conditions = [] });
        var expected = conditions.SelectMany(t => DiseaseConcepts.Of(t.Conditions).Select(DiseaseConcepts.Name)).CountBy(c => c)
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(30).Select(c => (c.Key, c.Value));
        Assert.Equal(expected, facets.Condition.Select(f => (f.Value, f.Count)));
        foreach (var condition in facets.Condition.Take(8))
        {
            // The filter reads a facet's name back as its concept: the same trials.
            var named = await AllAsync(index, query with { Conditions = [condition.Value] });
            Assert.True(condition.Count == named.Count, $"condition {condition.Value}: facet {condition.Count}, found {named.Count}: {string.Join("; ", named.Take(20).Select(t => t.RegistryId + " " + string.Join("|", t.Conditions)))}");
        }

        foreach (var country in facets.Country)
        {
            Assert.True(country.Count == (await AllAsync(index, query with { Countries = [country.Value] })).Count, $"country {country.Value}");
        }
    }

    /// <summary>
    /// Every vocabulary filter (<see cref="SearchFilters.Choices"/>, so a new one is checked without a line here): each of
    /// its values counts, beside the query's other filters, the trials its own SQL finds, and a value the facet leaves
    /// out finds none.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("antigen=CD19")]
    [InlineData("status=RECRUITING&phase=PHASE1")]
    [InlineData("q=cytokine release syndrome")]
    [InlineData("near=Boston&distanceKm=400")]
    [InlineData("category=HEMATOLOGIC_MALIGNANCY&modality=CAR_T")]
    public async Task Each_vocabulary_filter_counts_each_value_as_its_SQL_finds(string filter)
    {
        var index = corpus.Index;
        _searched = corpus.ConnectionString;
        var query = ApiQueries.Parse(filter);
        var facets = (await SearchAsync(index, query with { Facets = true, CountTotal = true, PageSize = 1 })).Facets!;
        var counted = 0;
        foreach (var choice in SearchFilters.Choices)
        {
            foreach (var value in choice.Values)
            {
                var found = (await AllAsync(index, query.Choosing(choice, [value]))).Count;
                var facet = facets.Of(choice).FirstOrDefault(f => f.Value == value)?.Count ?? 0;
                Assert.True(found == facet, $"{choice.Parameter}={value} with {filter}: the search finds {found}, the facet counts {facet}");
                counted += found;
            }
        }

        Assert.True(counted > 0, "the corpus has trials with vocabulary values");
    }

    /// <summary>
    /// A search without words is paged by the facet index walking its trials in date order: page after page (small
    /// pages, so the cursor is crossed often, also inside runs of equal dates) gives every matching trial once, in the
    /// order of the dates as PostgreSQL stores them, ties by id, undated trials last.
    /// </summary>
    [Theory]
    [InlineData("", "lastUpdated")]
    [InlineData("", "lastUpdated:asc")]
    [InlineData("antigen=CD19", "startDate")]
    [InlineData("status=RECRUITING&phase=PHASE1", "startDate:asc")]
    [InlineData("condition=lymphoma&doseUnit=CELLS_PER_KG", "lastUpdated")]
    [InlineData("near=Boston&distanceKm=2000", "startDate")]
    public async Task Pages_without_words_come_in_date_order(string filter, string sort)
    {
        var index = corpus.Index;
        _searched = corpus.ConnectionString;
        var query = ApiQueries.Parse(filter + (filter.Length > 0 ? "&" : "") + "sort=" + sort);
        var startDate = sort.StartsWith("startDate", StringComparison.Ordinal);
        var ascending = sort.EndsWith(":asc", StringComparison.Ordinal);

        await using var db = RegistryDatabase.CreateContext(corpus.ConnectionString);
        var matching = (await new TrialSearch(db, index).MatchingIdsAsync(query, TestContext.Current.CancellationToken)).Ids.ToHashSet();
        var dated = await db.Trials.Where(t => matching.Contains(t.Id))
            .Select(t => new { t.Id, t.RegistryId, Date = startDate ? t.StartDate : t.LastUpdated })
            .ToListAsync(TestContext.Current.CancellationToken);
        var undated = ascending ? "9999" : string.Empty;
        var expected = (ascending
                ? dated.OrderBy(t => t.Date ?? undated, StringComparer.Ordinal)
                : dated.OrderByDescending(t => t.Date ?? undated, StringComparer.Ordinal))
            .ThenBy(t => t.Id).Select(t => t.RegistryId).ToList();
        Assert.True(expected.Count > 7, $"{filter}: {expected.Count} trials, too few to page");
        if (filter.Length == 0)
        {
            Assert.Contains(dated, t => t.Date is null);
        }

        Assert.Equal(expected, (await AllAsync(index, query, pageSize: 7)).Select(t => t.RegistryId));
    }

    [Fact]
    public async Task An_index_updated_with_the_changes_counts_as_one_read_anew()
    {
        var log = new ListLogger();
        using var index = await LoadAsync();
        using var updated = new FacetIndex(DataSource, log);
        var all = new TrialQuery { CountTotal = true, Facets = true, PageSize = 1 };
        await SearchAsync(updated, all);
        Assert.Contains(log.Messages, m => m.StartsWith("Facet index built", StringComparison.Ordinal));
        // Pages without words sort the index's date orders, which the update carries over.
        string[] sorts = ["lastUpdated", "lastUpdated:asc", "startDate", "startDate:asc"];
        foreach (var sort in sorts)
        {
            await SearchAsync(updated, ApiQueries.Parse("sort=" + sort));
        }

        // Changes of every kind, each in a transaction of its own as the store makes them: values of the trial row,
        // rows of the trial's own tables (with the trial row touched, as every store write does), a new trial, a
        // withdrawn one and a deleted one.
        var ids = new List<long>();
        await using (var command = DataSource.CreateCommand("SELECT id FROM trials WHERE NOT withdrawn ORDER BY id LIMIT 6"))
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        foreach (var sql in new[]
        {
            $"UPDATE trials SET status = 'SUSPENDED', phases = '{{PHASE3}}', routes = '{{INTRATHECAL}}', modality = 'CAR_NK', last_updated = '2001-02-03', start_date = NULL WHERE id = {ids[0]}",
            $"DELETE FROM trial_target_antigens WHERE trial_id = {ids[1]}; UPDATE trials SET updated_at = now() WHERE id = {ids[1]}",
            $"DELETE FROM conditions WHERE trial_id = {ids[2]}; DELETE FROM locations WHERE trial_id = {ids[2]}; UPDATE eligibilities SET sex = 'FEMALE', min_age_years = 50 WHERE trial_id = {ids[2]}; UPDATE trials SET updated_at = now() WHERE id = {ids[2]}",
            $"DELETE FROM dose_levels WHERE trial_id = {ids[3]}; UPDATE trials SET updated_at = now() WHERE id = {ids[3]}",
            $"DELETE FROM trials WHERE id = {ids[4]}",
        })
        {
            await using var command = DataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await ImportFileAsync(Path.Combine(SharedPaths.Corpus, "ctgov-json", "NCT03418623.json"));
        await using (var command = DataSource.CreateCommand($"SELECT registry_id FROM trials WHERE id = {ids[5]}"))
        {
            Assert.True(await Store.WithdrawAsync((string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!, TestContext.Current.CancellationToken));
        }

        foreach (var filter in Queries())
        {
            var query = ApiQueries.Parse(filter.Data) with { Facets = true, CountTotal = true, PageSize = 1 };
            var fromUpdate = await SearchAsync(updated, query);
            using var fresh = new FacetIndex(DataSource, NullLogger<FacetIndex>.Instance);
            var readAnew = await SearchAsync(fresh, query);
            Assert.Equal(readAnew.TotalCount, fromUpdate.TotalCount);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(readAnew.Facets), System.Text.Json.JsonSerializer.Serialize(fromUpdate.Facets));
        }

        // Every trial in every date order, from the updated index and from one read anew.
        foreach (var sort in sorts)
        {
            using var fresh = new FacetIndex(DataSource, NullLogger<FacetIndex>.Instance);
            var query = ApiQueries.Parse("sort=" + sort);
            Assert.Equal((await AllAsync(fresh, query)).Select(t => t.RegistryId), (await AllAsync(updated, query)).Select(t => t.RegistryId));
        }

        Assert.Single(log.Messages, m => m.StartsWith("Facet index built", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.StartsWith("Facet index updated", StringComparison.Ordinal));
    }

    /// <summary>Keeps what the facet index logs.</summary>
    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger<FacetIndex>
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }

    [Fact]
    public async Task Counts_follow_trials_added_and_withdrawn_after_the_index_was_built()
    {
        using var index = await LoadAsync();
        var all = new TrialQuery { CountTotal = true, Facets = true, PageSize = 1 };
        var before = (await SearchAsync(index, all)).TotalCount!.Value;

        // A real ClinicalTrials.gov record, not among the loaded ones.
        // Read your writes: a change committed before the request is counted by it.
        await ImportFileAsync(Path.Combine(SharedPaths.Corpus, "ctgov-json", "NCT03418623.json"));
        Assert.Equal(before + 1, (await SearchAsync(index, all)).TotalCount);

        Assert.True(await Store.WithdrawAsync("NCT03418623", TestContext.Current.CancellationToken));
        Assert.Equal(before, (await SearchAsync(index, all)).TotalCount);
        Assert.Equal(before, (await AllAsync(index, all)).Count);

        // A transaction that wrote nothing to the trials leaves the version, and the snapshot, as they were.
        var version = await VersionAsync();
        Assert.True(version > 0);
        await ImportFileAsync(Path.Combine(SharedPaths.Corpus, "ctgov-json", "NCT03418623.json"));
        Assert.Equal(version, await VersionAsync());
    }

    private async Task<long> VersionAsync()
    {
        await using var command = DataSource.CreateCommand("SELECT version FROM trial_change_version");
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static void AssertCounts(string facet, List<TrialSummary> trials, Func<TrialSummary, IEnumerable<string>> values, IReadOnlyList<FacetValue> counted)
    {
        var expected = trials.SelectMany(t => values(t).Distinct()).CountBy(v => v)
            .OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, v.Value)).ToList();
        Assert.True(expected.SequenceEqual(counted.Select(f => (f.Value, f.Count))),
            $"{facet}: expected {string.Join(", ", expected)}; counted {string.Join(", ", counted)}");
    }

    private async Task<TrialSearchResult> SearchAsync(FacetIndex index, TrialQuery query)
    {
        await using var db = RegistryDatabase.CreateContext(_searched ?? ConnectionString);
        return await new TrialSearch(db, index).SearchAsync(query, TestContext.Current.CancellationToken);
    }

    /// <summary>Every trial the query finds, page after page (small pages cross the cursor often).</summary>
    private async Task<List<TrialSummary>> AllAsync(FacetIndex index, TrialQuery query, int pageSize = TrialQuery.MaxPageSize)
    {
        var trials = new List<TrialSummary>();
        var page = query with { PageSize = pageSize, CountTotal = false, Facets = false };
        while (true)
        {
            var result = await SearchAsync(index, page);
            trials.AddRange(result.Trials);
            if (PageCursor.TryDecode(result.NextPageToken) is not { } next)
            {
                return trials;
            }

            page = page with { After = next };
        }
    }
}
