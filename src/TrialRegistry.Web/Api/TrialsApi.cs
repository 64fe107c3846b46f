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

    /// <summary>
    /// The public read API, grouped by resource: <c>/trials</c> (search, records, history), <c>/changes</c> and
    /// <c>/export</c> (keeping a copy), <c>/antigens</c> and <c>/conditions</c> (vocabularies). Every group answers GET
    /// and HEAD to any origin, with ETags and 304s; the search's parameters are checked by <see cref="SearchRequestFilter"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapTrialsApi(this IEndpointRouteBuilder app)
    {
        var trials = app.MapPublicReadGroup("/api/v1/trials").WithTags("Trials");
        trials.MapRead("", SearchAsync)
            .AddEndpointFilter(SearchRequestFilter.ForTrials)
            .WithName("SearchTrials")
            .WithSummary("Search trials")
            .WithDescription("Filters combine (AND); several values of one filter are alternatives (OR). Keyset paging: pass nextPageToken back as pageToken with the same filters. format=csv returns the same fields as CSV, with the next page token in the X-Next-Page-Token header. format=atom returns the search as an Atom feed of the trials whose record changed here last (up to 50, newest first), to follow it.")
            .Produces<TrialSearchResponse>(contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        trials.MapRead("/{id}", GetAsync).WithName("GetTrial").WithSummary("One trial's full normalized record (ETag; If-None-Match answers 304)");
        trials.MapRead("/{id}/versions", VersionsAsync).WithName("GetTrialVersions").WithSummary("The record's history, newest first");
        trials.MapRead("/{id}/versions/{version:int}", VersionAsync).WithName("GetTrialVersion")
            .WithSummary("The record as it stood at one version, in the shape of GET /trials/{id}");
        trials.MapRead("/{id}/fhir", FhirApi.ReadAsync).WithName("GetTrialFhir").WithSummary("The trial as an HL7 FHIR R4 ResearchStudy (also at /fhir/ResearchStudy/{id})")
            .Produces(StatusCodes.Status200OK, contentType: FhirExport.ContentType);

        var changes = app.MapPublicReadGroup("/api/v1/changes").WithTags("Sync");
        changes.MapRead("", ChangesApi.ChangesAsync).WithName("ListChanges")
            .WithSummary("The trials created, updated, withdrawn or merged since a token, in order, for keeping a copy")
            .WithDescription("Start without since (from the beginning), then pass nextToken back as since. Every change appears once and in the same order on every read; an empty page keeps its token: poll with it. A change shows once every transaction that began before it has ended.");
        var export = app.MapPublicReadGroup("/api/v1/export").WithTags("Sync");
        export.MapRead("", ChangesApi.ExportAsync).WithName("ExportTrials")
            .WithSummary("Every current trial record as NDJSON (one JSON object a line), streamed")
            .WithDescription("The trials that are neither withdrawn nor merged, in the shape of GET /trials/{id} without sourceDocuments, read at one consistent moment. To keep a copy: take a change-feed token (GET /changes, to its end), export, then follow the feed from that token.")
            .Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson");

        app.MapPublicReadGroup("/api/v1/antigens").WithTags("Vocabularies")
            .MapRead("", AntigensAsync).WithName("ListAntigens").WithSummary("Target antigens with their synonyms and trial counts");
        app.MapPublicReadGroup("/api/v1/conditions").WithTags("Vocabularies")
            .MapRead("", ConditionsAsync).WithName("ListConditions").WithSummary("Condition names with trial counts (q: part of a name)");
        return app;
    }

    /// <summary>A group of the public read API: rate-limited, readable from any origin, answered 304 by <see cref="ConditionalGet"/>.</summary>
    internal static RouteGroupBuilder MapPublicReadGroup(this IEndpointRouteBuilder app, string prefix)
    {
        var group = app.MapGroup(prefix)
            .RequireRateLimiting(RateLimitPolicy)
            .RequireCors(PublicReadCors)
            .AddEndpointFilter<ConditionalGet>();
        group.ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    /// <summary>A read endpoint: GET, and HEAD for the same headers without the body.</summary>
    internal static RouteHandlerBuilder MapRead(this RouteGroupBuilder group, string pattern, Delegate handler) =>
        group.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Head], handler);

    /// <summary>The search; its parameters were checked by <see cref="SearchRequestFilter"/> before it runs.</summary>
    private static async Task<Results<Ok<TrialSearchResponse>, JsonHttpResult<System.Text.Json.Nodes.JsonNode>, FileContentHttpResult, ContentHttpResult, ValidationProblem>> SearchAsync(
        [AsParameters] TrialSearchRequest request, TrialSearch search, HttpContext http, RegistryDbContext db,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var query = request.ToQuery();
        var atom = string.Equals(request.Format?.Trim(), "atom", StringComparison.OrdinalIgnoreCase);
        if (atom)
        {
            // A feed: the trials changed here last, one page.
            query = query with { Sort = TrialSort.Changed, Direction = null, PageSize = Math.Min(query.PageSize, AtomFeed.MaxEntries), CountTotal = false, Facets = false };
        }
        var result = await search.SearchAsync(query, cancellationToken);
        if (result.PlaceNotFound)
        {
            return SearchRequestFilter.PlaceNotFound(query);
        }

        if (atom)
        {
            return TypedResults.Content(await AtomFeed.WriteAsync(db, [.. result.Trials.Select(t => t.RegistryId)], http, cancellationToken), AtomFeed.ContentType + "; charset=utf-8");
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
        string id, [FromKeyedServices(RegistryReads.Key)] TrialReader reader, HttpContext http, CancellationToken cancellationToken)
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
        string id, [FromKeyedServices(RegistryReads.Key)] TrialReader reader, CancellationToken cancellationToken) =>
        await reader.VersionsAsync(id, cancellationToken) is { } versions ? TypedResults.Ok(versions) : NotFound(id);

    private static async Task<Results<Ok<TrialDetail>, ProblemHttpResult>> VersionAsync(
        string id, int version, [FromKeyedServices(RegistryReads.Key)] TrialReader reader, CancellationToken cancellationToken) =>
        await reader.VersionAsync(id, version, cancellationToken) is { } detail
            ? TypedResults.Ok(detail)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such version", detail: $"Trial '{id}' has no version {version}.");

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

    internal static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "No such trial",
        detail: $"No trial has the registry id '{id}'.", extensions: new Dictionary<string, object?> { ["id"] = id });
}
