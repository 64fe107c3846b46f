using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Search;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Web.Api;
using TrialRegistry.Web.Pages.Shared;

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

    /// <summary>The diseases the condition box was read as (preferred names), when its words name known diseases.</summary>
    public IReadOnlyList<string> ConditionMeaning => ConditionFilter.Of(Query.Conditions)?.ConceptNames ?? [];
    public TrialSearchResult? Result { get; private set; }
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public bool RegistryEmpty { get; private set; }
    public bool Searching { get; private set; }

    /// <summary>What the search words mean: registry numbers, text, antigens named.</summary>
    public SearchWords Words { get; private set; } = SearchWords.None;
    /// <summary>Antigens the words name that are not the antigen filter yet ("trials that target CD19?").</summary>
    public IReadOnlyList<AntigenInWords> AntigenSuggestions { get; private set; } = [];
    /// <summary>For a search that found nothing: each filter with the count the search gives without it.</summary>
    public IReadOnlyList<Relaxation> Relaxations { get; private set; } = [];
    /// <summary>The words with misspellings corrected from the registry's vocabulary, and what they find.</summary>
    public (string Text, int Count)? Correction { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery] TrialSearchRequest request, CancellationToken cancellationToken)
    {
        SearchRequest = request;
        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            Errors = validation.Errors.Select(e => e.ErrorMessage).Distinct().ToList();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
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
        Words = SearchWords.Read(Query.Text);
        Result = await search.SearchAsync(Query, cancellationToken);
        if (Result.PlaceNotFound)
        {
            Errors = [$"“{Query.Near}” is not a place the registry knows. Give a city where trials run (“Boston”, “Cambridge, United Kingdom”), a postal code, or latitude,longitude."];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // A registry number pasted in the box goes straight to its trial.
        if (Words.OnlyIds && Result.Trials is [var only] && Result.TotalCount == 1)
        {
            return Redirect($"/trials/{Uri.EscapeDataString(only.RegistryId)}");
        }

        AntigenSuggestions = Words.Antigens
            .Where(a => !Query.Antigens.Any(f => string.Equals(AntigenVocabulary.Find(f)?.Symbol ?? f, a.Symbol, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (Result.TotalCount == 0 && Searching)
        {
            Relaxations = await search.RelaxationsAsync(Query, cancellationToken);
            if (await search.CorrectSpellingAsync(Query.Text, cancellationToken) is { } corrected)
            {
                var found = await search.SearchAsync(Query with { Text = corrected, After = null, PageSize = 1, Facets = false }, cancellationToken);
                Correction = found.TotalCount > 0 ? (corrected, found.TotalCount.Value) : null;
            }
        }

        RegistryEmpty = Result.TotalCount == 0 && !Searching && !await db.Trials.AnyAsync(cancellationToken);
        return Page();
    }

    /// <summary>How a dropped filter reads: "the words “…”", "target CD19", "Phase 3".</summary>
    public string Describe(Relaxation relaxation) => relaxation.Parameters[0] switch
    {
        "q" => $"the words “{Query.Text}”",
        "antigen" => "target " + string.Join(" or ", Query.Antigens),
        var parameter when SearchFilters.Choice(parameter) is { } filter => filter.Describe(Query.Chosen(filter)),
        "condition" => "condition " + string.Join(" or ", Query.Conditions.Select(c => $"“{c}”")),
        "doseMin" => "the dose range",
        "country" => string.Join(" or ", Query.Countries),
        "city" => "city " + string.Join(" or ", Query.Cities),
        "region" => "region " + string.Join(" or ", Query.Regions),
        "near" => $"within {Query.DistanceKm:0} km of {Query.Near}",
        "sex" => $"patient sex {Display.Name(Query.Sex)}",
        "age" => $"patient age {Query.Age}",
        var other => other,
    };

    /// <summary>This search from the API as CSV: the same parameters, up to 1,000 trials.</summary>
    public string CsvLink()
    {
        // Only what the API reads: it refuses parameters it does not know (a page's other query values would be refused).
        var ignored = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(HttpContext.Request.QueryString.Value).Keys
            .Where(k => !Api.TrialSearchRequest.ParameterNames.Contains(k) || k is "facets")
            .Select(k => (k, (string?)null));
        var link = Link([.. ignored, ("pageToken", null), ("pageSize", "1000"), ("format", "csv")]);
        return "/api/v1/trials" + link[1..];
    }

    /// <summary>This search as an Atom feed to follow: the same filters, its trials that changed last.</summary>
    public string FeedLink()
    {
        var ignored = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(HttpContext.Request.QueryString.Value).Keys
            .Where(k => !Api.TrialSearchRequest.ParameterNames.Contains(k) || k is "facets" or "sort" or "pageSize")
            .Select(k => (k, (string?)null));
        var link = Link([.. ignored, ("pageToken", null), ("format", "atom")]);
        return "/api/v1/trials" + link[1..];
    }

    /// <summary>This search without a filter's parameters (from the first page).</summary>
    public string LinkWithout(Relaxation relaxation) =>
        Link([.. relaxation.Parameters.Select(p => (p, (string?)null)), ("pageToken", null)]);

    /// <summary>The words without the antigen's name, and the antigen as a filter.</summary>
    public string LinkForAntigen(AntigenInWords antigen)
    {
        var rest = string.Join(' ', (Query.Text ?? string.Empty).Replace(antigen.Typed, " ", StringComparison.OrdinalIgnoreCase)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return Link([.. Query.Antigens.Append(antigen.Symbol).Select(a => ("antigen", (string?)a)), ("q", rest.Length > 0 ? rest : null), ("pageToken", null)]);
    }

    /// <summary>A vocabulary filter's control: its chosen values and counts in this search.</summary>
    public ChoiceShown Shown(ChoiceFilter filter) => new(filter, Query.Chosen(filter), Result?.Facets?.Of(filter));

    /// <summary>Whether a filter value is in the current search (for checked boxes and selected options).</summary>
    public static bool Has(IReadOnlyList<string> values, string value) => values.Contains(value, StringComparer.OrdinalIgnoreCase);

    public static int CountOf(IReadOnlyList<FacetValue>? facet, string value) =>
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

/// <summary>What the page's control of a vocabulary filter shows: the filter, the values chosen, and each value's count.</summary>
public sealed record ChoiceShown(ChoiceFilter Filter, IReadOnlyList<string> Chosen, IReadOnlyList<FacetValue>? Counts);
