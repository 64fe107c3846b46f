using System.Globalization;
using System.Text.RegularExpressions;

namespace TrialRegistry.Data.Search;

/// <summary>A point a distance search measures from, and how the page names it.</summary>
public sealed record Place(double Latitude, double Longitude, string Label)
{
    /// <summary>The radius of the sphere earthdistance measures on (its <c>earth()</c>), so that distances here agree with PostgreSQL's.</summary>
    public const double EarthRadiusKm = 6378.168;

    /// <summary>The great-circle distance to a point in kilometres (on the sphere earthdistance uses, so that it agrees with the search's distances).</summary>
    public double KilometresTo(double latitude, double longitude)
    {
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
/// ClinicalTrials.gov sites export and API records carry each site's coordinates) as the facet index holds them:
/// a postal code or a city is where its sites are, on average (<see cref="SiteIndex"/>).
/// </summary>
internal static partial class PlaceFinder
{
    [GeneratedRegex(@"^\s*(?<lat>[-+]?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(?<lon>[-+]?\d{1,3}(?:\.\d+)?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Coordinates();

    /// <param name="sites">The snapshot whose sites say where postal codes and cities are (not read for coordinates).</param>
    public static async Task<Place?> FindAsync(string? text, Func<Task<FacetSnapshot>> sites)
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

        var snapshot = await sites();
        if (text.Any(char.IsDigit) && text.Length <= 12 && snapshot.FindPostalCode(text) is { } postal)
        {
            return postal;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? null : snapshot.FindCity(parts[0], parts[1..]);
    }
}
