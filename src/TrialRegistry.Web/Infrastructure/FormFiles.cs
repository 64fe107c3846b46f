using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;

namespace TrialRegistry.Web.Infrastructure;

public static class FormFiles
{
    /// <summary>
    /// The request's form; what a client can get wrong in it (no boundary, a body cut short, more fields or longer
    /// values than the limits, a body over the size limit) comes out as <see cref="BadHttpRequestException"/> with its
    /// 4xx, which <see cref="BadRequestHandler"/> answers.
    /// </summary>
    public static async Task<IFormCollection> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            var tooLong = ex.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase);
            throw new BadHttpRequestException($"The form could not be read: {ex.Message}", tooLong ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest, ex);
        }
        catch (IOException ex) when (ex is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new BadHttpRequestException("The form ended before its closing boundary: the multipart body is cut short or malformed.", StatusCodes.Status400BadRequest, ex);
        }
    }

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
