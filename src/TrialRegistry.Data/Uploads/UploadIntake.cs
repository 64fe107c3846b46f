using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Data.Uploads;

/// <summary>
/// Limits on uploads (section <c>Uploads</c>), the one place the upload page, the documents API and the preview
/// read them from: sizes of one file, of one upload and of a previewed document, and what a zip may expand to.
/// </summary>
public sealed class UploadLimits
{
    public const string Section = "Uploads";

    /// <summary>Room for the multipart framing around the files of an upload.</summary>
    private const long FormOverheadBytes = 1024 * 1024;

    public long MaxFileBytes { get; set; } = 20 * 1024 * 1024;
    public long MaxRequestBytes { get; set; } = 100 * 1024 * 1024;
    public int MaxZipEntries { get; set; } = 500;
    public long MaxExpandedBytes { get; set; } = 200 * 1024 * 1024;
    public int MaxFiles { get; set; } = 1000;

    /// <summary>The most a document sent to the preview (which stores nothing) may be.</summary>
    public long MaxPreviewBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The request body the server reads for an upload before answering 413: the files plus their framing.</summary>
    public long MaxBodyBytes => MaxRequestBytes + FormOverheadBytes;

    /// <summary>What is wrong with these settings, or null: each limit positive, and one file no larger than one upload.</summary>
    public string? Problem() =>
        MaxFileBytes <= 0 || MaxRequestBytes <= 0 || MaxZipEntries <= 0 || MaxExpandedBytes <= 0 || MaxFiles <= 0 || MaxPreviewBytes <= 0
            ? $"Every {Section} limit must be positive."
            : MaxFileBytes > MaxRequestBytes
                ? $"{Section}:MaxFileBytes ({MaxFileBytes}) is larger than {Section}:MaxRequestBytes ({MaxRequestBytes})."
                : null;
}

/// <summary>Why an upload was refused, with the HTTP status that says it (400, 413 or 415).</summary>
public sealed class UploadRejectedException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

public sealed record IncomingFile(string FileName, byte[] Content);

public sealed record UploadSummary(long Id, string FileName, string Status);

/// <summary>
/// Checks uploaded files and keeps them in the database as pending uploads of a new batch. Everything is checked
/// before anything is written: one bad file refuses the whole request and the database is unchanged. Types are
/// checked by name and by content; zip archives are expanded with entry-count, size and nesting limits, reading
/// at most the limit of each entry whatever its header claims.
/// </summary>
public sealed class UploadIntake(RegistryDbContext db, UploadLimits limits)
{
    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase) { ".txt", ".text", ".csv", ".tsv", ".json", ".xml", ".md" };

    public async Task<(long BatchId, IReadOnlyList<UploadSummary> Uploads)> ReceiveAsync(IReadOnlyList<IncomingFile> files, string uploadedBy, CancellationToken cancellationToken = default)
    {
        var documents = Expand(files);
        var now = DateTimeOffset.UtcNow;
        var batch = new UploadBatch { CreatedBy = uploadedBy, CreatedAt = now };
        db.UploadBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        var uploads = documents.Select(d => new Upload
        {
            BatchId = batch.Id,
            FileName = d.FileName,
            Content = d.Content,
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(d.Content)),
            Status = UploadStatus.Pending,
            UploadedBy = uploadedBy,
            UploadedAt = now,
        }).ToList();
        db.Uploads.AddRange(uploads);
        db.AuditEntries.Add(new AuditEntry { Actor = uploadedBy, Action = "upload", Target = $"batch {batch.Id}", Details = string.Join(", ", uploads.Select(u => u.FileName)), At = now });
        await db.SaveChangesAsync(cancellationToken);
        return (batch.Id, uploads.Select(u => new UploadSummary(u.Id, u.FileName, TrialRegistry.Ingestion.Model.VocabularyNames.ToName(u.Status))).ToList());
    }

    /// <summary>The documents in the files (zip archives expanded), or the reason they are refused.</summary>
    public IReadOnlyList<IncomingFile> Expand(IReadOnlyList<IncomingFile> files)
    {
        if (files.Count == 0)
        {
            throw new UploadRejectedException(400, "No file was uploaded.");
        }

        if (files.Sum(f => (long)f.Content.Length) > limits.MaxRequestBytes)
        {
            throw new UploadRejectedException(413, $"The upload is larger than {Megabytes(limits.MaxRequestBytes)} in all.");
        }

        var documents = new List<IncomingFile>();
        foreach (var file in files)
        {
            var name = SafeName(file.FileName);
            if (file.Content.Length > limits.MaxFileBytes)
            {
                throw new UploadRejectedException(413, $"{name} is larger than {Megabytes(limits.MaxFileBytes)}, the most one file may be.");
            }

            if (Path.GetExtension(name).Equals(".zip", StringComparison.OrdinalIgnoreCase) || IsZip(file.Content))
            {
                if (!Path.GetExtension(name).Equals(".zip", StringComparison.OrdinalIgnoreCase) || !IsZip(file.Content))
                {
                    throw new UploadRejectedException(415, $"{name}: a zip archive must be named .zip and hold zip content.");
                }

                documents.AddRange(ExpandZip(name, file.Content));
            }
            else
            {
                documents.Add(CheckText(name, file.Content));
            }
        }

        if (documents.Count > limits.MaxFiles)
        {
            throw new UploadRejectedException(413, $"The upload holds {documents.Count} documents; at most {limits.MaxFiles} at once.");
        }

        return documents;
    }

    private IEnumerable<IncomingFile> ExpandZip(string name, byte[] content)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
        }
        catch (InvalidDataException ex)
        {
            throw new UploadRejectedException(400, $"{name} is not a readable zip archive: {ex.Message}");
        }

        using (archive)
        {
            var entries = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            if (entries.Count > limits.MaxZipEntries)
            {
                throw new UploadRejectedException(413, $"{name} holds {entries.Count} files; at most {limits.MaxZipEntries}.");
            }

            long expanded = 0;
            var documents = new List<IncomingFile>();
            foreach (var entry in entries)
            {
                var path = entry.FullName.Replace('\\', '/');
                if (path.StartsWith('/') || path.Split('/').Any(part => part == ".."))
                {
                    throw new UploadRejectedException(400, $"{name}: the entry '{path}' points outside the archive.");
                }

                if (path.Split('/').Any(part => part.StartsWith('.')) || path.StartsWith("__MACOSX/", StringComparison.Ordinal))
                {
                    continue; // hidden files and resource forks are not documents
                }

                var bytes = ReadLimited(entry, limits.MaxFileBytes)
                    ?? throw new UploadRejectedException(413, $"{name}: '{path}' expands beyond {Megabytes(limits.MaxFileBytes)} (a zip bomb?).");
                expanded += bytes.Length;
                if (expanded > limits.MaxExpandedBytes)
                {
                    throw new UploadRejectedException(413, $"{name} expands beyond {Megabytes(limits.MaxExpandedBytes)} (a zip bomb?).");
                }

                if (IsZip(bytes) || Path.GetExtension(path).Equals(".zip", StringComparison.OrdinalIgnoreCase))
                {
                    throw new UploadRejectedException(415, $"{name}: '{path}' is an archive inside the archive; nested archives are not accepted.");
                }

                documents.Add(CheckText($"{Path.GetFileNameWithoutExtension(name)}/{SafeName(path)}", bytes));
            }

            return documents;
        }
    }

    private static byte[]? ReadLimited(ZipArchiveEntry entry, long max)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IncomingFile CheckText(string name, byte[] content)
    {
        var extension = Path.GetExtension(name);
        if (extension.Length > 0 && !TextExtensions.Contains(extension))
        {
            throw new UploadRejectedException(415, $"{name}: {extension} files are not accepted; send text, CSV, JSON, XML or a zip of them.");
        }

        if (content.Length == 0)
        {
            throw new UploadRejectedException(400, $"{name} is empty.");
        }

        var decoded = DocumentDecoder.Decode(content, name);
        if (decoded.Encoding == DocumentDecoder.BinaryEncoding)
        {
            throw new UploadRejectedException(415, $"{name} is not text (its content is binary), whatever its name says.");
        }

        if (decoded.Text.Contains('\uFFFD', StringComparison.Ordinal) && content.AsSpan().IndexOf("\uFFFD"u8) < 0)
        {
            // Text read in an encoding the decoder is unsure of is kept (with a warning on its records); bytes that are
            // text in no encoding it knows are refused.
            throw new UploadRejectedException(415, $"{name} is not text in any encoding the registry reads (UTF-8, UTF-16, Windows-1252, GB18030, Shift_JIS, EUC-KR).");
        }

        return new IncomingFile(name, content);
    }

    private static string SafeName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return name.Length == 0 ? "document.txt" : name.Length > 200 ? name[..200] : name;
    }

    private static bool IsZip(byte[] content) => content.Length >= 4 && content[0] == 0x50 && content[1] == 0x4B && content[2] is 0x03 or 0x05 && content[3] is 0x04 or 0x06;

    private static string Megabytes(long bytes) => $"{bytes / 1024 / 1024} MB";
}
