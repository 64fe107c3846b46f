namespace TrialRegistry.Data.Sync;

/// <summary>The sync from ClinicalTrials.gov API v2 (section <c>Sync</c>); off while <see cref="BaseUrl"/> is not set.</summary>
public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>Where the API is, e.g. https://clinicaltrials.gov (it asks {BaseUrl}/api/v2/studies); empty: no sync.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The studies to follow, as API v2 query parameters.</summary>
    public string Query { get; set; } = "query.term=\"chimeric antigen receptor\" OR CAR-T OR CAR-NK OR \"TCR-T\"";

    /// <summary>Studies a page (the API allows up to 1000).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Days between full runs (every study of the query, to notice those it no longer returns); the runs between ask only for changes.</summary>
    public double FullEveryDays { get; set; } = 7;

    /// <summary>Hours between scheduled runs in the app.</summary>
    public double EveryHours { get; set; } = 24;

    /// <summary>Times one page is asked again after a 429, a 503 or a cut connection, before the run fails (and resumes next time).</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>The longest wait between tries, whatever Retry-After says.</summary>
    public double MaxWaitSeconds { get; set; } = 120;
}
