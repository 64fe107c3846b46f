using Microsoft.AspNetCore.Mvc;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>The 503 answer of a request the app could not finish for now: ProblemDetails saying why, and a retry hint.</summary>
internal static class ServiceUnavailable
{
    public static async ValueTask<bool> WriteAsync(IProblemDetailsService problemDetails, HttpContext httpContext, string title, string detail, Exception? exception = null)
    {
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = title,
                Detail = detail,
                Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            },
        });
    }
}
