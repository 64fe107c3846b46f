using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Search;
using TrialRegistry.Web.Api;

namespace TrialRegistry.Web.Pages;

/// <summary>
/// The clinicians' search: the same request, validator and search as <c>GET /api/v1/trials</c>; the whole search
/// lives in the URL (a GET form), so it can be bookmarked and works without JavaScript.
/// </summary>
public sealed class IndexModel(TrialSearch search, IValidator<TrialSearchRequest> validator, RegistryDbContext db) : PageModel
{
    public const int PageSize = 20;

    public TrialSearchRequest SearchRequest { get; private set; } = new();
    public TrialQuery Query { get; private set; } = new();
    public TrialSearchResult? Result { get; private set; }
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public bool RegistryEmpty { get; private set; }
    public bool Searching { get; private set; }

    public async Task OnGetAsync([FromQuery] TrialSearchRequest request, CancellationToken cancellationToken)
    {
        SearchRequest = request;
        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            Errors = validation.Errors.Select(e => e.ErrorMessage).Distinct().ToList();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var query = request.ToQuery();
        Query = query with
        {
            PageSize = string.IsNullOrWhiteSpace(request.PageSize) ? PageSize : query.PageSize,
            Facets = true,
            CountTotal = true,
            // A page link kept from another search starts this one from the top.
            After = query.After?.Fingerprint == query.Fingerprint() ? query.After : null,
        };
        Searching = Query.HasCriteria;
        Result = await search.SearchAsync(Query, cancellationToken);
        RegistryEmpty = Result.TotalCount == 0 && !Searching && !await db.Trials.AnyAsync(cancellationToken);
    }

    /// <summary>Whether a filter value is in the current search (for checked boxes and selected options).</summary>
    public bool Has(IReadOnlyList<string> values, string value) => values.Contains(value, StringComparer.OrdinalIgnoreCase);

    public int CountOf(IReadOnlyList<FacetValue>? facet, string value) =>
        facet?.FirstOrDefault(f => string.Equals(f.Value, value, StringComparison.OrdinalIgnoreCase))?.Count ?? 0;

    /// <summary>The URL of this search with other query values (null removes one).</summary>
    public string Link(params (string Key, string? Value)[] changes)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(HttpContext.Request.QueryString.Value);
        var pairs = query.Where(q => changes.All(c => c.Key != q.Key))
            .SelectMany(q => q.Value.Where(v => !string.IsNullOrEmpty(v)).Select(v => new KeyValuePair<string, string>(q.Key, v!)))
            .Concat(changes.Where(c => c.Value is not null).Select(c => new KeyValuePair<string, string>(c.Key, c.Value!)))
            .ToList();
        return "/" + new Microsoft.AspNetCore.Http.Extensions.QueryBuilder(pairs).ToQueryString();
    }

}
