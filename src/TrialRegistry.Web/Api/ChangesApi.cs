using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TrialRegistry.Data.Search;

namespace TrialRegistry.Web.Api;

/// <summary>For integrators keeping a copy: the change feed (<c>/changes</c>) and the whole registry as NDJSON (<c>/export</c>).</summary>
public static class ChangesApi
{
    internal static async Task<Results<Ok<ChangePage>, ValidationProblem>> ChangesAsync(
        HttpContext http, ChangeFeed feed, CancellationToken cancellationToken, string? since = null, string? limit = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var name in http.Request.Query.Keys.Where(k => k is not "since" and not "limit"))
        {
            errors[name] = [$"'{name}' is not a parameter of the change feed; the parameters are: since, limit."];
        }

        var after = string.IsNullOrEmpty(since) ? null : ChangeToken.TryDecode(since);
        if (!string.IsNullOrEmpty(since) && after is null)
        {
            errors["since"] = ["The token is not one this feed issued; use the nextToken of the previous page, or leave since out to start from the beginning."];
        }

        var size = 100;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size) || size is < 1 or > ChangeFeed.MaxLimit))
        {
            errors["limit"] = [$"'{limit}' is not a page size; give a whole number from 1 to {ChangeFeed.MaxLimit}."];
        }

        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors, title: "The change feed parameters are not valid")
            : TypedResults.Ok(await feed.ReadAsync(after, size, cancellationToken));
    }

    /// <summary>Streams the export a line at a time; never buffered (so not tagged: its body would have to be held to hash it).</summary>
    internal static async Task ExportAsync(HttpContext http, RegistryExport export, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        http.Response.ContentType = "application/x-ndjson; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(http.Request.Method))
        {
            return;
        }

        var newline = "\n"u8.ToArray();
        var written = 0;
        await foreach (var trial in export.ReadAsync(cancellationToken))
        {
            await System.Text.Json.JsonSerializer.SerializeAsync(http.Response.Body, trial, json.Value.SerializerOptions, cancellationToken);
            await http.Response.Body.WriteAsync(newline, cancellationToken);
            if (++written % 500 == 0)
            {
                await http.Response.Body.FlushAsync(cancellationToken);
            }
        }
    }

}
