using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Ingestion.Knowledge;

/// <summary>How a place was named: the country itself, a region of it, a region's postal code, or a city.</summary>
public enum PlaceKind
{
    Country,
    Region,
    RegionCode,
    City,
}

/// <summary>A place named in a text and the country it is in.</summary>
public sealed record PlaceMention(string Country, PlaceKind Kind, int Index, int Length);

/// <summary>
/// Countries, regions and cities (<c>Knowledge/places.json</c>), for reading where a trial's sites are: a country by
/// its name or the other names documents use ("USA", "P.R. China"), a region by name ("Maryland", "Jiangsu") or by
/// its postal code after a city ("Houston, TX"), a city that hosts trial sites ("Wuhan").
/// </summary>
public static class Gazetteer
{
    private sealed record CountryEntry(string Name, List<string>? Aliases);

    private sealed record RegionEntry(string Name, string? Abbreviation, string Country);

    private sealed record CityEntry(string Name, string Country);

    private static readonly List<CountryEntry> Countries = KnowledgeFiles.Entries<CountryEntry>("places.json", "countries").ToList();
    private static readonly List<RegionEntry> Regions = KnowledgeFiles.Entries<RegionEntry>("places.json", "regions").ToList();
    private static readonly List<CityEntry> Cities = KnowledgeFiles.Entries<CityEntry>("places.json", "cities").ToList();

    private static readonly Dictionary<string, (string Country, PlaceKind Kind)> ByName = BuildIndex();

    // Names of three letters or fewer ("US", "UK", "USA") match only as written; longer names ignore case.
    private static readonly PhraseIndex<(string Country, PlaceKind Kind)> Names = BuildPhrases();

    private static PhraseIndex<(string Country, PlaceKind Kind)> BuildPhrases()
    {
        var index = new PhraseIndex<(string, PlaceKind)>();
        foreach (var (name, hit) in ByName)
        {
            index.Add(name, hit, matchCase: name.Count(char.IsLetterOrDigit) <= 3);
        }

        return index;
    }

    // "Houston, TX", "Worcester, MA 01655", "New York, NY": a postal region code after a comma.
    private static readonly Regex RegionCode = new(
        @",\s*(?<code>[A-Z]{2})(?=\s+\d{5}|\s*(?:$|[,;)·|\n]|\s+(?:USA|US|United States)\b))",
        RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Dictionary<string, string> RegionCodes = Regions
        .Where(r => r.Abbreviation is not null)
        .GroupBy(r => r.Abbreviation!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Country, StringComparer.Ordinal);

    /// <summary>The canonical country for a country's name or alias, else null.</summary>
    public static string? Country(string? name)
    {
        var key = Text.TextClean.Fold(name)?.Trim(' ', '.', ',', ';');
        if (key is null)
        {
            return null;
        }

        return Names.TryGet(key, out var hit) && hit.Kind == PlaceKind.Country ? hit.Country : null;
    }

    /// <summary>Every place named in the text, in order; overlapping names keep the longest.</summary>
    public static IReadOnlyList<PlaceMention> Mentions(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var found = Names.Find(text).Select(h => new PlaceMention(h.Value.Country, h.Value.Kind, h.Index, h.Length)).ToList();
        try
        {
            foreach (Match m in RegionCode.Matches(text))
            {
                if (RegionCodes.TryGetValue(m.Groups["code"].Value, out var country))
                {
                    found.Add(new PlaceMention(country, PlaceKind.RegionCode, m.Groups["code"].Index, 2));
                }
            }
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("locations", ex);
        }

        var kept = new List<PlaceMention>();
        foreach (var p in found.OrderBy(p => p.Index).ThenByDescending(p => p.Length))
        {
            if (kept.Count == 0 || p.Index >= kept[^1].Index + kept[^1].Length)
            {
                kept.Add(p);
            }
        }

        return kept;
    }

    private static Dictionary<string, (string, PlaceKind)> BuildIndex()
    {
        var index = new Dictionary<string, (string, PlaceKind)>(StringComparer.OrdinalIgnoreCase);
        // Countries first: a name that is both a country and a city or region is the country.
        foreach (var c in Countries)
        {
            foreach (var name in (c.Aliases ?? []).Prepend(c.Name))
            {
                index.TryAdd(name, (c.Name, PlaceKind.Country));
            }
        }

        foreach (var r in Regions)
        {
            index.TryAdd(r.Name, (r.Country, PlaceKind.Region));
        }

        foreach (var city in Cities)
        {
            index.TryAdd(city.Name, (city.Country, PlaceKind.City));
        }

        return index;
    }
}
