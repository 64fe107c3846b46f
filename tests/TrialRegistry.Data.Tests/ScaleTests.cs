using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TrialRegistry.Benchmarks;
using TrialRegistry.Cli;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Search;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>A registry of a few thousand synthetic trials, generated and bulk-loaded through the CLI, shared by the scale tests.</summary>
public sealed class ScaleFixture(PostgresServer server) : IAsyncLifetime
{
    public const int Trials = 5000;

    public string ConnectionString { get; private set; } = string.Empty;
    public string GenerateOutput { get; private set; } = string.Empty;
    public string ImportOutput { get; private set; } = string.Empty;
    private DirectoryInfo? _folder;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await server.CreateDatabaseAsync();
        _folder = Directory.CreateTempSubdirectory("tr-scale-");
        var corpus = Path.Combine(_folder.FullName, "corpus");
        GenerateOutput = await RunAsync("generate", "--count", Trials.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", corpus);
        ImportOutput = await RunAsync("bench", "import", corpus, "--connection", ConnectionString);
    }

    public static async Task<string> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr);
        Assert.True(exit == 0, $"trialregistry {string.Join(' ', args)} exited {exit}: {stderr}");
        return stdout.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        _folder?.Delete(recursive: true);
        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }
}

/// <summary>
/// The small version of the scale benchmark, so it cannot rot: the generator, the bulk load and the search
/// benchmark run end to end on a few thousand trials; the baseline returns what the API's search returns; and the
/// indexed filters are planned without a sequential scan of the trial table.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class ScaleTests(ScaleFixture scale) : IClassFixture<ScaleFixture>
{
    [Fact]
    public async Task The_generated_corpus_loads_in_bulk_with_every_trial()
    {
        Assert.Contains($"generated {ScaleFixture.Trials:N0} trials", scale.GenerateOutput, StringComparison.Ordinal);
        // A trial's second document may add nothing to what its first gave (a source that says less never erases), so
        // some are "unchanged"; which ones depends on the order the parallel parse delivers them.
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(scale.ImportOutput, @"bulk imported \d+ files in [\d.]+ s \(\d+ trials/s\): \d+ new, \d+ updated, \d+ unchanged, 0 failed; indexes built"), scale.ImportOutput);
        await using var source = NpgsqlDataSource.Create(scale.ConnectionString);
        await using var command = source.CreateCommand("SELECT count(*), count(*) FILTER (WHERE registry_id LIKE 'NCT5%') FROM trials");
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        // Documents without an NCT number get content ids, and a few of those coincide and merge, as in real data.
        Assert.InRange(reader.GetInt64(0), ScaleFixture.Trials * 0.98, ScaleFixture.Trials);
        Assert.InRange(reader.GetInt64(1), ScaleFixture.Trials * 0.85, ScaleFixture.Trials * 0.9);
    }

    [Fact]
    public async Task The_search_benchmark_runs_every_query_in_every_mode()
    {
        var output = await ScaleFixture.RunAsync("bench", "search", "--connection", scale.ConnectionString, "--rounds", "3");
        Assert.Contains($"search latency over {ScaleFixture.Trials * 0.98:N0}"[..22], output, StringComparison.Ordinal);
        foreach (var query in SearchBench.MixWithFacets)
        {
            Assert.Contains(query.Name, output, StringComparison.Ordinal);
        }

        Assert.Matches(@"in-process\s+the mix\s+filtered\s+p50 [\d.]+ ms, p95 [\d.]+ ms", output);
        Assert.Matches(@"in-process\s+places\s+filtered\s+p50 [\d.]+ ms, p95 [\d.]+ ms", output);
        Assert.Matches(@"raw Npgsql\s+the mix\s+filtered\s+p50 [\d.]+ ms", output);
        Assert.Matches(@"in-process speed as a share of raw Npgsql .*: \d\.\d\d", output);
    }

    [Fact]
    public async Task The_raw_baseline_finds_the_same_trials_in_the_same_order_as_the_search()
    {
        await using var source = NpgsqlDataSource.Create(scale.ConnectionString);
        using var facetIndex = new FacetIndex(source, NullLogger<FacetIndex>.Instance);
        var raw = new RawSearch(source, facetIndex);
        foreach (var query in SearchBench.Mix)
        {
            await using var db = RegistryDatabase.CreateContext(scale.ConnectionString);
            var api = await new TrialSearch(db, facetIndex).SearchAsync(query.Query, TestContext.Current.CancellationToken);
            var baseline = await raw.SearchAsync(query.Query, TestContext.Current.CancellationToken);
            Assert.True(api.Trials.Count > 0, $"{query.Name} finds nothing in the synthetic registry");
            Assert.Equal(JsonSerializer.Serialize(api.Trials), JsonSerializer.Serialize(baseline));
        }
    }

    public static TheoryData<string> IndexedFilters() =>
    [
        "antigen=GPRC5D", "antigen=GPRC5D&phase=PHASE2", "phase=PHASE3", "status=SUSPENDED", "condition=glioblastoma",
        "q=pontine", "q=glioblastoma&antigen=EGFRvIII",
        "near=Boston&distanceKm=100", "near=02115&distanceKm=25", "near=31.23,121.47&distanceKm=50&sort=distance", "city=Houston&antigen=CD19",
    ];

    [Theory]
    [MemberData(nameof(IndexedFilters))]
    public async Task Indexed_filters_never_scan_the_whole_trial_or_site_table(string filter)
    {
        var query = ApiQueries.Parse(filter + "&pageSize=20");
        var collector = new PlanCollector();
        var options = new DbContextOptionsBuilder<RegistryDbContext>();
        RegistryDatabase.Configure(options, scale.ConnectionString);
        options.AddInterceptors(collector);
        await using var source = NpgsqlDataSource.Create(scale.ConnectionString);
        using var facetIndex = new FacetIndex(source, NullLogger<FacetIndex>.Instance);
        await using (var db = new RegistryDbContext(options.Options))
        {
            await new TrialSearch(db, facetIndex).SearchAsync(query with { CountTotal = true }, TestContext.Current.CancellationToken);
        }

        Assert.NotEmpty(collector.Plans);
        foreach (var (sql, plan) in collector.Plans)
        {
            Assert.False(
                plan.Contains("\"Node Type\": \"Seq Scan\"", StringComparison.Ordinal) && SeqScans(plan).Overlaps(["trials", "locations"]),
                $"{filter}: a sequential scan of trials or their sites in the plan of\n{sql}\n{plan}");
        }
    }

    [Fact]
    public async Task A_common_phrase_is_ranked_from_the_rum_index_without_reading_every_match()
    {
        await using var source = NpgsqlDataSource.Create(scale.ConnectionString);
        using var facetIndex = new FacetIndex(source, NullLogger<FacetIndex>.Instance);
        Assert.True(await facetIndex.RankedTextAsync(), "the server has no RUM extension (apt-get install -y postgresql-15-rum)");
        await using var count = source.CreateCommand("SELECT count(*) FROM trials WHERE search_vector @@ websearch_to_tsquery('english', 'cytokine release syndrome')");
        var matches = (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;

        // At 5,000 trials a window of 4,096 is most of the matches and the planner rightly sorts them all; a window
        // that is a small share of the matches, as 4,096 is of the 150,000 at half a million trials, is read in order.
        const int window = 50;
        var collector = new PlanCollector { Analyze = true };
        var options = new DbContextOptionsBuilder<RegistryDbContext>();
        RegistryDatabase.Configure(options, scale.ConnectionString);
        options.AddInterceptors(collector);
        await using (var db = new RegistryDbContext(options.Options))
        {
            var result = await new TrialSearch(db, facetIndex) { TextWindow = window }.SearchAsync(ApiQueries.Parse("q=cytokine release syndrome&pageSize=20"), TestContext.Current.CancellationToken);
            Assert.Equal(20, result.Trials.Count);
        }

        var ranked = collector.Plans.Single(p => p.Sql.Contains("text_distance", StringComparison.Ordinal) && p.Sql.Contains("ORDER BY", StringComparison.Ordinal));
        var scan = Nodes(ranked.Plan).Single(n => n.TryGetProperty("Index Name", out var name) && name.GetString() == "ix_trials_search_rum");
        Assert.True(scan.TryGetProperty("Order By", out _), $"the RUM index is not read in distance order:\n{ranked.Plan}");
        var read = scan.GetProperty("Actual Rows").GetDouble();
        Assert.True(matches > 10 * window && read <= window, $"read {read} of {matches} matches:\n{ranked.Plan}");
    }

    /// <summary>Every node of a JSON plan.</summary>
    private static List<JsonElement> Nodes(string plan)
    {
        var nodes = new List<JsonElement>();
        void Walk(JsonElement node)
        {
            if (node.ValueKind == JsonValueKind.Object)
            {
                if (node.TryGetProperty("Node Type", out _))
                {
                    nodes.Add(node.Clone());
                }

                foreach (var property in node.EnumerateObject())
                {
                    Walk(property.Value);
                }
            }
            else if (node.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in node.EnumerateArray())
                {
                    Walk(item);
                }
            }
        }

        using var document = JsonDocument.Parse(plan);
        Walk(document.RootElement);
        return nodes;
    }

    /// <summary>The relations a plan reads with a sequential scan.</summary>
    private static HashSet<string> SeqScans(string plan) =>
        [.. Nodes(plan)
            .Where(n => n.GetProperty("Node Type").GetString() == "Seq Scan" && n.TryGetProperty("Relation Name", out _))
            .Select(n => n.GetProperty("Relation Name").GetString()!)];

    /// <summary>Asks PostgreSQL for the plan of every query EF Core sends, with its parameters, before it runs.</summary>
    private sealed class PlanCollector : DbCommandInterceptor
    {
        public List<(string Sql, string Plan)> Plans { get; } = [];

        /// <summary>Runs each query in EXPLAIN ANALYZE, for the rows each node really read.</summary>
        public bool Analyze { get; init; }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            var npgsql = (NpgsqlCommand)command;
            await using var explain = new NpgsqlCommand((Analyze ? "EXPLAIN (ANALYZE, FORMAT JSON) " : "EXPLAIN (FORMAT JSON) ") + npgsql.CommandText, npgsql.Connection, npgsql.Transaction);
            foreach (NpgsqlParameter parameter in npgsql.Parameters)
            {
                explain.Parameters.Add(parameter.Clone());
            }

            Plans.Add((npgsql.CommandText, (string)(await explain.ExecuteScalarAsync(cancellationToken))!));
            return result;
        }
    }
}
