using System.Diagnostics;
using System.Globalization;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;

namespace TrialRegistry.Cli;

/// <summary><c>bench parse PATH... [--seconds N]</c>: single-threaded parse throughput, per format.</summary>
public static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] != "parse")
        {
            await stderr.WriteLineAsync($"error: bench needs a benchmark name (parse)\n\n{CliApp.Usage}");
            return 2;
        }

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
