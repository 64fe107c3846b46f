using TrialRegistry.Data.Ingestion;

namespace TrialRegistry.Web.Infrastructure;

public static class FormFiles
{
    /// <summary>Uploaded form files as the intake takes them: name and bytes.</summary>
    public static async Task<List<IncomingFile>> ReadAsync(IEnumerable<IFormFile> files, CancellationToken cancellationToken)
    {
        var incoming = new List<IncomingFile>();
        foreach (var file in files)
        {
            incoming.Add(new IncomingFile(file.FileName, await BytesAsync(file, cancellationToken)));
        }

        return incoming;
    }

    public static async Task<byte[]> BytesAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
