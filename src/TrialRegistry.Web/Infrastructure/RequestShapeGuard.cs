using Microsoft.AspNetCore.Mvc;

namespace TrialRegistry.Web.Infrastructure;

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

    /// <summary>
    /// Kestrel's own limits, far above these, so that the guard answers (with a body) every request up to this size;
    /// past it Kestrel refuses the request line or headers before any of the app runs, with a bare 414 or 431.
    /// </summary>
    public const int ServerLimit = 1024 * 1024;

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
