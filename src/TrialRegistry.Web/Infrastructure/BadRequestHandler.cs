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
/// PostgreSQL text cannot hold a NUL character, and no registry value has one: a path or query value with one is
/// refused with 400 before it reaches a query (it would otherwise fail inside the database).
/// </summary>
public static class NulCharacterGuard
{
    public static IApplicationBuilder UseNulCharacterGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var bad = request.Path.Value?.Contains('\0', StringComparison.Ordinal) == true
            ? "the path"
            : request.Query.FirstOrDefault(q => q.Key.Contains('\0', StringComparison.Ordinal) || q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)).Key is { } key
                ? $"the parameter '{key.Replace("\0", "\\0", StringComparison.Ordinal)}'"
                : null;
        if (bad is null)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request holds a NUL character",
                Detail = $"A NUL character (%00) in {bad} cannot be searched for; remove it.",
            },
        });
    });
}
