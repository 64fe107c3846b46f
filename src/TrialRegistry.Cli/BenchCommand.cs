using System.Diagnostics;
using System.Globalization;
using Npgsql;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;

namespace TrialRegistry.Cli;

/// <summary>
/// Benchmarks: <c>bench parse PATH... [--seconds N]</c>, single-threaded parse throughput per format;
/// <c>bench import</c>, a timed bulk load; <c>bench search</c>, latency of a fixed query mix against the API's search,
/// a raw Npgsql baseline and, given <c>--url</c>, a running registry over HTTP.
/// </summary>
public static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => args.FirstOrDefault() switch
    {
        "parse" => await ParseAsync(args, stdout, stderr),
        "import" => await ImportAsync(args[1..], stdout, stderr),
        "search" => await SearchAsync(args[1..], stdout, stderr),
        _ => await CliApp.UsageErrorAsync(stderr, "bench needs a benchmark name (parse, import or search)"),
    };

    /// <summary><c>bench import DIR... [--connection CS]</c>: a bulk load, end to end (the import command's --bulk, timed).</summary>
    private static Task<int> ImportAsync(string[] args, TextWriter stdout, TextWriter stderr) => ImportCommand.RunAsync([.. args, "--bulk"], stdout, stderr);

    /// <summary>
    /// <c>bench search [--connection CS] [--url URL] [--rounds N] [--facet-rounds N] [--queries all|mix|places]</c>: latency of
    /// the query mix, the place queries or both (default database as for import).
    /// </summary>
    private static async Task<int> SearchAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? connection = null, url = null;
        var rounds = 50;
        int? facetRounds = null;
        var queries = "all";
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--connection" when value is not null:
                    connection = value;
                    i++;
                    break;
                case "--url" when value is not null:
                    url = value;
                    i++;
                    break;
                case "--rounds" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) && r > 0:
                    rounds = r;
                    i++;
                    break;
                case "--facet-rounds" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) && f > 0:
                    facetRounds = f;
                    i++;
                    break;
                case "--queries" when value is "all" or "mix" or "places":
                    queries = value;
                    i++;
                    break;
                default:
                    return await CliApp.UsageErrorAsync(stderr, $"unexpected '{args[i]}'");
            }
        }

        using var loggerFactory = CliDatabase.Logging();
        var connectionString = await CliDatabase.ConnectAsync(connection, loggerFactory, stderr);
        if (connectionString is null)
        {
            return 1;
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var count = dataSource.CreateCommand("SELECT count(*) FROM trials"))
        {
            var trials = (long)(await count.ExecuteScalarAsync())!;
            var over = url is null ? string.Empty : $"; HTTP against {url}";
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"search latency over {trials:N0} trials, {rounds} rounds a query ({facetRounds ?? rounds} with facets) after {SearchBench.WarmUps} warm-up runs, one at a time{over}"));
        }

        var samples = await SearchBench.RunAsync(dataSource, url, rounds, facetRounds ?? rounds, stderr, queries switch
        {
            "mix" => q => q.HasBaseline,
            "places" => q => !q.HasBaseline,
            _ => null,
        });
        SearchBench.Print(samples, stdout);
        return 0;
    }

    private static async Task<int> ParseAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var seconds = 10.0;
        var paths = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--seconds" && i + 1 < args.Length && double.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var s))
            {
                seconds = s;
                i++;
            }
            else
            {
                paths.Add(args[i]);
            }
        }

        var files = DocumentImporter.ExpandPaths(paths).Select(f => (Name: Path.GetFileName(f), Bytes: File.ReadAllBytes(f))).ToList();
        if (files.Count == 0)
        {
            await stderr.WriteLineAsync("error: no documents to parse");
            return 2;
        }

        // Warm up (JIT, regex construction), then measure on this one thread.
        var formats = files.ToDictionary(f => f.Name, f => DocumentParser.Default.Parse(f.Bytes, f.Name).Format);
        Thread.CurrentThread.Priority = ThreadPriority.Highest;
        var perFormat = new Dictionary<string, (int Docs, int Records, TimeSpan Time, long Bytes)>();
        var total = Stopwatch.StartNew();
        var rounds = 0;
        while (total.Elapsed.TotalSeconds < seconds || rounds == 0)
        {
            foreach (var (name, bytes) in files)
            {
                var watch = Stopwatch.StartNew();
                var parsed = DocumentParser.Default.Parse(bytes, name);
                watch.Stop();
                var format = formats[name];
                var (d, r, t, b) = perFormat.GetValueOrDefault(format);
                perFormat[format] = (d + 1, r + parsed.Records.Count, t + watch.Elapsed, b + bytes.Length);
            }

            rounds++;
        }

        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"parse throughput, one thread, {rounds} rounds over {files.Count} documents ({Environment.ProcessorCount} cores visible)"));
        await stdout.WriteLineAsync("format            documents/s   records/s      MB/s");
        foreach (var (format, (docs, records, time, bytes)) in perFormat.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{format,-16} {docs / time.TotalSeconds,12:F0} {records / time.TotalSeconds,11:F0} {bytes / 1e6 / time.TotalSeconds,9:F1}"));
        }

        var all = perFormat.Values.Aggregate((Docs: 0, Records: 0, Time: TimeSpan.Zero), (a, v) => (a.Docs + v.Docs, a.Records + v.Records, a.Time + v.Time));
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{"all",-16} {all.Docs / all.Time.TotalSeconds,12:F0} {all.Records / all.Time.TotalSeconds,11:F0}"));
        return 0;
    }
}
