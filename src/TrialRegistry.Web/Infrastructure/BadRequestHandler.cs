using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>
/// A request the server cannot read is the client's error, answered with its 4xx and ProblemDetails, never a 500:
/// a body over the size limit (413), a malformed or cut-off multipart body, a form past its limits (400).
/// <see cref="FormFiles.ReadFormAsync"/> turns what form reading throws into <see cref="BadHttpRequestException"/>.
/// </summary>
public sealed class BadRequestHandler(IProblemDetailsService problemDetails, ILogger<BadRequestHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        logger.LogInformation("Unreadable request to {Path}: {Status} {Reason}", httpContext.Request.Path, bad.StatusCode, bad.Message);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request is too large" : "The request could not be read",
                Detail = bad.Message,
            },
        });
    }
}

/// <summary>
/// Requests refused before they reach an endpoint, each with ProblemDetails saying why: a URL longer than
/// <see cref="MaxUrlLength"/> (414) or headers larger than <see cref="MaxHeaderBytes"/> (431), which Kestrel would
/// refuse with an empty body at its own (higher, <see cref="ServerLimit"/>) limits; and a NUL character in the path
/// or a query value (400): PostgreSQL text cannot hold one and no registry value has one, so it would otherwise
/// fail inside a query.
/// </summary>
public static class RequestShapeGuard
{
    public const int MaxUrlLength = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Kestrel's own limits, above these, so that the guard answers first.</summary>
    public const int ServerLimit = 64 * 1024;

    public static IApplicationBuilder UseRequestShapeGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var urlLength = request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
        var headerBytes = request.Headers.Sum(h => h.Key.Length + h.Value.Sum(v => v?.Length ?? 0) + 4);
        var (status, title, detail) = urlLength > MaxUrlLength
            ? (StatusCodes.Status414UriTooLong, "The URL is too long", $"The path and query may be at most {MaxUrlLength} characters; this one has {urlLength}.")
            : headerBytes > MaxHeaderBytes
                ? (StatusCodes.Status431RequestHeaderFieldsTooLarge, "The request headers are too large", $"The headers may be at most {MaxHeaderBytes} bytes together.")
                : NulIn(request) is { } where
                    ? (StatusCodes.Status400BadRequest, "The request holds a NUL character", $"A NUL character (%00) in {where} cannot be searched for; remove it.")
                    : (0, null, null);
        if (status == 0)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    });

    private static string? NulIn(HttpRequest request) =>
        request.Path.Value?.Contains('\0', StringComparison.Ordinal) == true
            ? "the path"
            : request.Query.FirstOrDefault(q => q.Key.Contains('\0', StringComparison.Ordinal) || q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)).Key is { } key
                ? $"the parameter '{key.Replace("\0", "\\0", StringComparison.Ordinal)}'"
                : null;
}
