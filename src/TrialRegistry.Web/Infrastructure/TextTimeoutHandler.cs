using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>
/// When one of the registry's text patterns runs past its time limit while a request is served (very long or unusual
/// text, or a server too busy to finish in time), the answer is 503 ProblemDetails that says so, with a retry hint.
/// Without it the time-out, a <see cref="TimeoutException"/>, would read as the database being down. The text is not
/// logged: it may be a patient's profile.
/// </summary>
public sealed class TextTimeoutHandler(IProblemDetailsService problemDetails, ILogger<TextTimeoutHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if ((exception as RegexMatchTimeoutException ?? exception.InnerException as RegexMatchTimeoutException) is not { } timeout)
        {
            return false;
        }

        logger.LogWarning("A text pattern ran past its time limit of {Limit} while serving {Path}", timeout.MatchTimeout, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Reading the request's text took too long",
                Detail = "A text pattern ran past its time limit, which very long or unusual text, or a busy server, can cause. Try again; if it recurs, shorten the text.",
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            },
        });
    }
}
