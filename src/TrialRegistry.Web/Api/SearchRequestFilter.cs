using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using TrialRegistry.Data.Search;

namespace TrialRegistry.Web.Api;

/// <summary>
/// Checks a search's parameters before its endpoint runs, for every endpoint that searches with
/// <see cref="TrialSearchRequest"/> (the trial search and the FHIR Bundle search): a parameter the endpoint does not
/// read, a single-value parameter given twice, a value the validator refuses, a page token of another query. Any of
/// these answers 400 ValidationProblem naming the parameter, and the search does not run.
/// </summary>
public sealed class SearchRequestFilter : IEndpointFilter
{
    public const string Title = "The search parameters are not valid";

    /// <summary>The trial search: every parameter of <see cref="TrialSearchRequest"/>.</summary>
    public static SearchRequestFilter ForTrials { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    private readonly IReadOnlyDictionary<string, string> notHere;

    /// <param name="notHere">Parameters of <see cref="TrialSearchRequest"/> this endpoint does not take, each with why.</param>
    public SearchRequestFilter(IReadOnlyDictionary<string, string> notHere) => this.notHere = notHere;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<TrialSearchRequest>().Single();
        var http = context.HttpContext;
        var problems = TrialSearchRequest.StrictnessProblems(http.Request.Query);
        foreach (var name in http.Request.Query.Keys.Where(notHere.ContainsKey))
        {
            problems[name] = [notHere[name]];
        }

        if (problems.Count == 0)
        {
            var validation = await http.RequestServices.GetRequiredService<IValidator<TrialSearchRequest>>().ValidateAsync(request, http.RequestAborted);
            problems = validation.ToDictionary().ToDictionary(StringComparer.Ordinal);
        }

        if (problems.Count == 0 && request.ToQuery() is { After: { } after } query && after.Fingerprint != query.Fingerprint())
        {
            problems["pageToken"] = ["The pageToken belongs to another query; repeat the same filters and sort, or start again without it."];
        }

        return problems.Count > 0 ? TypedResults.ValidationProblem(problems, title: Title) : await next(context);
    }

    /// <summary>The answer when <c>near</c> names a place the registry cannot locate (known only once the search has looked).</summary>
    public static ValidationProblem PlaceNotFound(TrialQuery query) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["near"] = [$"'{query.Near}' is not a place the registry knows: give latitude,longitude, a postal code, or a city where trials run (\"Boston\", \"Cambridge, United Kingdom\")."] },
        title: Title);
}
