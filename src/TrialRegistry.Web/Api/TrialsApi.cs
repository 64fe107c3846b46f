using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Search;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Web.Infrastructure;

namespace TrialRegistry.Web.Api;

/// <summary>A page of search results. <c>nextPageToken</c> is present only when more results exist.</summary>
public sealed record TrialSearchResponse(
    IReadOnlyList<TrialSummary> Trials,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextPageToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? TotalCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TrialFacets? Facets);

public sealed record AntigenCount(string Symbol, string Name, IReadOnlyList<string> Synonyms, int TrialCount);

public sealed record ConditionCount(string Name, int TrialCount);

/// <summary>The read API for integrators: search, records, history, vocabularies and exports, under <c>/api/v1</c>.</summary>
public static class TrialsApi
{
    public const string RateLimitPolicy = "api";
    public const string PublicReadCors = "public-read";
    public const long MaxPreviewBytes = 10 * 1024 * 1024;

    public static IEndpointRouteBuilder MapTrialsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1")
            .WithTags("Trials")
            .RequireRateLimiting(RateLimitPolicy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .AddEndpointFilter<ConditionalGet>();

        api.MapRead("/trials", SearchAsync)
            .RequireCors(PublicReadCors)
            .WithName("SearchTrials")
            .WithSummary("Search trials")
            .WithDescription("Filters combine (AND); several values of one filter are alternatives (OR). Keyset paging: pass nextPageToken back as pageToken with the same filters. format=csv returns the same fields as CSV, with the next page token in the X-Next-Page-Token header.")
            .Produces<TrialSearchResponse>(contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        api.MapRead("/trials/{id}", GetAsync).RequireCors(PublicReadCors).WithName("GetTrial").WithSummary("One trial's full normalized record (ETag; If-None-Match answers 304)");
        api.MapRead("/trials/{id}/versions", VersionsAsync).RequireCors(PublicReadCors).WithName("GetTrialVersions").WithSummary("The record's history, newest first");
        api.MapRead("/trials/{id}/versions/{version:int}", VersionAsync).RequireCors(PublicReadCors).WithName("GetTrialVersion")
            .WithSummary("The record as it stood at one version, in the shape of GET /trials/{id}");
        api.MapRead("/trials/{id}/fhir", FhirAsync).RequireCors(PublicReadCors).WithName("GetTrialFhir").WithSummary("The trial as an HL7 FHIR R4 ResearchStudy")
            .Produces(StatusCodes.Status200OK, contentType: FhirExport.ContentType);
        api.MapRead("/changes", ChangesAsync).RequireCors(PublicReadCors).WithName("ListChanges")
            .WithSummary("The trials created, updated, withdrawn or merged since a token, in order, for keeping a copy")
            .WithDescription("Start without since (from the beginning), then pass nextToken back as since. Every change appears once and in the same order on every read; an empty page keeps its token: poll with it. A change shows once every transaction that began before it has ended.");
        api.MapRead("/export", ExportAsync).RequireCors(PublicReadCors).WithName("ExportTrials")
            .WithSummary("Every current trial record as NDJSON (one JSON object a line), streamed")
            .WithDescription("The trials that are neither withdrawn nor merged, in the shape of GET /trials/{id} without sourceDocuments, read at one consistent moment. To keep a copy: take a change-feed token (GET /changes, to its end), export, then follow the feed from that token.")
            .Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson");
        api.MapRead("/antigens", AntigensAsync).RequireCors(PublicReadCors).WithName("ListAntigens").WithSummary("Target antigens with their synonyms and trial counts");
        api.MapRead("/conditions", ConditionsAsync).RequireCors(PublicReadCors).WithName("ListConditions").WithSummary("Condition names with trial counts (q: part of a name)");
        api.MapPost("/documents/preview", PreviewAsync).WithName("PreviewDocument")
            .WithSummary("Parse a document and return what was understood, without storing it")
            .WithDescription("Send the document as multipart/form-data (field 'file') or as the raw request body (fileName in the query). The answer is the parse contract: one object per trial record. Nothing is stored.")
            .Accepts<IFormFile>("multipart/form-data", "*/*")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Ok<ChangePage>, ValidationProblem>> ChangesAsync(
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
    private static async Task ExportAsync(HttpContext http, RegistryExport export, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
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

    /// <summary>A read endpoint: GET, and HEAD for the same headers without the body.</summary>
    private static RouteHandlerBuilder MapRead(this RouteGroupBuilder group, string pattern, Delegate handler) =>
        group.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], handler);

    private static async Task<Results<Ok<TrialSearchResponse>, JsonHttpResult<System.Text.Json.Nodes.JsonNode>, FileContentHttpResult, ValidationProblem>> SearchAsync(
        [AsParameters] TrialSearchRequest request, IValidator<TrialSearchRequest> validator, TrialSearch search, HttpContext http,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        if (TrialSearchRequest.StrictnessProblems(http.Request.Query) is { Count: > 0 } unknown)
        {
            return TypedResults.ValidationProblem(unknown, title: "The search parameters are not valid");
        }

        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.ToDictionary(), title: "The search parameters are not valid");
        }

        var query = request.ToQuery();
        if (query.After is { } after && after.Fingerprint != query.Fingerprint())
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["pageToken"] = ["The pageToken belongs to another query; repeat the same filters and sort, or start again without it."] },
                title: "The search parameters are not valid");
        }

        var result = await search.SearchAsync(query, cancellationToken);
        if (result.PlaceNotFound)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["near"] = [$"'{query.Near}' is not a place the registry knows: give latitude,longitude, a postal code, or a city where trials run (\"Boston\", \"Cambridge, United Kingdom\")."] },
                title: "The search parameters are not valid");
        }

        if (string.Equals(request.Format?.Trim(), "csv", StringComparison.OrdinalIgnoreCase))
        {
            if (result.NextPageToken is not null)
            {
                http.Response.Headers["X-Next-Page-Token"] = result.NextPageToken;
            }

            if (result.TotalCount is { } total)
            {
                http.Response.Headers["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return TypedResults.File(CsvExport.Trials(result.Trials, TrialSearchRequest.Split(request.Fields).ToHashSet(StringComparer.Ordinal)), "text/csv; charset=utf-8", "trials.csv");
        }

        var response = new TrialSearchResponse(result.Trials, result.NextPageToken, result.TotalCount, result.Facets);
        if (TrialSearchRequest.Split(request.Fields) is { Count: > 0 } fields)
        {
            // Only the fields asked for (registryId always): the same answer with the rest of each trial left out.
            var keep = fields.Append("registryId").ToHashSet(StringComparer.Ordinal);
            var node = System.Text.Json.JsonSerializer.SerializeToNode(response, json.Value.SerializerOptions)!;
            foreach (var trial in node["trials"]!.AsArray().Select(t => t!.AsObject()))
            {
                foreach (var name in trial.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
                {
                    trial.Remove(name);
                }
            }

            return TypedResults.Json(node, json.Value.SerializerOptions);
        }

        return TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<TrialDetail>, RedirectHttpResult, ProblemHttpResult>> GetAsync(
        string id, TrialReader reader, HttpContext http, CancellationToken cancellationToken)
    {
        var trial = await reader.GetAsync(id, cancellationToken);
        if (trial is null)
        {
            return NotFound(id);
        }

        if (trial.MergedInto is { } mergedInto)
        {
            // A copy found to be a registered trial: integrators keeping a copy follow the permanent redirect to the one record.
            return TypedResults.Redirect($"{http.Request.PathBase}/api/v1/trials/{Uri.EscapeDataString(mergedInto)}", permanent: true, preserveMethod: true);
        }

        // A document that adds nothing new still joins the record's sources (and supersedes its older copy), so they count.
        var documents = $"{trial.SourceDocuments.Count}.{trial.SourceDocuments.Count(d => d.Superseded)}.{(trial.SourceDocuments.Count == 0 ? 0 : trial.SourceDocuments.Max(d => d.Id))}";
        // The record's own tag; ConditionalGet answers If-None-Match with it.
        http.Response.Headers.ETag = $"\"v{trial.Version}-{trial.ContentHash[..16]}-{documents}\"";
        return TypedResults.Ok(trial);
    }

    private static async Task<Results<Ok<IReadOnlyList<TrialVersionSummary>>, ProblemHttpResult>> VersionsAsync(
        string id, TrialReader reader, CancellationToken cancellationToken) =>
        await reader.VersionsAsync(id, cancellationToken) is { } versions ? TypedResults.Ok(versions) : NotFound(id);

    private static async Task<Results<Ok<TrialDetail>, ProblemHttpResult>> VersionAsync(
        string id, int version, TrialReader reader, CancellationToken cancellationToken) =>
        await reader.VersionAsync(id, version, cancellationToken) is { } detail
            ? TypedResults.Ok(detail)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such version", detail: $"Trial '{id}' has no version {version}.");

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> FhirAsync(string id, TrialReader reader, CancellationToken cancellationToken) =>
        await reader.GetAsync(id, cancellationToken) is { } trial
            ? TypedResults.Content(FhirExport.ToJson(trial), FhirExport.ContentType)
            : NotFound(id);

    private static async Task<Ok<List<AntigenCount>>> AntigensAsync(RegistryDbContext db, CancellationToken cancellationToken)
    {
        var antigens = await db.TargetAntigens.AsNoTracking()
            .Select(a => new AntigenCount(a.Symbol, a.Name, a.Synonyms, a.Trials.Count(t => !t.Withdrawn)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(antigens.OrderByDescending(a => a.TrialCount).ThenBy(a => a.Symbol, StringComparer.Ordinal).ToList());
    }

    private static async Task<Results<Ok<List<ConditionCount>>, ValidationProblem>> ConditionsAsync(
        RegistryDbContext db, CancellationToken cancellationToken, string? q = null, string? limit = null)
    {
        var max = 100;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.CultureInfo.InvariantCulture, out max) || max is < 1 or > 1000))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"'{limit}' is not a limit; give a whole number from 1 to 1000."] });
        }

        if (q is { Length: > 200 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["At most 200 characters."] });
        }

        var conditions = db.Conditions.AsNoTracking().Where(c => db.Trials.Any(t => t.Id == c.TrialId && !t.Withdrawn));
        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = "%" + TrialSearch.EscapeLike(q.Trim()) + "%";
            conditions = conditions.Where(c => EF.Functions.ILike(c.Name, pattern, "\\"));
        }

        var counts = await conditions.GroupBy(c => c.Name)
            .Select(g => new { Name = g.Key, TrialCount = g.Select(c => c.TrialId).Distinct().Count() })
            .OrderByDescending(c => c.TrialCount).ThenBy(c => c.Name)
            .Take(max)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(counts.Select(c => new ConditionCount(c.Name, c.TrialCount)).ToList());
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PreviewAsync(HttpRequest request, CancellationToken cancellationToken, string? fileName = null)
    {
        if (request.ContentLength > MaxPreviewBytes)
        {
            return TooLarge();
        }

        byte[] bytes;
        if (request.HasFormContentType)
        {
            var form = await FormFiles.ReadFormAsync(request, cancellationToken);
            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
            if (file is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No document",
                    detail: "Send the document in a multipart field named 'file'.");
            }

            if (file.Length > MaxPreviewBytes)
            {
                return TooLarge();
            }

            fileName = Path.GetFileName(file.FileName);
            bytes = await FormFiles.BytesAsync(file, cancellationToken);
        }
        else
        {
            using var buffer = new MemoryStream();
            var read = new byte[81920];
            int n;
            while ((n = await request.Body.ReadAsync(read, cancellationToken)) > 0)
            {
                if (buffer.Length + n > MaxPreviewBytes)
                {
                    return TooLarge();
                }

                buffer.Write(read, 0, n);
            }

            bytes = buffer.ToArray();
            fileName = fileName is null ? null : Path.GetFileName(fileName);
        }

        if (bytes.Length == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No document",
                detail: "The request holds no document: send it as the body or in a multipart field named 'file'.");
        }

        var parsed = DocumentParser.Default.Parse(bytes, fileName);
        return TypedResults.Content(ParseOutput.ToJson(parsed.Records), "application/json");
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Document too large",
        detail: $"A document may be at most {MaxPreviewBytes / 1024 / 1024} MB.");

    private static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "No such trial",
        detail: $"No trial has the registry id '{id}'.", extensions: new Dictionary<string, object?> { ["id"] = id });
}
