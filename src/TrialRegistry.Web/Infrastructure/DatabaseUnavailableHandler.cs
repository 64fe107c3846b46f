using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>When the database cannot be reached the answer is 503 ProblemDetails with a retry hint, not a 500.</summary>
public sealed class DatabaseUnavailableHandler(IProblemDetailsService problemDetails, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // A text pattern's time-out is a TimeoutException too: TextTimeoutHandler answers it.
        static bool Database(Exception? e) => e is NpgsqlException { IsTransient: true } || (e is TimeoutException && e is not System.Text.RegularExpressions.RegexMatchTimeoutException);
        var unavailable = Database(exception) || Database(exception.InnerException);
        if (!unavailable)
        {
            return false;
        }

        logger.LogWarning(exception, "Database unavailable while serving {Path}", httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The registry database is unavailable",
                Detail = "The database could not be reached. Try again in a few seconds.",
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            },
        });
    }
}
