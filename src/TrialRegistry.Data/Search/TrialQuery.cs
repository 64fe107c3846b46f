using System.Buffers.Text;
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
    public IReadOnlyList<string> Phases { get; init; } = [];
    public IReadOnlyList<string> Statuses { get; init; } = [];
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
    public IReadOnlyList<string> Routes { get; init; } = [];
    /// <summary>What the trial gives (CAR_T, CAR_NK, CAR_M, TCR_T, OTHER_CELL_THERAPY, NOT_CELL_THERAPY). Several = any of.</summary>
    public IReadOnlyList<string> Modalities { get; init; } = [];
    /// <summary>AUTOLOGOUS, ALLOGENEIC, IN_VIVO. Several = any of.</summary>
    public IReadOnlyList<string> ProductTypes { get; init; } = [];
    /// <summary>Kinds of disease (HEMATOLOGIC_MALIGNANCY, SOLID_TUMOR, AUTOIMMUNE, INFECTION). Several = any of.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];
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
        Antigens.Count + Phases.Count + Statuses.Count + Routes.Count + Countries.Count + Modalities.Count + ProductTypes.Count + Cities.Count + Regions.Count + Categories.Count > 0 || Near is not null
        || Conditions.Count > 0 || DoseMin is not null || DoseMax is not null || DoseUnit is not null
        || Sex is not null || Age is not null || !string.IsNullOrWhiteSpace(Text);

    /// <summary>What identifies the result set (filters and sort, not the page): a page token is only good for the query that made it.</summary>
    public string Fingerprint()
    {
        var key = JsonSerializer.Serialize(new object?[]
        {
            Antigens.Select(a => a.ToUpperInvariant()).Order(StringComparer.Ordinal), Phases.Order(StringComparer.Ordinal), Statuses.Order(StringComparer.Ordinal),
            Conditions.Select(c => c.Trim().ToUpperInvariant()).Order(StringComparer.Ordinal), DoseMin, DoseMax, DoseUnit, Routes.Order(StringComparer.Ordinal),
            Countries.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal), Sex, Age, Text?.Trim(), EffectiveSort.ToString(), EffectiveDirection.ToString(),
            Modalities.Order(StringComparer.Ordinal), ProductTypes.Order(StringComparer.Ordinal),
            Cities.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal), Regions.Select(c => c.ToUpperInvariant()).Order(StringComparer.Ordinal),
            Near?.ToUpperInvariant(), Near is null ? null : DistanceKm, Categories.Order(StringComparer.Ordinal),
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
