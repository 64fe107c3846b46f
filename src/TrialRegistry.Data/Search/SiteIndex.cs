using System.Runtime.CompilerServices;

namespace TrialRegistry.Data.Search;

/// <summary>One site of a trial as the searches by place read it: its city, region and country as written, and its coordinates.</summary>
internal readonly record struct SiteRow(string? City, string? Region, string? Country, string? PostalCode, double? Latitude, double? Longitude);

/// <summary>
/// Every live trial's sites, as a <see cref="FacetSnapshot"/> holds them for the searches by place: by city, by region,
/// within a distance, and the place a city name means. Sites are grouped by trial position (trial i's sites are
/// [start[i], start[i+1])); names are codes into one table of the names written (the same name in another case is
/// another code, as SQL's grouping keeps it), with each code's lower case beside it. An index is never changed once
/// built: an update builds the next one, sharing the name table, which only grows and only while a snapshot is built.
/// Its scans are compiled optimised from their first call (AggressiveOptimization): a search by place calls them once,
/// and without it the first few dozen searches would run them as the JIT's quick first code.
/// </summary>
internal sealed class SiteIndex
{
    private const int None = -1;

    /// <summary>The name table's codes, shared by the indexes built one after another (only written while one is built).</summary>
    private readonly Dictionary<string, int> _codes;
    private readonly string[] _names;
    private readonly string[] _lowerNames;
    /// <summary>Each name as a postal code compares (see <see cref="PostalKey"/>).</summary>
    private readonly string[] _postalKeys;
    private readonly int[] _start;
    private readonly int[] _city;
    private readonly int[] _region;
    private readonly int[] _country;
    private readonly int[] _postalCode;
    private readonly double[] _latitude;
    private readonly double[] _longitude;

    /// <summary>The geocoded sites in latitude order, with their trials' positions: a distance search reads the band of its circle.</summary>
    private readonly Lazy<(double[] Latitudes, int[] Sites, int[] Trials)> _byLatitude;

    private SiteIndex(Dictionary<string, int> codes, string[] names, string[] lowerNames, string[] postalKeys, int[] start, int[] city, int[] region, int[] country, int[] postalCode, double[] latitude, double[] longitude)
    {
        (_codes, _names, _lowerNames, _postalKeys, _start, _city, _region, _country, _postalCode, _latitude, _longitude) = (codes, names, lowerNames, postalKeys, start, city, region, country, postalCode, latitude, longitude);
        _byLatitude = new(OrderByLatitude);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double[] Latitudes, int[] Sites, int[] Trials) OrderByLatitude()
    {
        var (latitudes, sites, trials) = (new List<double>(), new List<int>(), new int[_latitude.Length]);
        for (var i = 0; i + 1 < _start.Length; i++)
        {
            for (var s = _start[i]; s < _start[i + 1]; s++)
            {
                trials[s] = i;
                if (!double.IsNaN(_latitude[s]))
                {
                    latitudes.Add(_latitude[s]);
                    sites.Add(s);
                }
            }
        }

        var (keys, items) = (latitudes.ToArray(), sites.ToArray());
        Array.Sort(keys, items);
        return (keys, items, trials);
    }

    /// <summary>An index of no sites, with a name table of its own.</summary>
    public static SiteIndex Empty() => new(new Dictionary<string, int>(StringComparer.Ordinal), [], [], [], [0], [], [], [], [], [], []);

    /// <summary>
    /// The index for a snapshot of <paramref name="size"/> trials: the first <paramref name="oldSize"/> positions keep
    /// their sites unless cleared; <paramref name="changed"/> gives the sites of the positions read again or new.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SiteIndex With(int size, int oldSize, HashSet<int> cleared, Dictionary<int, List<SiteRow>> changed)
    {
        bool Kept(int i) => i < oldSize && !cleared.Contains(i) && !changed.ContainsKey(i);
        var start = new int[size + 1];
        for (var i = 0; i < size; i++)
        {
            start[i + 1] = start[i] + (changed.TryGetValue(i, out var rows) ? rows.Count : Kept(i) ? _start[i + 1] - _start[i] : 0);
        }

        var names = new List<string>(_names);
        var lowerNames = new List<string>(_lowerNames);
        var postalKeys = new List<string>(_postalKeys);
        int Code(string? name)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                return None;
            }

            if (!_codes.TryGetValue(name, out var code) || code >= names.Count || !string.Equals(names[code], name, StringComparison.Ordinal))
            {
                // A code this index's table does not give the name was added by an index since discarded: add it again here.
                code = names.Count;
                _codes[name] = code;
                names.Add(name);
                lowerNames.Add(name.Trim().ToLowerInvariant());
                postalKeys.Add(PostalKey(name));
            }

            return code;
        }

        var count = start[size];
        var (city, region, country, postalCode) = (new int[count], new int[count], new int[count], new int[count]);
        var (latitude, longitude) = (new double[count], new double[count]);
        for (var i = 0; i < size; i++)
        {
            if (changed.TryGetValue(i, out var rows))
            {
                for (var s = 0; s < rows.Count; s++)
                {
                    var at = start[i] + s;
                    var row = rows[s];
                    (city[at], region[at], country[at], postalCode[at]) = (Code(row.City), Code(row.Region), Code(row.Country), Code(row.PostalCode));
                    (latitude[at], longitude[at]) = row is { Latitude: { } lat, Longitude: { } lon } ? (lat, lon) : (double.NaN, double.NaN);
                }
            }
            else if (Kept(i))
            {
                var length = _start[i + 1] - _start[i];
                Array.Copy(_city, _start[i], city, start[i], length);
                Array.Copy(_region, _start[i], region, start[i], length);
                Array.Copy(_country, _start[i], country, start[i], length);
                Array.Copy(_postalCode, _start[i], postalCode, start[i], length);
                Array.Copy(_latitude, _start[i], latitude, start[i], length);
                Array.Copy(_longitude, _start[i], longitude, start[i], length);
            }
        }

        return new SiteIndex(_codes, [.. names], [.. lowerNames], [.. postalKeys], start, city, region, country, postalCode, latitude, longitude);
    }

    /// <summary>The positions of the trials with a site whose city (or, with <paramref name="region"/>, region) is one of the names, any case.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public List<int> NamedIn(IReadOnlyCollection<string> wanted, bool region)
    {
        var codes = CodesOf(wanted);
        var names = region ? _region : _city;
        var found = new List<int>();
        for (var i = 0; i + 1 < _start.Length; i++)
        {
            for (var s = _start[i]; s < _start[i + 1]; s++)
            {
                if (names[s] != None && codes[names[s]])
                {
                    found.Add(i);
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>Which codes are one of the names, any case (by code).</summary>
    private bool[] CodesOf(IEnumerable<string> wanted)
    {
        var lower = wanted.Select(w => w.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        return CodesWhere(code => lower.Contains(_lowerNames[code]));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool[] CodesWhere(Func<int, bool> predicate)
    {
        var codes = new bool[_names.Length];
        for (var code = 0; code < _names.Length; code++)
        {
            codes[code] = predicate(code);
        }

        return codes;
    }

    /// <summary>A postal code as the search compares it: its letters and digits, upper case ("02115-1234" → "021151234").</summary>
    private static string PostalKey(string code) => new string([.. code.Where(char.IsLetterOrDigit)]).ToUpperInvariant();

    /// <summary>
    /// Where a postal code is: the average of the geocoded sites that give it, compared by letters and digits in any
    /// case ("sw1a 1aa" is "SW1A1AA"), or by the part before a dash ("02115" finds "02115-1234"). Null when no geocoded
    /// site gives it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Place? FindPostalCode(string text)
    {
        var key = PostalKey(text);
        var head = text.Trim().ToUpperInvariant();
        var codes = CodesWhere(code => _postalKeys[code] == key
            || (_names[code].IndexOf('-', StringComparison.Ordinal) is var dash and >= 0 && _names[code][..dash].ToUpperInvariant() == head));
        var (latitude, longitude, sites) = (0.0, 0.0, 0);
        string? city = null, region = null, country = null;
        static string? First(string? known, int code, string[] names) =>
            code == None ? known : known is null || string.CompareOrdinal(names[code], known) < 0 ? names[code] : known;
        for (var s = 0; s < _postalCode.Length; s++)
        {
            if (_postalCode[s] != None && codes[_postalCode[s]] && !double.IsNaN(_latitude[s]))
            {
                (latitude, longitude, sites) = (latitude + _latitude[s], longitude + _longitude[s], sites + 1);
                (city, region, country) = (First(city, _city[s], _names), First(region, _region[s], _names), First(country, _country[s], _names));
            }
        }

        if (sites == 0)
        {
            return null;
        }

        return new Place(latitude / sites, longitude / sites, $"{text.Trim()} ({Label(city, region, country)})");
    }

    /// <summary>The positions of the trials with a geocoded site within <paramref name="km"/> of the place, each with its nearest such site's distance.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Dictionary<int, double> Within(Place place, double km)
    {
        // A box around the circle first, a little wider than it, the exact distance after. The circle's longitudes
        // span asin(sin r / cos latitude) either side; one that reaches a pole spans them all.
        const double Margin = 1e-6;
        var radians = km / Place.EarthRadiusKm;
        var latitudeSpan = radians * 180 / Math.PI + Margin;
        var (south, north) = (place.Latitude - latitudeSpan, place.Latitude + latitudeSpan);
        var ratio = Math.Sin(Math.Min(radians, Math.PI / 2)) / Math.Cos(place.Latitude * Math.PI / 180);
        var longitudeSpan = radians >= Math.PI / 2 || ratio >= 1 || north >= 90 || south <= -90 ? 360 : Math.Asin(ratio) * 180 / Math.PI * 1.0001 + Margin;
        var found = new Dictionary<int, double>();
        var (latitudes, sites, trials) = _byLatitude.Value;
        var first = Array.BinarySearch(latitudes, south);
        first = first < 0 ? ~first : first;
        while (first > 0 && latitudes[first - 1] >= south)
        {
            first--; // one of several equal latitudes was found: start at the first
        }

        for (var k = first; k < latitudes.Length && latitudes[k] <= north; k++)
        {
            var s = sites[k];
            var east = Math.Abs(_longitude[s] - place.Longitude);
            if (Math.Min(east, 360 - east) > longitudeSpan)
            {
                continue;
            }

            var distance = place.KilometresTo(latitudes[k], _longitude[s]);
            var i = trials[s];
            if (distance <= km && (!found.TryGetValue(i, out var nearest) || distance < nearest))
            {
                found[i] = distance;
            }
        }

        return found;
    }

    /// <summary>
    /// Where a city is: the average of its geocoded sites ("Boston"), or of those in the region or country the
    /// qualifiers name ("Cambridge, United Kingdom"). A name shared by cities of several countries is the one with the
    /// most sites; its country's sites are averaged whatever region they give. Null when no geocoded site is there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Place? FindCity(string city, IReadOnlyList<string> qualifiers)
    {
        var wanted = CodesOf([city]);
        var groups = new Dictionary<(int Region, int Country), (int City, double Latitude, double Longitude, int Sites)>();
        for (var s = 0; s < _city.Length; s++)
        {
            if (_city[s] == None || !wanted[_city[s]] || double.IsNaN(_latitude[s]))
            {
                continue;
            }

            var key = (_region[s], _country[s]);
            var group = groups.TryGetValue(key, out var known) ? known : (City: _city[s], Latitude: 0.0, Longitude: 0.0, Sites: 0);
            // The city as written: the first in ordinal order of the ways its sites write it.
            var name = string.CompareOrdinal(_names[_city[s]], _names[group.City]) < 0 ? _city[s] : group.City;
            groups[key] = (name, group.Latitude + _latitude[s], group.Longitude + _longitude[s], group.Sites + 1);
        }

        string? Name(int code) => code == None ? null : _names[code];
        bool Says(int code, string qualifier) => code != None && string.Equals(_names[code], qualifier, StringComparison.OrdinalIgnoreCase);
        var chosen = groups
            .Where(g => qualifiers.All(q => Says(g.Key.Region, q) || Says(g.Key.Country, q)))
            .OrderByDescending(g => g.Value.Sites).ThenBy(g => Name(g.Key.Country), StringComparer.Ordinal).ThenBy(g => Name(g.Key.Region), StringComparer.Ordinal)
            .ToList();
        if (chosen.Count == 0)
        {
            return null;
        }

        var first = chosen[0];
        var same = chosen.Where(g => g.Key.Country == first.Key.Country).ToList();
        var sites = same.Sum(g => g.Value.Sites);
        return new Place(same.Sum(g => g.Value.Latitude) / sites, same.Sum(g => g.Value.Longitude) / sites, Label(Name(first.Value.City), Name(first.Key.Region), Name(first.Key.Country)));
    }

    /// <summary>How a place is named: its city, region and country, those given, each once ("Boston, Massachusetts, United States").</summary>
    private static string Label(string? city, string? region, string? country) =>
        string.Join(", ", new[] { city, region, country }.Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.OrdinalIgnoreCase));
}
