using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;
using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Data.Search;

public sealed record DoseSummary(string Text, double Value, string Unit);

/// <summary>A trial as a search result shows it.</summary>
public sealed record TrialSummary(
    string RegistryId,
    string? Title,
    string? Status,
    IReadOnlyList<string> Phases,
    IReadOnlyList<string> TargetAntigens,
    IReadOnlyList<string> Conditions,
    IReadOnlyList<string> Routes,
    IReadOnlyList<DoseSummary> DoseLevels,
    int? EnrollmentCount,
    string? StartDate,
    string? LastUpdated,
    string? Modality,
    string? ProductType,
    string Completeness = "FULL")
{
    /// <summary>The youngest and oldest age admitted, in years; null when the sources state none.</summary>
    public int? MinAgeYears { get; init; }
    public int? MaxAgeYears { get; init; }
    /// <summary>ALL, FEMALE or MALE; null when the sources do not say.</summary>
    public string? Sex { get; init; }
    public string? LeadSponsor { get; init; }
    public IReadOnlyList<string> Products { get; init; } = [];
    /// <summary>The countries of the trial's sites.</summary>
    public IReadOnlyList<string> Countries { get; init; } = [];
    /// <summary>What the criteria say of ECOG, prior CAR-T and CNS involvement, when they say it.</summary>
    public IReadOnlyList<ScreeningFact> Screening { get; init; } = [];
    /// <summary>With near: the trial's site nearest to the place, and how far it is.</summary>
    public NearestSite? NearestSite { get; init; }
}

public sealed record FacetValue(string Value, int Count);

/// <summary>Counts per value for the current filters; each facet ignores its own filter, so its other values stay visible.</summary>
public sealed record TrialFacets(
    IReadOnlyList<FacetValue> Antigen,
    IReadOnlyList<FacetValue> Phase,
    IReadOnlyList<FacetValue> Status,
    IReadOnlyList<FacetValue> Condition,
    IReadOnlyList<FacetValue> Route,
    IReadOnlyList<FacetValue> Country,
    IReadOnlyList<FacetValue> Modality,
    IReadOnlyList<FacetValue> ProductType)
{
    /// <summary>Kinds of disease: HEMATOLOGIC_MALIGNANCY, SOLID_TUMOR, AUTOIMMUNE, INFECTION.</summary>
    public IReadOnlyList<FacetValue> Category { get; init; } = [];

    private IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> _choices = new Dictionary<string, IReadOnlyList<FacetValue>>();

    /// <summary>A vocabulary filter's counts.</summary>
    public IReadOnlyList<FacetValue> Of(ChoiceFilter filter) => _choices.GetValueOrDefault(filter.Parameter) ?? [];

    /// <summary>The facets from the counts of antigens, conditions, countries and each vocabulary filter (by parameter).</summary>
    public static TrialFacets Of(
        IReadOnlyList<FacetValue> antigen, IReadOnlyList<FacetValue> condition, IReadOnlyList<FacetValue> country, IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> choices)
    {
        IReadOnlyList<FacetValue> Choice(ChoiceFilter filter) => choices.GetValueOrDefault(filter.Parameter) ?? [];
        return new TrialFacets(antigen, Choice(PhaseFilter.Definition), Choice(StatusFilter.Definition), condition, Choice(RouteFilter.Definition), country,
            Choice(ModalityFilter.Definition), Choice(ProductTypeFilter.Definition))
        {
            Category = Choice(CategoryFilter.Definition),
            _choices = choices,
        };
    }
}

/// <summary>The trials a query's filters pass (trial ids, ascending), and with near, the place they are near.</summary>
public sealed record TrialMatches(IReadOnlyList<long> Ids, Place? Place, bool PlaceNotFound);

/// <summary>A filter of a search (its URL parameters) and how many trials the search gives without it.</summary>
public sealed record Relaxation(IReadOnlyList<string> Parameters, int Count);

public sealed record TrialSearchResult(IReadOnlyList<TrialSummary> Trials, string? NextPageToken, int? TotalCount, TrialFacets? Facets)
{
    /// <summary>With near: the place measured from, as found.</summary>
    public Place? Place { get; init; }
    /// <summary>With near: true when the place was not found (the search then finds nothing).</summary>
    public bool PlaceNotFound { get; init; }
}

/// <summary>
/// The one place trials are searched: the API and the pages both call it. A search with words is SQL over the indexed
/// columns (antigen link table, the vocabulary filters' columns from their <see cref="ChoiceFilter"/> definitions,
/// trigram condition names, dose unit and value, the stored tsvector ranked by RUM, registry numbers); a search without
/// words is filtered and paged by the <see cref="FacetIndex"/>'s snapshot (its bit sets and date orders), and sites by
/// city, region and distance are found in its sites (<see cref="SiteIndex"/>). Paging is keyset paging on the sort key (the distance for the nearest first) and the trial id, so pages
/// never overlap or skip. Totals and facets are counted by the facet index, from memory; a page's summaries are one
/// query.
/// </summary>
public sealed class TrialSearch(RegistryDbContext db, FacetIndex facetIndex)
{
    private const string TextConfig = "english";

    public async Task<TrialSearchResult> SearchAsync(TrialQuery query, CancellationToken cancellationToken = default)
    {
        var (antigenIds, words, version, located) = await PrepareAsync(query, cancellationToken);
        var conditionNames = ConditionFilter.Of(query.Conditions) is { Concepts.Count: > 0 } condition
            ? (await version.SnapshotAsync()).NamesBeyondConcepts(condition)
            : null;

        // Without search words the facet index answers the page: it walks its trials in date order through the filters'
        // bit sets, or (near a place, nearest first) orders the trials every filter passes by distance; no SQL scans a
        // date index hoping to meet a rare combination's trials.
        var noWords = string.IsNullOrWhiteSpace(query.Text);
        IReadOnlyList<long>? matched = null;
        if (located.Ids is not null && noWords && query.EffectiveSort == TrialSort.Distance)
        {
            matched = (await version.SnapshotAsync()).Matching(query, antigenIds, located.Ids);
        }

        var filtered = Filter(query, antigenIds, words, matched ?? (IReadOnlyCollection<long>?)located.Ids, conditionNames);
        var sort = query.EffectiveSort;
        var cursor = query.After;
        // Undated trials come last either way: as the empty string newest first, as the year 9999 oldest first.
        var ascending = query.EffectiveDirection == SortDirection.Ascending;
        var undated = FacetSnapshot.UndatedKey(ascending);

        List<(long Id, string? Key, double? Rank)> page;
        if (sort == TrialSort.Relevance && await facetIndex.RankedTextAsync())
        {
            page = await NearestTextPageAsync(filtered, words.FullText ?? query.Text!, query.Fingerprint(), query.PageSize, cursor, version, cancellationToken);
        }
        else if (sort == TrialSort.Relevance)
        {
            var tsQuery = words.FullText ?? query.Text!;
            // A partial record (a sites list, no design) ranks below full records that match as well.
            var ranked = filtered.Select(t => new
            {
                t.Id,
                Rank = (double)t.SearchVector.Rank(EF.Functions.WebSearchToTsQuery(TextConfig, tsQuery)) * (t.Completeness == "PARTIAL" ? 0.5 : 1.0),
            });
            if (cursor?.Rank is { } rank)
            {
                ranked = ranked.Where(x => x.Rank < rank || (x.Rank == rank && x.Id > cursor.Id));
            }

            page = (await ranked.OrderByDescending(x => x.Rank).ThenBy(x => x.Id).Take(query.PageSize + 1).ToListAsync(cancellationToken))
                .Select(x => (x.Id, (string?)null, (double?)x.Rank)).ToList();
        }
        else if (sort == TrialSort.Changed)
        {
            // A feed's one page: the trials whose record changed here last.
            page = (await filtered.OrderByDescending(t => t.UpdatedAt).ThenBy(t => t.Id).Select(t => t.Id).Take(query.PageSize).ToListAsync(cancellationToken))
                .Select(id => (id, (string?)null, (double?)null)).ToList();
        }
        else if (sort == TrialSort.Distance && located.Km is { } km)
        {
            // Nearest site first: every matching trial's distance is known from the distance search.
            var matching = matched ?? await filtered.Select(t => t.Id).ToListAsync(cancellationToken);
            var ordered = matching.Select(id => (Id: id, Km: km[id])).OrderBy(x => x.Km).ThenBy(x => x.Id).AsEnumerable();
            if (cursor?.Rank is { } after)
            {
                ordered = ordered.Where(x => x.Km > after || (x.Km == after && x.Id > cursor.Id));
            }

            page = ordered.Take(query.PageSize + 1).Select(x => (x.Id, (string?)null, (double?)x.Km)).ToList();
        }
        else if (noWords)
        {
            page = (await version.SnapshotAsync())
                .DatePage(query, antigenIds, located.Ids, startDate: sort == TrialSort.StartDate, ascending, cursor?.Key is { } key ? (key, cursor.Id) : null, query.PageSize + 1)
                .Select(x => (x.Id, (string?)x.Key, (double?)null)).ToList();
        }
        else
        {
            var keyed = sort == TrialSort.StartDate
                ? filtered.Select(t => new { t.Id, Key = t.StartDate ?? undated })
                : filtered.Select(t => new { t.Id, Key = t.LastUpdated ?? undated });
            if (cursor?.Key is { } key)
            {
                keyed = ascending
                    ? keyed.Where(x => string.Compare(x.Key, key) > 0 || (x.Key == key && x.Id > cursor.Id))
                    : keyed.Where(x => string.Compare(x.Key, key) < 0 || (x.Key == key && x.Id > cursor.Id));
            }

            var ordered = ascending ? keyed.OrderBy(x => x.Key) : keyed.OrderByDescending(x => x.Key);
            page = (await ordered.ThenBy(x => x.Id).Take(query.PageSize + 1).ToListAsync(cancellationToken))
                .Select(x => (x.Id, (string?)x.Key, (double?)null)).ToList();
        }

        string? next = null;
        if (page.Count > query.PageSize)
        {
            page.RemoveAt(page.Count - 1);
            var last = page[^1];
            next = new PageCursor(query.Fingerprint(), last.Key, last.Rank, last.Id).Encode();
        }

        var summaries = await SummariesAsync(page.Select(p => p.Id).ToList(), located.Place, cancellationToken);

        if (!query.CountTotal && !query.Facets)
        {
            return new TrialSearchResult(summaries, next, null, null) { Place = located.Place, PlaceNotFound = located.NotFound };
        }

        var snapshot = await version.SnapshotAsync();
        var textMatches = await TextMatchesAsync(query.Text, words, version, cancellationToken);
        var (total, facets) = snapshot.Count(query, antigenIds, Both(textMatches, located.Ids), query.Facets);
        return new TrialSearchResult(summaries, next, query.CountTotal ? total : null, facets) { Place = located.Place, PlaceNotFound = located.NotFound };
    }

    /// <summary>
    /// Every trial the query's filters pass, in id order, from the facet index (the same meaning as the search's SQL):
    /// the candidates a pre-screening ranks, with the place they were found near. A place that cannot be located finds
    /// none and says so.
    /// </summary>
    public async Task<TrialMatches> MatchingIdsAsync(TrialQuery query, CancellationToken cancellationToken = default)
    {
        var (antigenIds, words, version, located) = await PrepareAsync(query, cancellationToken);
        var snapshot = await version.SnapshotAsync();
        var textMatches = await TextMatchesAsync(query.Text, words, version, cancellationToken);
        return new TrialMatches(located.NotFound ? [] : snapshot.Matching(query, antigenIds, Both(textMatches, located.Ids)), located.Place, located.NotFound);
    }

    /// <summary>What every reading of a query starts from: the antigen rows its names mean, its search words, the change version it reads at, and where it looks.</summary>
    private sealed record Prepared(IReadOnlyList<int>? AntigenIds, SearchWords Words, ChangeVersion Version, Located Located);

    private async Task<Prepared> PrepareAsync(TrialQuery query, CancellationToken cancellationToken)
    {
        var version = new ChangeVersion(facetIndex, cancellationToken);
        return new Prepared(await ResolveAntigensAsync(query.Antigens, cancellationToken), SearchWords.Read(query.Text), version, await LocateAsync(query, version, cancellationToken));
    }

    public const int DefaultTextWindow = 4096;

    /// <summary>
    /// How many of the nearest matches the RUM index's ordered scan hands over for one page of a full-text search
    /// (the tests make it small to page across its edge).
    /// </summary>
    public int TextWindow { get; init; } = DefaultTextWindow;

    /// <summary>
    /// A page of the most relevant matches from the RUM index: its ordered scan returns matches nearest first (the
    /// distance is the inverse of the text's rank, the title weighing more than the rest) without reading each match's
    /// tsvector from the table. The order is (distance, id), a partial record (a sites list, no design) at twice its
    /// distance, as the ts_rank order halves its rank. The index orders by distance alone, so a window of the nearest
    /// matches is read and ordered here; it settles every page that ends before its farthest distance. A page past the
    /// window reads one four times as large; a page that ends at the window's farthest distance, where more matches at
    /// that distance may lie beyond it (a word said once in the body of thousands of records), is cut from the matches
    /// ordered in SQL instead, which reads every match once. Windows are kept until the trials change, so the next
    /// pages and the same search again are served from memory.
    /// </summary>
    private async Task<List<(long Id, string? Key, double? Rank)>> NearestTextPageAsync(
        IQueryable<Trial> filtered, string text, string fingerprint, int pageSize, PageCursor? cursor, ChangeVersion version, CancellationToken cancellationToken)
    {
        const int LargestIndexWindow = 65_536;
        var keyed = filtered.Select(t => new
        {
            t.Id,
            Distance = RegistryDbContext.TextDistance(t.SearchVector, EF.Functions.WebSearchToTsQuery(TextConfig, text)),
            Partial = t.Completeness == "PARTIAL",
        });

        async Task<NearestWindow> ReadNearestAsync(int size)
        {
            var rows = await keyed.OrderBy(x => x.Distance).Take(size).ToListAsync(cancellationToken);
            return new NearestWindow(
                [.. rows.Select(x => (x.Id, Key: Key(x.Distance, x.Partial))).OrderBy(x => x.Key).ThenBy(x => x.Id)],
                rows.Count == size ? Key(rows[^1].Distance, partial: false) : null);
        }

        async Task<NearestWindow> ReadOrderedAsync(int size)
        {
            var rows = await keyed.Select(x => new { x.Id, Key = (double)x.Distance * (x.Partial ? 2 : 1) })
                .OrderBy(x => x.Key).ThenBy(x => x.Id).Take(size).ToListAsync(cancellationToken);
            // Every match up to the last row is here, in order: no edge to fear but the end.
            return new NearestWindow([.. rows.Select(x => (x.Id, double.IsFinite(x.Key) ? x.Key : double.MaxValue))], rows.Count == size ? double.MaxValue : null) { Ordered = true };
        }

        // A query of exclusions only ("-1") ranks nothing: RUM's distance is infinite, partial record or not, kept here
        // as the largest number (it orders last, as in SQL, and fits in a page token).
        static double Key(float distance, bool partial) => float.IsFinite(distance) ? distance * (partial ? 2.0 : 1.0) : double.MaxValue;

        for (var size = TextWindow; ; size *= 4)
        {
            var window = await facetIndex.KeptAsync(await version.GetAsync(), $"nearest:{size}:{fingerprint}", () => ReadNearestAsync(size));
            var page = window.PageAfter(cursor, pageSize);
            if (window.Holds(page, pageSize))
            {
                return Found(page);
            }

            if (size >= LargestIndexWindow || (page.Count > pageSize && page[^1].Key >= window.Edge))
            {
                break;
            }
        }

        for (var size = TextWindow; ; size *= 4)
        {
            var window = await facetIndex.KeptAsync(await version.GetAsync(), $"ordered:{size}:{fingerprint}", () => ReadOrderedAsync(size));
            var page = window.PageAfter(cursor, pageSize);
            if (window.Holds(page, pageSize))
            {
                return Found(page);
            }
        }

        static List<(long Id, string? Key, double? Rank)> Found(List<(long Id, double Key)> page) =>
            page.Select(x => (x.Id, (string?)null, (double?)x.Key)).ToList();
    }

    /// <summary>
    /// The first matches of a ranked full-text search in (distance, id) order, and how far they settle the order: read
    /// from the index in distance order, every match past them is at least the farthest one's distance (Edge); ordered
    /// in SQL, every match past them comes after the last (Edge infinite). Edge is null when these are all the matches.
    /// </summary>
    private sealed record NearestWindow(List<(long Id, double Key)> Rows, double? Edge)
    {
        public bool Ordered { get; init; }

        /// <summary>The rows after the cursor, one more than a page.</summary>
        public List<(long Id, double Key)> PageAfter(PageCursor? cursor, int pageSize)
        {
            var start = cursor?.Rank is not { } key ? 0 : Rows.FindIndex(x => x.Key > key || (x.Key == key && x.Id > cursor.Id));
            return start < 0 ? [] : Rows.GetRange(start, Math.Min(pageSize + 1, Rows.Count - start));
        }

        /// <summary>Whether the page is the search's: it has a next row, and no match past the window could come before it.</summary>
        public bool Holds(List<(long Id, double Key)> page, int pageSize) =>
            Edge is not { } edge || (page.Count > pageSize && (Ordered || page[^1].Key < edge));
    }

    /// <summary>The trials the search words alone find, for the facet index (null: no words).</summary>
    private async Task<IReadOnlyCollection<long>?> TextMatchesAsync(string? text, SearchWords words, ChangeVersion version, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(text)
            ? null
            : await facetIndex.KeptAsync<IReadOnlyCollection<long>>(
                await version.GetAsync(),
                "matches:" + text,
                async () => await Filter(new TrialQuery { Text = text }, antigenIds: null, words).Select(t => t.Id).ToListAsync(cancellationToken));

    /// <summary>
    /// The trials' change version as one search reads it: once, when the first thing kept or counted needs it, so the
    /// kept windows, the kept matches and the facet snapshot of one request all answer for the same moment.
    /// </summary>
    private sealed class ChangeVersion(FacetIndex index, CancellationToken cancellationToken)
    {
        private long? _value;

        public async Task<long> GetAsync() => _value ??= await index.ChangeVersionAsync(cancellationToken);

        /// <summary>The facet index's snapshot for this version.</summary>
        public async Task<FacetSnapshot> SnapshotAsync() => await index.SnapshotAsync(await GetAsync(), cancellationToken);
    }

    /// <summary>The trials two id restrictions both allow (null: no restriction).</summary>
    private static IReadOnlyCollection<long>? Both(IReadOnlyCollection<long>? a, IReadOnlyCollection<long>? b) =>
        a is null ? b : b is null ? a : a.Intersect(b).ToList();

    /// <summary>Where the search looks: the place searched from, and the trials with a site in the cities, regions and distance asked for.</summary>
    private sealed record Located(Place? Place, bool NotFound, HashSet<long>? Ids, Dictionary<long, double>? Km)
    {
        public static Located Anywhere { get; } = new(null, false, null, null);
    }

    /// <summary>
    /// The trials with a site in the cities, regions and distance asked for, from the facet index's sites (the same
    /// snapshot as the counts); a distance with each trial's nearest site.
    /// </summary>
    private async Task<Located> LocateAsync(TrialQuery query, ChangeVersion version, CancellationToken cancellationToken)
    {
        if (query.Cities.Count == 0 && query.Regions.Count == 0 && query.Near is null)
        {
            return Located.Anywhere;
        }

        var snapshot = await version.SnapshotAsync();
        HashSet<long>? ids = null;
        void Narrow(IEnumerable<long> found) => ids = ids is null ? [.. found] : [.. ids.Intersect(found)];
        if (query.Cities.Count > 0)
        {
            Narrow(snapshot.NamedIn(query.Cities, region: false));
        }

        if (query.Regions.Count > 0)
        {
            Narrow(snapshot.NamedIn(query.Regions, region: true));
        }

        if (query.Near is null)
        {
            return new Located(null, false, ids, null);
        }

        var place = await PlaceFinder.FindAsync(query.Near, () => Task.FromResult(snapshot));
        if (place is null)
        {
            return new Located(null, true, [], new Dictionary<long, double>());
        }

        var km = snapshot.Within(place, query.DistanceKm);
        Narrow(km.Keys);
        return new Located(place, false, ids, km);
    }

    /// <summary>The place a clinician typed (coordinates, a postal code, a city where trials run), or null when it is not found.</summary>
    public async Task<Place?> FindPlaceAsync(string? text, CancellationToken cancellationToken = default) =>
        await PlaceFinder.FindAsync(text, new ChangeVersion(facetIndex, cancellationToken).SnapshotAsync);

    /// <summary>
    /// For a search that found nothing: how many trials each of its filters, dropped alone, would give (counted from
    /// the facet index), so the page can say which filter emptied the result and offer to drop it.
    /// </summary>
    public async Task<IReadOnlyList<Relaxation>> RelaxationsAsync(TrialQuery query, CancellationToken cancellationToken = default)
    {
        var (antigenIds, words, version, place) = await PrepareAsync(query, cancellationToken);
        var snapshot = await version.SnapshotAsync();
        var textMatches = await TextMatchesAsync(query.Text, words, version, cancellationToken);
        var located = place.Ids;
        var found = new List<Relaxation>();
        void Without(string[] parameters, TrialQuery without, bool keepAntigens = true, bool keepText = true, HashSet<long>? place = null, bool dropPlace = false) =>
            found.Add(new Relaxation(parameters, snapshot.Count(without, keepAntigens ? antigenIds : null, Both(keepText ? textMatches : null, dropPlace ? place : located), facets: false).Total));

        if (textMatches is not null) { Without(["q"], query with { Text = null }, keepText: false); }
        if (query.Cities.Count > 0) { Without(["city"], query with { Cities = [] }, place: (await LocateAsync(query with { Cities = [] }, version, cancellationToken)).Ids, dropPlace: true); }
        if (query.Regions.Count > 0) { Without(["region"], query with { Regions = [] }, place: (await LocateAsync(query with { Regions = [] }, version, cancellationToken)).Ids, dropPlace: true); }
        if (query.Near is not null) { Without(["near", "distanceKm", "sort"], query with { Near = null }, place: (await LocateAsync(query with { Near = null }, version, cancellationToken)).Ids, dropPlace: true); }
        if (antigenIds is not null) { Without(["antigen"], query with { Antigens = [] }, keepAntigens: false); }
        foreach (var filter in SearchFilters.Choices.Where(f => query.Chosen(f).Count > 0)) { Without([filter.Parameter], query.Choosing(filter, [])); }
        if (query.Conditions.Count > 0) { Without(["condition"], query with { Conditions = [] }); }
        if (query.DoseMin is not null || query.DoseMax is not null || query.DoseUnit is not null) { Without(["doseMin", "doseMax", "doseUnit"], query with { DoseMin = null, DoseMax = null, DoseUnit = null }); }
        if (query.Countries.Count > 0) { Without(["country"], query with { Countries = [] }); }
        if (query.Sex is not null) { Without(["sex"], query with { Sex = null }); }
        if (query.Age is not null) { Without(["age"], query with { Age = null }); }
        return found;
    }

    /// <summary>
    /// The search words with each word the registry does not know replaced by the nearest word of its condition names
    /// (trigram similarity, pg_trgm: "glioblastma" → "glioblastoma"), or null when no word needs it.
    /// </summary>
    public async Task<string?> CorrectSpellingAsync(string? text, CancellationToken cancellationToken = default)
    {
        if (SearchWords.Read(text) is not { OnlyIds: false, FullText: { } fullText })
        {
            return null;
        }

        var corrected = fullText;
        var changed = false;
        var words = fullText.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('"', ',', ';', '.', '(', ')'))
            .Where(w => w.Length >= 5 && w.All(char.IsLetter))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var word in words)
        {
            var lower = word.ToLowerInvariant();
            // The nearest word of the condition names that contain something like it (the trigram index finds those).
            var nearest = await db.Database.SqlQuery<string>($"""
                SELECT w AS "Value"
                FROM (SELECT DISTINCT lower(x) AS w
                      FROM (SELECT name FROM conditions WHERE {lower} <% name LIMIT 200) c,
                           regexp_split_to_table(c.name, '[^[:alnum:]]+') AS x) found
                WHERE length(w) >= 4 AND similarity(w, {lower}) >= 0.45
                ORDER BY similarity(w, {lower}) DESC, w
                LIMIT 1
                """).ToListAsync(cancellationToken);
            if (nearest is [var best] && best != lower)
            {
                corrected = Regex.Replace(corrected, @"(?<!\p{L})" + Regex.Escape(word) + @"(?!\p{L})", best, RegexOptions.None, TimeSpan.FromSeconds(2));
                changed = true;
            }
        }

        return changed ? corrected : null;
    }

    /// <summary>Trial summaries for ids, in the order given; with a place, each with its site nearest to it.</summary>
    public async Task<IReadOnlyList<TrialSummary>> SummariesAsync(IReadOnlyList<long> ids, Place? near = null, CancellationToken cancellationToken = default)
    {
        var byId = await SummariesByIdAsync(ids, near, cancellationToken);
        return [.. ids.Where(byId.ContainsKey).Select(id => byId[id])];
    }

    /// <summary>A trial summary's columns as one query returns them (its lists as arrays built in the query).</summary>
    private sealed record SummaryRow(
        long Id, string RegistryId, string? Title, string? Status, string[] Phases, string[] Antigens, string[] Conditions, string[] Routes,
        string[] DoseTexts, double[] DoseValues, string[] DoseUnits, int? EnrollmentCount, string? StartDate, string? LastUpdated, string? Modality,
        string? ProductType, string Completeness, int? MinAgeYears, int? MaxAgeYears, string? Sex, string? LeadSponsor, string[] Products,
        string[] Countries, string? Checks, string? NearestFacility, string? NearestCity, string? NearestCountry, double? NearestKm);

    /// <summary>
    /// Trial summaries by trial id (an id no trial has is left out), in one round trip: each list a summary shows is an
    /// array built in the query, what clinicians screen on first comes from the checks stored with the eligibility, and
    /// with a place, each trial's geocoded site nearest to it (earthdistance's great circle).
    /// </summary>
    public async Task<IReadOnlyDictionary<long, TrialSummary>> SummariesByIdAsync(IReadOnlyList<long> ids, Place? near = null, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<long, TrialSummary>();
        }

        var wanted = ids.ToArray();
        var (hasPlace, latitude, longitude) = (near is not null, near?.Latitude ?? 0, near?.Longitude ?? 0);
        var rows = await db.Database.SqlQuery<SummaryRow>($"""
            SELECT t.id, t.registry_id, t.title, t.status, t.phases, t.routes, t.enrollment_count, t.start_date, t.last_updated,
                   t.modality, t.product_type, t.completeness, t.products,
                   ARRAY(SELECT a.symbol::text FROM trial_target_antigens x JOIN target_antigens a ON a.id = x.target_antigen_id
                         WHERE x.trial_id = t.id ORDER BY a.symbol) AS antigens,
                   ARRAY(SELECT c.name FROM conditions c WHERE c.trial_id = t.id ORDER BY c.ordinal, c.id) AS conditions,
                   ARRAY(SELECT d.text FROM dose_levels d WHERE d.trial_id = t.id ORDER BY d.ordinal, d.id) AS dose_texts,
                   ARRAY(SELECT d.value FROM dose_levels d WHERE d.trial_id = t.id ORDER BY d.ordinal, d.id) AS dose_values,
                   ARRAY(SELECT d.unit::text FROM dose_levels d WHERE d.trial_id = t.id ORDER BY d.ordinal, d.id) AS dose_units,
                   e.min_age_years, e.max_age_years, e.sex, e.checks::text AS checks,
                   (SELECT s.name FROM sponsors s WHERE s.trial_id = t.id AND s.role = 'LEAD' ORDER BY s.ordinal, s.id LIMIT 1) AS lead_sponsor,
                   ARRAY(SELECT DISTINCT l.country FROM locations l WHERE l.trial_id = t.id AND l.country IS NOT NULL ORDER BY 1) AS countries,
                   n.facility AS nearest_facility, n.city AS nearest_city, n.country AS nearest_country, n.km AS nearest_km
            FROM trials t LEFT JOIN eligibilities e ON e.trial_id = t.id
            LEFT JOIN LATERAL (
                SELECT l.facility, l.city, l.country, earth_distance(ll_to_earth({latitude}, {longitude}), ll_to_earth(l.latitude, l.longitude)) / 1000 AS km
                FROM locations l
                WHERE {hasPlace} AND l.trial_id = t.id AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL
                ORDER BY 4 LIMIT 1) n ON true
            WHERE t.id = ANY({wanted})
            """).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, r => new TrialSummary(
            r.RegistryId, r.Title, r.Status, r.Phases, r.Antigens, r.Conditions, r.Routes,
            [.. r.DoseTexts.Select((text, i) => new DoseSummary(text, r.DoseValues[i], r.DoseUnits[i]))],
            r.EnrollmentCount, r.StartDate, r.LastUpdated, r.Modality, r.ProductType, r.Completeness)
        {
            MinAgeYears = r.MinAgeYears,
            MaxAgeYears = r.MaxAgeYears,
            Sex = r.Sex,
            LeadSponsor = r.LeadSponsor,
            Products = r.Products,
            Countries = r.Countries,
            Screening = r.Checks is { } json ? ScreeningFacts.From(EligibilityChecks.FromJson(json)) : [],
            NearestSite = r.NearestKm is { } km ? new NearestSite(r.NearestFacility, r.NearestCity, r.NearestCountry, Math.Round(km, 1)) : null,
        });
    }

    /// <summary>The antigen rows a caller's names mean: canonical symbols or any synonym, any case, spaces and dashes ignored.</summary>
    public async Task<IReadOnlyList<int>?> ResolveAntigensAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return null;
        }

        var wanted = names.Select(AntigenVocabulary.Normalize).ToHashSet(StringComparer.Ordinal);
        var antigens = await db.TargetAntigens.AsNoTracking().Select(a => new { a.Id, a.Symbol, a.Name, a.Synonyms }).ToListAsync(cancellationToken);
        return antigens
            .Where(a => a.Synonyms.Append(a.Symbol).Append(a.Name).Any(n => wanted.Contains(AntigenVocabulary.Normalize(n))))
            .Select(a => a.Id)
            .ToList();
    }

    /// <param name="conditionNames">
    /// With a condition filter the vocabulary reads as concepts: the condition names that contain its terms but do not
    /// carry one of its concepts (from the facet index). The concept array finds every other such name's trials, so
    /// only these need a look at the trials' names; null matches the names by pattern in SQL.
    /// </param>
    private IQueryable<Trial> Filter(TrialQuery query, IReadOnlyList<int>? antigenIds, SearchWords words, IReadOnlyCollection<long>? placeIds = null, IReadOnlyList<string>? conditionNames = null)
    {
        var trials = db.Trials.AsNoTracking().Where(t => !t.Withdrawn);
        if (placeIds is not null)
        {
            var located = placeIds.ToArray();
            trials = trials.Where(t => located.Contains(t.Id));
        }

        if (antigenIds is not null)
        {
            // On the link table's own column, not through the antigen table: the planner then reads the antigen ids
            // as values and knows from its statistics whether it is CD19 (a third of the trials) or a rare one.
            var links = db.Set<Dictionary<string, object>>("trial_target_antigens");
            trials = trials.Where(t => links.Any(x => EF.Property<long>(x, "trial_id") == t.Id && antigenIds.Contains(EF.Property<int>(x, "target_antigen_id"))));
        }

        foreach (var filter in SearchFilters.Choices)
        {
            if (query.Chosen(filter) is { Count: > 0 } chosen)
            {
                trials = filter.Narrow(trials, [.. chosen]);
            }
        }

        if (ConditionFilter.Of(query.Conditions) is { } condition)
        {
            var concepts = condition.Concepts.ToList();
            var patterns = condition.LikePatterns;
            if (concepts.Count == 0)
            {
                trials = trials.Where(t => t.Conditions.Any(c => patterns.Any(p => EF.Functions.ILike(c.Name, p))));
            }
            else if (conditionNames is null)
            {
                trials = trials.Where(t => t.ConditionConcepts!.Any(c => concepts.Contains(c)) || t.Conditions.Any(c => patterns.Any(p => EF.Functions.ILike(c.Name, p))));
            }
            else if (conditionNames.Count == 0)
            {
                // Every name with the terms carries one of the concepts: the concept array's index alone.
                trials = trials.Where(t => t.ConditionConcepts!.Any(c => concepts.Contains(c)));
            }
            else
            {
                var names = conditionNames.ToList();
                trials = trials.Where(t => t.ConditionConcepts!.Any(c => concepts.Contains(c)) || t.Conditions.Any(c => names.Contains(c.Name)));
            }
        }

        if (query.DoseMin is not null || query.DoseMax is not null)
        {
            var min = query.DoseMin ?? 0;
            var max = query.DoseMax ?? double.MaxValue;
            var unit = query.DoseUnit;
            trials = unit is null
                ? trials.Where(t => t.DoseLevels.Any(d => d.Value >= min && d.Value <= max))
                : trials.Where(t => t.DoseLevels.Any(d => d.Unit == unit && d.Value >= min && d.Value <= max));
        }
        else if (query.DoseUnit is { } unitOnly)
        {
            trials = trials.Where(t => t.DoseLevels.Any(d => d.Unit == unitOnly));
        }

        if (query.Countries.Count > 0)
        {
            var countries = query.Countries.Select(c => c.Trim().ToLowerInvariant()).ToList();
            trials = trials.Where(t => t.Locations.Any(l => l.Country != null && countries.Contains(l.Country.ToLower())));
        }

        if (query.Sex is { } sex)
        {
            trials = trials.Where(t => t.Eligibility == null || t.Eligibility.Sex == null || t.Eligibility.Sex == "ALL" || t.Eligibility.Sex == sex);
        }

        if (query.Age is { } age)
        {
            trials = trials.Where(t => t.Eligibility == null
                || ((t.Eligibility.MinAgeYears == null || t.Eligibility.MinAgeYears <= age) && (t.Eligibility.MaxAgeYears == null || t.Eligibility.MaxAgeYears >= age)));
        }

        if (words.OnlyIds)
        {
            // Registry numbers find their trials, by the trial's own number or another registry's it carries.
            var ids = words.RegistryIds.SelectMany(i => new[] { i, i.ToUpperInvariant() }).Distinct(StringComparer.Ordinal).ToList();
            trials = trials.Where(t => ids.Contains(t.RegistryId) || t.SecondaryIds.Any(s => ids.Contains(s)));
        }
        else if (!string.IsNullOrWhiteSpace(words.FullText))
        {
            var text = words.FullText;
            trials = trials.Where(t => t.SearchVector.Matches(EF.Functions.WebSearchToTsQuery(TextConfig, text)));
        }

        return trials;
    }

    /// <summary>Text for an ILIKE pattern with a backslash as the escape character: its %, _ and backslashes match themselves.</summary>
    public static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
