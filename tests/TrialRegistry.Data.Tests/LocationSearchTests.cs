using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using TrialRegistry.Data.Search;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>
/// Where a trial runs: the corpus's sites export (facilities with coordinates and postal codes) stored, then searched by
/// city, region and distance; the expected trials are worked out here from the stored coordinates (haversine).
/// </summary>
public sealed class LocationSearchTests(PostgresServer server) : DatabaseTestBase(server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TrialSearchResult> SearchAsync(TrialQuery query)
    {
        await using var db = Db();
        using var index = new FacetIndex(DataSource, NullLogger<FacetIndex>.Instance);
        return await new TrialSearch(db, index).SearchAsync(query with { PageSize = TrialQuery.MaxPageSize, CountTotal = true }, Ct);
    }

    private static double Km(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 2 * 6378.168 * Math.Asin(Math.Sqrt(a)); // earthdistance's earth radius
    }

    [Fact]
    public async Task Sites_keep_their_coordinates_and_distance_city_and_region_find_the_trials_that_run_there()
    {
        Assert.Null((await ImportFileAsync(Path.Combine(SharedPaths.Corpus, "ctgov-csv", "oncology-car-t-sites.csv"))).Error);
        await using var db = Db();
        var sites = await db.Locations.AsNoTracking().Where(l => l.Latitude != null)
            .Select(l => new { l.TrialId, RegistryId = db.Trials.First(t => t.Id == l.TrialId).RegistryId, l.City, l.State, Lat = l.Latitude!.Value, Lon = l.Longitude!.Value, l.PostalCode })
            .ToListAsync(Ct);
        Assert.True(sites.Count > 10_000, $"{sites.Count} sites with coordinates");

        // Within 50 km of coordinates in Boston: exactly the trials with a site that close, nearest first.
        const double lat = 42.3601, lon = -71.0589;
        var expected = sites.Where(s => Km(lat, lon, s.Lat, s.Lon) <= 50).Select(s => s.RegistryId).ToHashSet();
        var near = await SearchAsync(new TrialQuery { Near = "42.3601,-71.0589", DistanceKm = 50, Sort = TrialSort.Distance });
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), near.Trials.Select(t => t.RegistryId).Order());
        Assert.Equal(expected.Count, near.TotalCount);
        var distances = near.Trials.Select(t => t.NearestSite!.DistanceKm).ToList();
        Assert.Equal(distances.Order(), distances);
        Assert.All(near.Trials, t => Assert.InRange(t.NearestSite!.DistanceKm, 0, 50.1));

        // A city typed by name is where its sites are; a postal code is its sites' place.
        var byName = await SearchAsync(new TrialQuery { Near = "boston", DistanceKm = 50 });
        Assert.Contains("Boston", byName.Place!.Label, StringComparison.Ordinal);
        Assert.True(byName.TotalCount >= expected.Count * 0.9, $"{byName.TotalCount} near 'boston', {expected.Count} near its coordinates");
        var zip = sites.First(s => s.City == "Boston" && s.PostalCode is { Length: >= 5 }).PostalCode![..5];
        Assert.NotNull((await SearchAsync(new TrialQuery { Near = zip, DistanceKm = 10 })).Place);
        Assert.True((await SearchAsync(new TrialQuery { Near = "Nowhere-upon-Sea" })).PlaceNotFound);

        // City and region, any case.
        var inHouston = sites.Where(s => string.Equals(s.City, "Houston", StringComparison.OrdinalIgnoreCase)).Select(s => s.RegistryId).ToHashSet();
        Assert.Equal(inHouston.Order(), (await SearchAsync(new TrialQuery { Cities = ["houston"] })).Trials.Select(t => t.RegistryId).Order());
        var texas = await SearchAsync(new TrialQuery { Regions = ["TEXAS"], Cities = ["Houston"] });
        Assert.Equal(inHouston.Order(), texas.Trials.Select(t => t.RegistryId).Order());

        // Ordered by date or distance, the place's trials page without overlap or gap, undated ones last.
        foreach (var (sort, direction) in new (TrialSort, SortDirection?)[]
        {
            (TrialSort.LastUpdated, null), (TrialSort.LastUpdated, SortDirection.Ascending), (TrialSort.StartDate, null), (TrialSort.StartDate, SortDirection.Ascending), (TrialSort.Distance, null),
        })
        {
            var query = new TrialQuery { Near = "Boston", DistanceKm = 400, Sort = sort, Direction = direction };
            var whole = (await SearchAsync(query)).Trials;
            Assert.True(whole.Count > 50, $"{whole.Count} trials within 400 km of Boston");
            var paged = new List<TrialSummary>();
            await using var pagingDb = Db();
            using var index = new FacetIndex(DataSource, NullLogger<FacetIndex>.Instance);
            for (PageCursor? after = null; ;)
            {
                var page = await new TrialSearch(pagingDb, index).SearchAsync(query with { PageSize = 7, After = after }, Ct);
                paged.AddRange(page.Trials);
                if ((after = PageCursor.TryDecode(page.NextPageToken)) is null)
                {
                    break;
                }
            }

            Assert.Equal(whole.Select(t => t.RegistryId), paged.Select(t => t.RegistryId));
            var keys = whole.Select(t => sort switch
            {
                TrialSort.Distance => t.NearestSite!.DistanceKm.ToString("00000.0", System.Globalization.CultureInfo.InvariantCulture),
                TrialSort.StartDate => t.StartDate,
                _ => t.LastUpdated,
            }).ToList();
            var dated = keys.TakeWhile(k => k is not null).ToList();
            Assert.All(keys.Skip(dated.Count), k => Assert.Null(k));
            Assert.Equal(direction == SortDirection.Ascending || sort == TrialSort.Distance ? dated.Order(StringComparer.Ordinal) : dated.OrderDescending(StringComparer.Ordinal), dated);
        }
    }
}
