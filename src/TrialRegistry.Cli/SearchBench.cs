using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Search;
using TrialRegistry.Benchmarks;

namespace TrialRegistry.Cli;

/// <summary>One query of the benchmark mix: as the search takes it, and as the API's query string says it.</summary>
public sealed record BenchQuery(string Name, TrialQuery Query, string ApiQuery)
{
    public bool WithFacets => Query.Facets;

    /// <summary>Whether the raw baseline can run it (it has no place search, so location queries are measured without one).</summary>
    public bool HasBaseline => Query.Near is null && Query.Cities.Count == 0 && Query.Regions.Count == 0;
}

/// <summary>Latencies of one query in one mode, in milliseconds.</summary>
public sealed record BenchSample(string Query, string Mode, bool Facets, IReadOnlyList<double> Milliseconds)
{
    /// <summary>Whether the query searches by place (reported apart from the mix, which has a raw baseline).</summary>
    public bool Place { get; init; }
}

/// <summary>
/// Search latency for a fixed mix of realistic queries (antigen + phase, condition text, dose range, full text; with
/// and without facets), run one after another on a warm cache: through the registry's search (in-process, as the
/// API and pages call it), through hand-written SQL on plain Npgsql (the baseline), and over HTTP against a
/// running benchmark host (<c>src/TrialRegistry.Benchmarks</c>: the app's API, and the baseline's endpoint beside it).
/// </summary>
public static class SearchBench
{
    public static readonly IReadOnlyList<BenchQuery> Mix =
    [
        Q("antigen+phase", new TrialQuery { Antigens = ["CD19"], Phases = ["PHASE1"], PageSize = 20 }, "antigen=CD19&phase=PHASE1&pageSize=20"),
        Q("antigen+phase (rare)", new TrialQuery { Antigens = ["GPRC5D"], Phases = ["PHASE2"], PageSize = 20 }, "antigen=GPRC5D&phase=PHASE2&pageSize=20"),
        Q("condition text", new TrialQuery { Conditions = ["lymphoma"], PageSize = 20 }, "condition=lymphoma&pageSize=20"),
        Q("antigen+condition", new TrialQuery { Antigens = ["BCMA"], Conditions = ["myeloma"], PageSize = 20 }, "antigen=BCMA&condition=myeloma&pageSize=20"),
        Q("dose range", new TrialQuery { DoseMin = 1e6, DoseMax = 5e6, DoseUnit = "CELLS_PER_KG", PageSize = 20 }, "doseMin=1e6&doseMax=5e6&doseUnit=CELLS_PER_KG&pageSize=20"),
        Q("full text", new TrialQuery { Text = "cytokine release syndrome", PageSize = 20 }, "q=cytokine%20release%20syndrome&pageSize=20"),
        Q("full text+antigen", new TrialQuery { Text = "glioblastoma", Antigens = ["EGFRvIII"], PageSize = 20 }, "q=glioblastoma&antigen=EGFRvIII&pageSize=20"),
    ];

    /// <summary>
    /// Where the trials run: a city's name and a postal code (located from the registry's own sites), coordinates with the nearest site
    /// first in a dense region (every match's distance is needed to order them), and a city with an antigen.
    /// </summary>
    public static readonly IReadOnlyList<BenchQuery> Places =
    [
        Q("near a city", new TrialQuery { Near = "Boston", DistanceKm = 100, PageSize = 20 }, "near=Boston&distanceKm=100&pageSize=20"),
        Q("near coordinates, nearest", new TrialQuery { Near = "31.23,121.47", DistanceKm = 50, Sort = TrialSort.Distance, PageSize = 20 },
            "near=31.23,121.47&distanceKm=50&sort=distance&pageSize=20"),
        Q("near a postal code", new TrialQuery { Near = "02115", DistanceKm = 25, PageSize = 20 }, "near=02115&distanceKm=25&pageSize=20"),
        Q("city+antigen", new TrialQuery { Cities = ["Houston"], Antigens = ["CD19"], PageSize = 20 }, "city=Houston&antigen=CD19&pageSize=20"),
    ];

    public static IReadOnlyList<BenchQuery> MixWithFacets =>
        [.. Mix, .. Places, .. Mix.Concat(Places).Select(q => q with { Name = q.Name + " +facets", Query = q.Query with { Facets = true }, ApiQuery = q.ApiQuery + "&facets=true" })];

    public const int WarmUps = 2;

    private static BenchQuery Q(string name, TrialQuery query, string api) => new(name, query, api);

    /// <summary>
    /// Runs the mix: <paramref name="rounds"/> timed runs a filtered query, <paramref name="facetRounds"/> a query with
    /// facets (in-process only: over HTTP a facet query costs what it costs in-process plus the same serialization).
    /// </summary>
    public static async Task<List<BenchSample>> RunAsync(
        NpgsqlDataSource dataSource, string? url, int rounds, int facetRounds, TextWriter? log = null, Func<BenchQuery, bool>? which = null, CancellationToken cancellationToken = default)
    {
        var options = new DbContextOptionsBuilder<RegistryDbContext>();
        RegistryDatabase.Configure(options, dataSource);
        using var facetIndex = new FacetIndex(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<FacetIndex>.Instance);
        var raw = new RawSearch(dataSource, facetIndex);
        using var http = url is null ? null : new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(2) };
        var samples = new List<BenchSample>();
        foreach (var q in MixWithFacets.Where(which ?? (_ => true)))
        {
            log?.WriteLine($"  {q.Name}");
            samples.Add(await MeasureAsync(q, "in-process", q.WithFacets ? facetRounds : rounds, async () =>
            {
                await using var db = new RegistryDbContext(options.Options);
                return (await new TrialSearch(db, facetIndex).SearchAsync(q.Query, cancellationToken)).Trials.Count;
            }));
            if (!q.WithFacets && q.HasBaseline)
            {
                samples.Add(await MeasureAsync(q, "raw Npgsql", rounds, async () => (await raw.SearchAsync(q.Query, cancellationToken)).Count));
            }

            if (http is not null && !q.WithFacets)
            {
                samples.Add(await MeasureAsync(q, "HTTP API", rounds, async () => (await Get(http, "api/v1/trials?" + q.ApiQuery, cancellationToken)).Length));
                if (q.HasBaseline)
                {
                    samples.Add(await MeasureAsync(q, "HTTP raw", rounds, async () => (await Get(http, "bench/raw/trials?" + q.ApiQuery, cancellationToken)).Length));
                }
            }
        }

        return samples;
    }

    private static async Task<string> Get(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? body : throw new HttpRequestException($"GET {path}: {(int)response.StatusCode} {body}");
    }

    private static async Task<BenchSample> MeasureAsync(BenchQuery q, string mode, int rounds, Func<Task<int>> run)
    {
        // Warm: plans cached, pages in shared buffers, code jitted.
        for (var i = 0; i < WarmUps; i++)
        {
            await run();
        }

        var times = new List<double>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return new BenchSample(q.Name, mode, q.WithFacets, times) { Place = !q.HasBaseline };
    }

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public static void Print(IReadOnlyList<BenchSample> samples, TextWriter output)
    {
        string F(double v) => v.ToString(v < 10 ? "F1" : "F0", CultureInfo.InvariantCulture);
        output.WriteLine($"{"query",-30} {"mode",-12} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8}");
        foreach (var s in samples)
        {
            output.WriteLine($"{s.Query,-30} {s.Mode,-12} {F(Percentile(s.Milliseconds, 50)),8} {F(Percentile(s.Milliseconds, 95)),8} {F(Percentile(s.Milliseconds, 99)),8}");
        }

        output.WriteLine();
        output.WriteLine("all queries of a kind together:");
        foreach (var group in samples.GroupBy(s => (s.Mode, s.Facets, s.Place)))
        {
            var all = group.SelectMany(s => s.Milliseconds).ToList();
            output.WriteLine($"  {group.Key.Mode,-12} {(group.Key.Place ? "places" : "the mix"),-8} {(group.Key.Facets ? "with facets" : "filtered"),-12} p50 {F(Percentile(all, 50))} ms, p95 {F(Percentile(all, 95))} ms, p99 {F(Percentile(all, 99))} ms");
        }

        foreach (var (api, baseline) in new[] { ("in-process", "raw Npgsql"), ("HTTP API", "HTTP raw") })
        {
            var pairs = samples.Where(s => s.Mode == api && !s.Facets)
                .Join(samples.Where(s => s.Mode == baseline), a => a.Query, b => b.Query, (a, b) => Percentile(b.Milliseconds, 50) / Percentile(a.Milliseconds, 50))
                .ToList();
            if (pairs.Count > 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {api} speed as a share of {baseline} (median latency ratio, geometric mean over queries): {Math.Exp(pairs.Average(Math.Log)):F2}"));
            }
        }
    }
}
