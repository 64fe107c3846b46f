using System.Globalization;
using System.Text.Encodings.Web;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>
/// Errors a person meets in the browser come as a page, not as JSON: a request for a page (outside <c>/api/</c> and
/// <c>/swagger</c>) whose Accept header prefers HTML gets the problem's status, title and detail in the site's
/// layout, with where to go next. The API, and any client that asks for JSON, keep ProblemDetails.
/// </summary>
public sealed class HtmlProblemWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context)
    {
        var request = context.HttpContext.Request;
        if (request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase) || request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // A browser's Accept names text/html before any JSON type.
        var accept = request.Headers.Accept.ToString();
        var html = accept.IndexOf("text/html", StringComparison.OrdinalIgnoreCase);
        var json = accept.IndexOf("json", StringComparison.OrdinalIgnoreCase);
        return html >= 0 && (json < 0 || html < json);
    }

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var status = problem.Status ?? http.Response.StatusCode;
        var title = problem.Title ?? (status == StatusCodes.Status404NotFound ? "Page not found" : "Something went wrong");
        var detail = problem.Detail ?? status switch
        {
            StatusCodes.Status404NotFound => "There is no page at this address.",
            StatusCodes.Status403Forbidden => "Your account may not do this.",
            _ => null,
        };
        var retry = http.Response.Headers.RetryAfter.ToString();
        var encoder = HtmlEncoder.Default;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{encoder.Encode(title)} · TrialRegistry</title><link rel="stylesheet" href="/css/site.css" /></head>
            <body>
            <header class="site"><a class="brand" href="/">TrialRegistry</a><span class="tagline">CAR-T clinical trials</span></header>
            <main id="main">
            <h1>{encoder.Encode(title)}</h1>
            <p class="error-status">Error {status}</p>
            {(detail is null ? "" : $"<p>{encoder.Encode(detail)}</p>")}
            {(retry.Length > 0 ? $"<p>Please wait {encoder.Encode(retry)} seconds, then try again.</p>" : "")}
            <p><a href="/">Search trials</a></p>
            </main>
            </body>
            </html>
            """), http.RequestAborted);
    }
}
