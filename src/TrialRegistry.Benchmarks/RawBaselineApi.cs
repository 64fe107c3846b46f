using FluentValidation;
using TrialRegistry.Data.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using TrialRegistry.Data.Search;
using TrialRegistry.Web.Api;

namespace TrialRegistry.Benchmarks;

/// <summary>
/// The benchmark's baseline endpoint, <c>GET /bench/raw/trials</c>, served by the benchmark host beside the app's
/// own API: the search API's parameters, read and checked as the API reads them, answered by <see cref="RawSearch"/>
/// (hand-written SQL on plain Npgsql) with no EF Core, rate limit or facets. What the API costs beyond it is the
/// cost of its own search layers.
/// </summary>
public static class RawBaselineApi
{
    public static void MapRawBaseline(this IEndpointRouteBuilder app) =>
        app.MapGet("/bench/raw/trials", async Task<Results<Ok<RawSearchResponse>, ValidationProblem>> (
            [AsParameters] TrialSearchRequest request, IValidator<TrialSearchRequest> validator, RegistryDataSource database, FacetIndex facetIndex, CancellationToken cancellationToken) =>
        {
            var validation = await validator.ValidateAsync(request, cancellationToken);
            return validation.IsValid
                ? TypedResults.Ok(new RawSearchResponse(await new RawSearch(database.ReadDataSource, facetIndex).SearchAsync(request.ToQuery(), cancellationToken)))
                : TypedResults.ValidationProblem(validation.ToDictionary(), title: "The search parameters are not valid");
        }).ExcludeFromDescription();
}

public sealed record RawSearchResponse(IReadOnlyList<TrialSummary> Trials);
