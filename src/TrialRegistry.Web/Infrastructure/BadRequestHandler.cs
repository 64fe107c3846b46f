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
