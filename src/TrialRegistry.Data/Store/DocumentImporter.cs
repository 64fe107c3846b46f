using Microsoft.Extensions.Logging;
using TrialRegistry.Ingestion.Formats;

namespace TrialRegistry.Data.Store;

/// <summary>Imports files and folders: each file is parsed and stored as one document (one transaction).</summary>
public sealed class DocumentImporter(TrialStore store, ILogger<DocumentImporter>? logger = null)
{
    /// <summary>Files a folder import reads: what the parsers know, and text in general.</summary>
    private static readonly HashSet<string> DocumentExtensions = new(StringComparer.OrdinalIgnoreCase) { ".txt", ".csv", ".json", ".xml", ".md", ".text", ".tsv", "" };

    /// <summary>The files a list of paths names: files as given, folders walked (sorted, hidden files skipped).</summary>
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.') && DocumentExtensions.Contains(Path.GetExtension(f)))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(path);
            }
        }

        return files;
    }

    public Task<DocumentImportResult> ImportFileAsync(string path, CancellationToken cancellationToken = default) =>
        ImportFileAsync(path, by: null, cancellationToken);

    /// <summary>Stores one file; with <paramref name="by"/> the audit log records who stored it and how, in the same transaction.</summary>
    public async Task<DocumentImportResult> ImportFileAsync(string path, AdminAction? by, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such file", path);
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var parsed = DocumentParser.Default.Parse(bytes, Path.GetFileName(path));
        var result = await store.ImportAsync(parsed, by, cancellationToken);
        logger?.LogDebug("{Path}: {Format}, {Records} records", path, result.Format, result.Records.Count);
        return result;
    }
}
