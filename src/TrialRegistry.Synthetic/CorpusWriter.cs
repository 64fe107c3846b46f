using System.Globalization;
using System.Text;
using TrialRegistry.Ingestion.Formats;

namespace TrialRegistry.Synthetic;

/// <summary>What <see cref="CorpusWriter"/> wrote.</summary>
public sealed record CorpusSummary(int Trials, int Documents, long Bytes, IReadOnlyDictionary<string, int> TrialsPerFormat);

/// <summary>
/// Writes a synthetic corpus to a folder: <c>FORMAT/CHUNK/NAME</c>, one document a trial except the CSV exports,
/// which hold the CSV trials of a chunk of 1,000 in one file. Chunks are written in parallel; the output is the
/// same for the same count and seed whatever the number of threads.
/// </summary>
public static class CorpusWriter
{
    public const int ChunkSize = 1000;

    public static CorpusSummary Write(string folder, int count, int seed = TrialGenerator.DefaultSeed, Action<int>? progress = null)
    {
        Directory.CreateDirectory(folder);
        var chunks = (count + ChunkSize - 1) / ChunkSize;
        var perFormat = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        long bytes = 0;
        var documents = 0;
        var done = 0;
        Parallel.For(0, chunks, chunk =>
        {
            var first = chunk * ChunkSize;
            var size = Math.Min(ChunkSize, count - first);
            var chunkName = chunk.ToString("D4", CultureInfo.InvariantCulture);
            var csvRows = new List<SyntheticTrial>();
            foreach (var trial in TrialGenerator.Trials(size, seed, first))
            {
                var format = SyntheticFormats.FormatOf(trial.Index, seed);
                perFormat.AddOrUpdate(format, 1, (_, n) => n + 1);
                if (format == CtGovCsvParser.FormatName)
                {
                    csvRows.Add(trial);
                    continue;
                }

                var name = format is CtGovCsvRowParser.FormatName or AggregatorPageParser.FormatName
                    ? $"trial-{trial.Index:D7}"
                    : trial.NctId;
                Interlocked.Add(ref bytes, WriteFile(Path.Combine(folder, format, chunkName), name + SyntheticFormats.Extension(format), SyntheticFormats.Write(trial, format)));
                Interlocked.Increment(ref documents);
            }

            if (csvRows.Count > 0)
            {
                Interlocked.Add(ref bytes, WriteFile(Path.Combine(folder, CtGovCsvParser.FormatName), $"export-{chunkName}.csv", SyntheticFormats.CsvExport(csvRows)));
                Interlocked.Increment(ref documents);
            }

            progress?.Invoke(Interlocked.Add(ref done, size));
        });

        return new CorpusSummary(count, documents, bytes, perFormat.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value));
    }

    private static long WriteFile(string directory, string name, string text)
    {
        Directory.CreateDirectory(directory);
        var data = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(Path.Combine(directory, name), data);
        return data.Length;
    }
}
