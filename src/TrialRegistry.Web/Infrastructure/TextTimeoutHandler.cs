using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

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
        return await ServiceUnavailable.WriteAsync(problemDetails, httpContext, "Reading the request's text took too long",
            "A text pattern ran past its time limit, which very long or unusual text, or a busy server, can cause. Try again; if it recurs, shorten the text.");
    }
}
