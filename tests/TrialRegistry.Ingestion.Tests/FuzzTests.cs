using System.Diagnostics;
using System.Text;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Testing;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>
/// Ten thousand hostile documents derived from the seeds and the corpus, plus random ones: no exception escapes,
/// no parse takes a second, memory stays bounded, and every result is records with ids or "unknown" with a reason.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class FuzzTests
{
    private const int Documents = 10_000;

    [Fact]
    public void Ten_thousand_mutated_truncated_shuffled_and_random_documents()
    {
        var sources = Directory.GetFiles(SharedPaths.Seeds)
            .Concat(Directory.GetFiles(Path.Combine(SharedPaths.Corpus, "ctgov-json")).Where(f => new FileInfo(f).Length < 60_000))
            .Concat(Directory.GetFiles(Path.Combine(SharedPaths.Corpus, "ctgov-xml")).Where(f => new FileInfo(f).Length < 40_000).Take(12))
            .Select(File.ReadAllBytes)
            .ToList();
        var random = new Random(8);
        GC.Collect();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var slowest = TimeSpan.Zero;
        var unknown = 0;
        for (var i = 0; i < Documents; i++)
        {
            var bytes = (i % 10) switch
            {
                0 => RandomBytes(random),
                1 => RandomText(random),
                _ => Mutations.Mutate(sources[random.Next(sources.Count)], random),
            };
            var watch = Stopwatch.StartNew();
            var cpuBefore = ThreadCpu();
            var parsed = DocumentParser.Default.Parse(bytes, $"fuzz-{i}.txt");
            var cpu = ThreadCpu() - cpuBefore;
            watch.Stop();
            slowest = cpu > slowest ? cpu : slowest;
            // The bound is on the parse's own CPU time: the test suite runs its projects side by side on two
            // cores, and wall time there measures the neighbours. Wall time only guards against a hang.
            Assert.True(cpu < TimeSpan.FromSeconds(1), $"document {i} took {cpu} of CPU");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"document {i} took {watch.Elapsed}");
            if (parsed.Recognized)
            {
                Assert.NotEmpty(parsed.Records);
                Assert.All(parsed.Records, r => Assert.False(string.IsNullOrEmpty(r.RegistryId)));
            }
            else
            {
                unknown++;
                Assert.False(string.IsNullOrWhiteSpace(parsed.Error));
                Assert.Equal(DocumentParser.UnknownFormat, parsed.Format);
            }
        }

        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(memoryAfter - memoryBefore < 64 * 1024 * 1024, $"managed memory grew by {(memoryAfter - memoryBefore) / 1024 / 1024} MB");
        Assert.True(slowest > TimeSpan.Zero, "the CPU clock did not move: the time bound would prove nothing");
        Assert.InRange(unknown, 1, Documents - 1); // both outcomes happen: the fuzzing reaches the parsers and the refusals
        TestContext.Current.SendDiagnosticMessage($"slowest parse {slowest.TotalMilliseconds:F0} ms, {unknown} unknown of {Documents}");
    }

    /// <summary>CPU time of the calling thread (Linux: /proc/thread-self/stat, in clock ticks of 10 ms); elsewhere the process's.</summary>
    private static TimeSpan ThreadCpu()
    {
        const string stat = "/proc/thread-self/stat";
        if (!File.Exists(stat))
        {
            return Process.GetCurrentProcess().TotalProcessorTime;
        }

        var fields = File.ReadAllText(stat);
        var afterName = fields[(fields.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 is the state; utime and stime are fields 14 and 15 of the whole line.
        var ticks = long.Parse(afterName[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(afterName[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 4096)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] RandomText(Random random)
    {
        string[] words = ["Inclusion Criteria:", "Exclusion", "NCT0", "Phase", "1×10^", "cells/kg", "CAR-T", "CD19", "\n", "\n\n", "1.", "a)", "•", ":", "Status", "RECRUITING", "{", "}", "\"", "<", ">", ",", "|", "10⁶", "e6", "(", ")", "anti-", "Enrollment", "Ages", "18 Years"];
        var text = new StringBuilder();
        for (var n = random.Next(1, 400); n > 0; n--)
        {
            text.Append(words[random.Next(words.Length)]).Append(random.Next(3) == 0 ? "" : " ");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
