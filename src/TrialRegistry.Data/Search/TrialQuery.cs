using System.Buffers.Text;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TrialRegistry.Data.Search;

public enum TrialSort
{
    Relevance,
    LastUpdated,
    StartDate,
    /// <summary>Nearest site first (needs <see cref="TrialQuery.Near"/>).</summary>
    Distance,

    /// <summary>The registry's own change time, newest first: when the trial's record last changed here (feeds; one page, no token).</summary>
    Changed,
}

/// <summary>Which end of the sort comes first.</summary>
public enum SortDirection
{
    Descending,
    Ascending,
}

/// <summary>
/// A search over trials, already validated: vocabulary values are ClinicalTrials.gov names (PHASE1, RECRUITING),
/// antigens are whatever the caller typed (symbols or synonyms). Every filter narrows; values within one filter
/// are alternatives ("any of").
/// </summary>
public sealed record TrialQuery
{
    public const int MaxPageSize = 1000;
    public const int DefaultPageSize = 50;

    public IReadOnlyList<string> Antigens { get; init; } = [];
    private ImmutableDictionary<string, IReadOnlyList<string>> _chosen = ImmutableDictionary.Create<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>The names chosen for a vocabulary filter (canonical, any of); none: the filter is off.</summary>
    public IReadOnlyList<string> Chosen(ChoiceFilter filter) => _chosen.GetValueOrDefault(filter.Parameter) ?? [];

    /// <summary>This query with a vocabulary filter's names (none turns it off).</summary>
    public TrialQuery Choosing(ChoiceFilter filter, IReadOnlyList<string> names) => this with { _chosen = With(_chosen, filter, names) };

    private static ImmutableDictionary<string, IReadOnlyList<string>> With(ImmutableDictionary<string, IReadOnlyList<string>> chosen, ChoiceFilter filter, IReadOnlyList<string> names) =>
        names.Count == 0 ? chosen.Remove(filter.Parameter) : chosen.SetItem(filter.Parameter, names);

    // The vocabulary filters by name, for callers that build a query in code.
    public IReadOnlyList<string> Phases { get => Chosen(PhaseFilter.Definition); init => _chosen = With(_chosen, PhaseFilter.Definition, value); }
    public IReadOnlyList<string> Statuses { get => Chosen(StatusFilter.Definition); init => _chosen = With(_chosen, StatusFilter.Definition, value); }
    /// <summary>
    /// Conditions, any of: a disease the vocabulary knows finds its synonyms and narrower diseases ("B-ALL",
    /// "lymphoma"); any text also finds the condition names that contain it, any case ("renal" finds "Renal Cell
    /// Carcinoma"). See <see cref="ConditionFilter"/>.
    /// </summary>
    public IReadOnlyList<string> Conditions { get; init; } = [];
    public double? DoseMin { get; init; }
    public double? DoseMax { get; init; }
    /// <summary>CELLS_PER_KG, CELLS or CELLS_PER_M2; null: a dose in the range in any unit.</summary>
    public string? DoseUnit { get; init; }
    public IReadOnlyList<string> Routes { get => Chosen(RouteFilter.Definition); init => _chosen = With(_chosen, RouteFilter.Definition, value); }
    public IReadOnlyList<string> Modalities { get => Chosen(ModalityFilter.Definition); init => _chosen = With(_chosen, ModalityFilter.Definition, value); }
    public IReadOnlyList<string> ProductTypes { get => Chosen(ProductTypeFilter.Definition); init => _chosen = With(_chosen, ProductTypeFilter.Definition, value); }
    public IReadOnlyList<string> Categories { get => Chosen(CategoryFilter.Definition); init => _chosen = With(_chosen, CategoryFilter.Definition, value); }
    public IReadOnlyList<string> Countries { get; init; } = [];
    /// <summary>Cities of a site, any case. Several = any of.</summary>
    public IReadOnlyList<string> Cities { get; init; } = [];
    /// <summary>Regions (state, province) of a site, any case. Several = any of.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];
    /// <summary>A place ("lat,lon", a postal code or a city where trials run): trials with a site within <see cref="DistanceKm"/> of it.</summary>
    public string? Near { get; init; }
    public const double DefaultDistanceKm = 100;
    public double DistanceKm { get; init; } = DefaultDistanceKm;
    /// <summary>The patient's sex (FEMALE or MALE): trials open to it (or to ALL, or that do not say).</summary>
    public string? Sex { get; init; }
    /// <summary>The patient's age in years: trials whose age limits admit it (or that state none).</summary>
    public int? Age { get; init; }
    /// <summary>Full text over title, summaries, conditions, interventions, antigens and criteria.</summary>
    public string? Text { get; init; }
    public TrialSort? Sort { get; init; }
    /// <summary>The direction asked for; null: the sort's own (newest, best match, nearest first).</summary>
    public SortDirection? Direction { get; init; }
    public int PageSize { get; init; } = DefaultPageSize;
    public PageCursor? After { get; init; }
    public bool CountTotal { get; init; }
    public bool Facets { get; init; }

    /// <summary>The sort in effect: relevance needs a text query; without one, last updated first.</summary>
    public TrialSort EffectiveSort => Sort == TrialSort.Changed ? TrialSort.Changed : Sort == TrialSort.Distance && Near is null
        ? (string.IsNullOrWhiteSpace(Text) ? TrialSort.LastUpdated : TrialSort.Relevance)
        : string.IsNullOrWhiteSpace(Text)
            ? (Sort is null or TrialSort.Relevance ? TrialSort.LastUpdated : Sort.Value)
            : Sort ?? TrialSort.Relevance;

    /// <summary>
    /// The direction in effect: dates newest first unless ascending is asked for; relevance best first and distance
    /// nearest first, always (the request validator refuses the other way round).
    /// </summary>
    public SortDirection EffectiveDirection => EffectiveSort switch
    {
        TrialSort.Relevance => SortDirection.Descending,
        TrialSort.Distance => SortDirection.Ascending,
        _ => Direction ?? SortDirection.Descending,
    };

    /// <summary>Whether any filter or search text narrows the trials (sort and paging do not).</summary>
    public bool HasCriteria =>
        Antigens.Count + _chosen.Count + Countries.Count + Cities.Count + Regions.Count > 0 || Near is not null
        || Conditions.Count > 0 || DoseMin is not null || DoseMax is not null || DoseUnit is not null
        || Sex is not null || Age is not null || !string.IsNullOrWhiteSpace(Text);

    /// <summary>What identifies the result set (filters and sort, not the page): a page token is only good for the query that made it.</summary>
    public string Fingerprint()
    {
        var key = JsonSerializer.Serialize(new object?[]
        {
            Antigens.Select(a => a.ToUpperInvariant()).Order(StringComparer.Ordinal),
            Conditions.Select(c => c.Trim().ToUpperInvariant()).Order(StringComparer.Ordinal), DoseMin, DoseMax, DoseUnit,
            Countries.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal), Sex, Age, Text?.Trim(), EffectiveSort.ToString(), EffectiveDirection.ToString(),
            Cities.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal), Regions.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal),
            Near?.ToUpperInvariant(), Near is null ? null : DistanceKm,
            _chosen.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Value.Order(StringComparer.Ordinal).ToList()),
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    }
}

/// <summary>
/// Where the next page starts: after the row with this sort key and trial id. As a page token it is signed
/// (HMAC-SHA256 with <see cref="UseKey"/>'s key): a token this API did not issue, or one altered, is refused
/// instead of silently restarting or skipping the listing, so a client following tokens cannot loop.
/// </summary>
public sealed record PageCursor(string Fingerprint, string? Key, double? Rank, long Id)
{
    private static byte[] s_key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// Signs tokens with a key derived from a configured secret, so that tokens stay good across restarts and
    /// between instances; without one, a random key per process (tokens end with it).
    /// </summary>
    public static void UseKey(string secret) => s_key = SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public string Encode()
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(this);
        return Base64Url.EncodeToString(payload) + "." + Signature(payload);
    }

    public static PageCursor? TryDecode(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 600 || token.Split('.') is not [var body, var signature])
        {
            return null;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(body);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Signature(payload)), Encoding.ASCII.GetBytes(signature)))
            {
                return null;
            }

            return JsonSerializer.Deserialize<PageCursor>(payload) is { Fingerprint.Length: > 0 } cursor ? cursor : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string Signature(byte[] payload) => Base64Url.EncodeToString(HMACSHA256.HashData(s_key, payload))[..22];
}
