using Microsoft.AspNetCore.Diagnostics;
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
        return await ServiceUnavailable.WriteAsync(problemDetails, httpContext,
            "The registry database is unavailable", "The database could not be reached. Try again in a few seconds.", exception);
    }
}
