using System.Diagnostics;
using System.Globalization;
using TrialRegistry.Synthetic;

namespace TrialRegistry.Cli;

/// <summary><c>generate --count N --out DIR [--seed S]</c>: writes a synthetic corpus in every supported format.</summary>
public static class GenerateCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        int? count = null;
        string? output = null;
        var seed = TrialGenerator.DefaultSeed;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--count" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0:
                    count = n;
                    i++;
                    break;
                case "--out" when value is not null:
                    output = value;
                    i++;
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s):
                    seed = s;
                    i++;
                    break;
                default:
                    return await CliApp.UsageErrorAsync(stderr, $"unexpected '{args[i]}' (generate --count N --out DIR [--seed S])");
            }
        }

        if (count is null || output is null)
        {
            return await CliApp.UsageErrorAsync(stderr, "generate needs --count N and --out DIR");
        }

        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            await stderr.WriteLineAsync($"error: {output} is not empty; generate writes into an empty or new folder");
            return 2;
        }

        var watch = Stopwatch.StartNew();
        var reported = 0;
        var summary = CorpusWriter.Write(output, count.Value, seed, done =>
        {
            // Progress on standard error every 10%, so standard output stays the summary.
            var tenth = done * 10 / count.Value;
            if (tenth > Interlocked.Exchange(ref reported, tenth))
            {
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done:N0} / {count:N0} trials"));
            }
        });
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"generated {summary.Trials:N0} trials in {summary.Documents:N0} documents ({summary.Bytes / 1e6:F1} MB) under {output}, seed {seed}, in {watch.Elapsed.TotalSeconds:F1} s"));
        foreach (var (format, trials) in summary.TrialsPerFormat)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {format,-16} {trials,9:N0} trials"));
        }

        return 0;
    }
}
