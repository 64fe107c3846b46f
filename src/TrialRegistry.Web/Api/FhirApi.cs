using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Search;
using Task = System.Threading.Tasks.Task;

namespace TrialRegistry.Web.Api;

/// <summary>
/// The registry as a small read-only FHIR R4 server under <c>/api/v1/fhir</c>, for integrators whose tools speak FHIR:
/// read a ResearchStudy, search them (a searchset Bundle, with the trial search's own parameters and paging), and
/// export them all in the Bulk Data way (kick-off, status, NDJSON file). Errors stay ProblemDetails, as in the rest
/// of the API.
/// </summary>
public static class FhirApi
{
    public const string NdjsonContentType = "application/fhir+ndjson";

    /// <summary>The trial search's parameters that do not fit a Bundle, each with why.</summary>
    private static readonly Dictionary<string, string> NotInBundles = new(StringComparer.Ordinal)
    {
        ["format"] = "A FHIR search answers a Bundle in FHIR JSON; for CSV use GET /api/v1/trials?format=csv.",
        ["fields"] = "A FHIR search answers whole ResearchStudy resources; for chosen fields use GET /api/v1/trials?fields=….",
        ["facets"] = "A Bundle has no place for facet counts; ask GET /api/v1/trials?facets=true.",
    };

    private static readonly JsonSerializerOptions FhirJson = new JsonSerializerOptions().ForFhir();

    private static readonly string[] ExportParameters = ["_type", "_since", "_outputFormat"];

    public static IEndpointRouteBuilder MapFhirApi(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapPublicReadGroup("/api/v1/fhir").WithTags("FHIR");
        fhir.MapRead("/ResearchStudy/{id}", ReadAsync).WithName("ReadResearchStudy")
            .WithSummary("FHIR read: one trial as an R4 ResearchStudy")
            .Produces(StatusCodes.Status200OK, contentType: FhirExport.ContentType);
        fhir.MapRead("/ResearchStudy", SearchAsync)
            .AddEndpointFilter(new SearchRequestFilter(NotInBundles))
            .WithName("SearchResearchStudies")
            .WithSummary("FHIR search: a searchset Bundle of ResearchStudy resources")
            .WithDescription("Takes the parameters of GET /api/v1/trials (antigen, phase, status, condition, place, q, sort, pageSize, pageToken, countTotal) except format, fields and facets. The Bundle's next link carries the page token; total is given with countTotal=true.")
            .Produces(StatusCodes.Status200OK, contentType: FhirExport.ContentType);
        fhir.MapRead("/$export", KickOff).WithName("StartFhirExport")
            .WithSummary("FHIR Bulk Data kick-off: every current trial as ResearchStudy NDJSON (header Prefer: respond-async)")
            .WithDescription("_type (ResearchStudy only), _since (an instant: only trials changed after it), _outputFormat (application/fhir+ndjson). Answers 202 with Content-Location: the status URL, whose manifest names the file. The file holds the trials as they were at the manifest's transactionTime; a trial changed later is left out and comes with the next export whose _since is that transactionTime.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();
        fhir.MapRead("/$export-status/{job}", Status).WithName("GetFhirExportStatus")
            .WithSummary("FHIR Bulk Data status: the export's manifest (the export is ready at once: it is read while it is downloaded)")
            .Produces<BulkExportManifest>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        fhir.MapDelete("/$export-status/{job}", Cancel).WithName("CancelFhirExport")
            .WithSummary("FHIR Bulk Data cancel: nothing is kept for an export, so this only acknowledges it")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound);
        fhir.MapRead("/$export-output/{job}/ResearchStudy.ndjson", OutputAsync).WithName("GetFhirExportFile")
            .WithSummary("FHIR Bulk Data output: the ResearchStudy resources, one a line, streamed")
            .Produces(StatusCodes.Status200OK, contentType: NdjsonContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>One trial as a ResearchStudy (also <c>GET /trials/{id}/fhir</c>).</summary>
    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReadAsync(string id, [FromKeyedServices(RegistryReads.Key)] TrialReader reader, CancellationToken cancellationToken) =>
        await reader.GetAsync(id, cancellationToken) is { } trial
            ? TypedResults.Content(FhirExport.ToJson(trial), FhirExport.ContentType)
            : TrialsApi.NotFound(id);

    /// <summary>The search; its parameters were checked by <see cref="SearchRequestFilter"/> before it runs.</summary>
    private static async Task<Results<ContentHttpResult, ValidationProblem>> SearchAsync(
        [AsParameters] TrialSearchRequest request, TrialSearch search, RegistryExport records, HttpContext http, CancellationToken cancellationToken)
    {
        var query = request.ToQuery();
        var result = await search.SearchAsync(query, cancellationToken);
        if (result.PlaceNotFound)
        {
            return SearchRequestFilter.PlaceNotFound(query);
        }

        var trials = await records.ReadAsync(result.Trials.Select(t => t.RegistryId).ToList(), cancellationToken);
        var self = Absolute(http, http.Request.Path + http.Request.QueryString);
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Timestamp = DateTimeOffset.UtcNow,
            Total = result.TotalCount,
        };
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = self });
        if (result.NextPageToken is { } next)
        {
            var parameters = http.Request.Query.Where(p => p.Key != "pageToken").SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
                .Append(new KeyValuePair<string, string?>("pageToken", next));
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = Absolute(http, QueryHelpers.AddQueryString(http.Request.Path, parameters)) });
        }

        bundle.Entry.AddRange(trials.Select(trial => new Bundle.EntryComponent
        {
            FullUrl = Absolute(http, $"/api/v1/fhir/ResearchStudy/{Uri.EscapeDataString(trial.RegistryId)}"),
            Resource = FhirExport.ToResearchStudy(trial),
            Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
        }));
        return TypedResults.Content(bundle.ToJson(), FhirExport.ContentType);
    }

    /// <summary>
    /// Bulk Data kick-off: checks the request and answers 202 with the status URL of an export that is ready at once.
    /// Its transactionTime is the moment every earlier change had committed (<see cref="RegistryExport.SettledMomentAsync"/>),
    /// so exports chained by _since miss nothing.
    /// </summary>
    private static async Task<Results<Accepted, ValidationProblem>> KickOff(HttpContext http, RegistryExport records, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var name in query.Keys.Where(k => !ExportParameters.Contains(k)))
        {
            errors[name] = [$"'{name}' is not a parameter of this export; the parameters are: {string.Join(", ", ExportParameters)}."];
        }

        foreach (var name in query.Keys.Where(k => ExportParameters.Contains(k) && query[k].Count > 1))
        {
            errors[name] = [$"'{name}' takes one value and was given {query[name].Count}; give it once."];
        }

        if (!http.Request.Headers["Prefer"].ToString().Contains("respond-async", StringComparison.OrdinalIgnoreCase))
        {
            errors["Prefer"] = ["A Bulk Data export is asynchronous: send the header 'Prefer: respond-async'."];
        }

        if (query["_type"].ToString() is { Length: > 0 } types && types.Split(',', StringSplitOptions.TrimEntries).Any(t => t != "ResearchStudy"))
        {
            errors["_type"] = [$"'{types}' names a resource type the registry does not hold; it exports ResearchStudy only."];
        }

        if (query["_outputFormat"].ToString() is { Length: > 0 } format && format is not (NdjsonContentType or "application/ndjson" or "ndjson"))
        {
            errors["_outputFormat"] = [$"'{format}' is not an output format of this export; it writes {NdjsonContentType}."];
        }

        DateTimeOffset? since = null;
        if (query["_since"].ToString() is { Length: > 0 } sinceText)
        {
            if (DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) && sinceText.Contains('T', StringComparison.Ordinal))
            {
                since = parsed.ToUniversalTime();
            }
            else
            {
                errors["_since"] = [$"'{sinceText}' is not a FHIR instant; write it as 2026-11-30T00:00:00Z."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The export request is not valid");
        }

        var job = new ExportJob(since, await records.SettledMomentAsync(cancellationToken), http.Request.Path + http.Request.QueryString);
        http.Response.Headers.ContentLocation = Absolute(http, $"/api/v1/fhir/$export-status/{job.Encode()}");
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>The manifest of Bulk Data's complete-status answer.</summary>
    public sealed record BulkExportManifest(DateTimeOffset TransactionTime, string Request, bool RequiresAccessToken, IReadOnlyList<BulkExportFile> Output, IReadOnlyList<BulkExportFile> Error);

    public sealed record BulkExportFile(string Type, string Url);

    private static Results<Ok<BulkExportManifest>, ProblemHttpResult> Status(string job, HttpContext http)
    {
        if (ExportJob.Decode(job) is not { } export)
        {
            return UnknownJob();
        }

        http.Response.Headers.Expires = export.Until.AddDays(1).ToString("R", CultureInfo.InvariantCulture);
        return TypedResults.Ok(new BulkExportManifest(
            export.Until,
            Absolute(http, export.Request),
            RequiresAccessToken: false,
            [new BulkExportFile("ResearchStudy", Absolute(http, $"/api/v1/fhir/$export-output/{job}/ResearchStudy.ndjson"))],
            []));
    }

    private static Results<Accepted, ProblemHttpResult> Cancel(string job) =>
        ExportJob.Decode(job) is null ? UnknownJob() : TypedResults.Accepted((string?)null);

    /// <summary>Streams the export's ResearchStudy resources a line at a time, in constant memory.</summary>
    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> OutputAsync(string job, HttpContext http, RegistryExport records, CancellationToken cancellationToken)
    {
        if (ExportJob.Decode(job) is not { } export)
        {
            return UnknownJob();
        }

        http.Response.ContentType = NdjsonContentType;
        http.Response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(http.Request.Method))
        {
            return TypedResults.Empty;
        }

        var newline = "\n"u8.ToArray();
        var written = 0;
        await foreach (var trial in records.ReadAsync(new ExportWindow(export.Since, export.Until), cancellationToken))
        {
            await JsonSerializer.SerializeAsync(http.Response.Body, FhirExport.ToResearchStudy(trial), FhirJson, cancellationToken);
            await http.Response.Body.WriteAsync(newline, cancellationToken);
            if (++written % 500 == 0)
            {
                await http.Response.Body.FlushAsync(cancellationToken);
            }
        }

        return TypedResults.Empty;
    }

    private static ProblemHttpResult UnknownJob() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such export",
        detail: "This is not an export this server started; start one with GET /api/v1/fhir/$export and the header Prefer: respond-async.");

    private static string Absolute(HttpContext http, string pathAndQuery) => ResponseText.Origin(http) + pathAndQuery;

    /// <summary>
    /// An export, carried in its own URLs (nothing is kept on the server): the trials changed after Since and up to
    /// Until (the kick-off's moment, the manifest's transactionTime), and the kick-off request for the manifest.
    /// </summary>
    private sealed record ExportJob(DateTimeOffset? Since, DateTimeOffset Until, string Request)
    {
        public string Encode() => WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(this));

        public static ExportJob? Decode(string text)
        {
            try
            {
                var job = JsonSerializer.Deserialize<ExportJob>(WebEncoders.Base64UrlDecode(text));
                return job is { Request: ['/', ..] } && job.Request.Length < 4096 && !job.Request.Contains('\0', StringComparison.Ordinal) && job.Until > DateTimeOffset.UnixEpoch
                    && (job.Since is null || job.Since <= job.Until)
                    ? job
                    : null;
            }
            catch (Exception ex) when (ex is FormatException or JsonException)
            {
                return null;
            }
        }
    }
}
