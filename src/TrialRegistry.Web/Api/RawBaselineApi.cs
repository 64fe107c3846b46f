using System.Globalization;
using TrialRegistry.Data.Search;

namespace TrialRegistry.Web.Api;

/// <summary>
/// The benchmark's baseline endpoint, <c>GET /bench/raw/trials</c>, served only when <c>Benchmark:RawEndpoint</c> is
/// true: the same search parameters, answered by <see cref="RawSearch"/> (hand-written SQL on plain Npgsql) with no
/// validation, EF Core, rate limit or facets. What the API costs beyond it is its own overhead.
/// </summary>
public static class RawBaselineApi
{
    public static void MapRawBaseline(this IEndpointRouteBuilder app) =>
        app.MapGet("/bench/raw/trials", async (HttpRequest request, RawSearch raw, CancellationToken cancellationToken) =>
        {
            var q = request.Query;
            double? Number(string name) => double.TryParse(q[name], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
            var query = new TrialQuery
            {
                Antigens = [.. q["antigen"].OfType<string>()],
                Phases = [.. q["phase"].OfType<string>()],
                Statuses = [.. q["status"].OfType<string>()],
                Condition = q["condition"],
                DoseMin = Number("doseMin"),
                DoseMax = Number("doseMax"),
                DoseUnit = q["doseUnit"],
                Text = q["q"],
                PageSize = (int?)Number("pageSize") ?? TrialQuery.DefaultPageSize,
            };
            return TypedResults.Ok(new { trials = await raw.SearchAsync(query, cancellationToken) });
        }).ExcludeFromDescription();
}
