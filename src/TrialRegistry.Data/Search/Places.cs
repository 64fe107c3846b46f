using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;

namespace TrialRegistry.Data.Search;

/// <summary>A point a distance search measures from, and how the page names it.</summary>
public sealed record Place(double Latitude, double Longitude, string Label)
{
    /// <summary>The great-circle distance to a point in kilometres (on the sphere earthdistance uses, so that it agrees with the search's distances).</summary>
    public double KilometresTo(double latitude, double longitude)
    {
        const double EarthRadiusKm = 6378.168; // earthdistance's earth()
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(latitude - Latitude);
        var dLon = Radians(longitude - Longitude);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Radians(Latitude)) * Math.Cos(Radians(latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}

/// <summary>The site of a trial nearest to the place searched from.</summary>
public sealed record NearestSite(string? Facility, string? City, string? Country, double DistanceKm);

/// <summary>
/// Finds the place a clinician types: coordinates ("42.36,-71.06"), a postal code, or a city where trials run
/// ("Boston", "Cambridge, United Kingdom", "Portland, Oregon"), from the registry's own geocoded sites (the
/// ClinicalTrials.gov sites export and API records carry each site's coordinates): a city is where its sites are,
/// on average; a name shared by cities of several countries is the one with the most sites unless the words
/// after the comma say which.
/// </summary>
public sealed partial class PlaceFinder(RegistryDbContext db)
{
    [GeneratedRegex(@"^\s*(?<lat>[-+]?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(?<lon>[-+]?\d{1,3}(?:\.\d+)?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Coordinates();

    private sealed record Found(string? City, string? State, string? Country, double Latitude, double Longitude, int Sites);

    public async Task<Place?> FindAsync(string? text, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (Coordinates().Match(text) is { Success: true } m
            && double.TryParse(m.Groups["lat"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            && double.TryParse(m.Groups["lon"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var lon))
        {
            return lat is >= -90 and <= 90 && lon is >= -180 and <= 180
                ? new Place(lat, lon, string.Create(CultureInfo.InvariantCulture, $"{lat:0.####}, {lon:0.####}"))
                : null;
        }

        if (text.Any(char.IsDigit) && text.Length <= 12)
        {
            var code = new string(text.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
            var byCode = await db.Database.SqlQuery<Found>($"""
                SELECT min(city) AS city, min(state) AS state, min(country) AS country,
                       avg(latitude) AS latitude, avg(longitude) AS longitude, count(*)::int AS sites
                FROM locations
                WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND postal_code IS NOT NULL
                  AND (upper(regexp_replace(postal_code, '[^[:alnum:]]', '', 'g')) = {code}
                       OR (postal_code LIKE '%-%' AND upper(split_part(postal_code, '-', 1)) = {text.ToUpperInvariant()}))
                HAVING count(*) > 0
                """).ToListAsync(cancellationToken);
            if (byCode is [var postal])
            {
                return new Place(postal.Latitude, postal.Longitude, $"{text} ({Label(postal)})");
            }
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return null;
        }

        var city = parts[0].ToLowerInvariant();
        var qualifiers = parts.Skip(1).Select(p => p.ToLowerInvariant()).ToList();
        var cities = await db.Database.SqlQuery<Found>($"""
            SELECT min(city) AS city, state AS state, country AS country,
                   avg(latitude) AS latitude, avg(longitude) AS longitude, count(*)::int AS sites
            FROM locations
            WHERE lower(city) = {city} AND latitude IS NOT NULL AND longitude IS NOT NULL
            GROUP BY lower(city), state, country
            ORDER BY count(*) DESC
            LIMIT 50
            """).ToListAsync(cancellationToken);
        var chosen = cities
            .Where(c => qualifiers.All(q => string.Equals(c.State, q, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Country, q, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (chosen.Count == 0)
        {
            return null;
        }

        // Sites of one city in one country, whatever the region written: the country's sites, averaged.
        var country = chosen[0].Country;
        var same = chosen.Where(c => c.Country == country).ToList();
        var sites = same.Sum(c => c.Sites);
        var latitude = same.Sum(c => c.Latitude * c.Sites) / sites;
        var longitude = same.Sum(c => c.Longitude * c.Sites) / sites;
        return new Place(latitude, longitude, Label(chosen[0]));
    }

    private static string Label(Found found) =>
        string.Join(", ", new[] { found.City, found.State, found.Country }.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.OrdinalIgnoreCase));
}
