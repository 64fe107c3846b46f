namespace TrialRegistry.Data.Sync;

/// <summary>
/// One run of the sync from ClinicalTrials.gov: from when (<see cref="Since"/>, the last update date asked for;
/// null on the first run), how far it got (<see cref="NextPageToken"/>: a run that died resumes there), and what it
/// did to the registry.
/// </summary>
public sealed class SyncRun
{
    public long Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>RUNNING, DONE or FAILED.</summary>
    public required string Status { get; set; }
    /// <summary>Who started it: cli:&lt;user&gt;, or the app's schedule.</summary>
    public required string Trigger { get; set; }
    /// <summary>Studies last updated on or after this day (yyyy-MM-dd); null: every study the query finds.</summary>
    public string? Since { get; set; }
    /// <summary>A full run: every study the query finds (the first, then one every Sync:FullEveryDays).</summary>
    public bool Full { get; set; }
    /// <summary>A full run's NCT numbers, as the pages brought them (kept with the run, so a resumed run has them too).</summary>
    public List<string> Seen { get; set; } = [];
    /// <summary>
    /// Studies the previous full run had that this one no longer found: noted, never deleted (a query can change,
    /// a record can be withheld for a while).
    /// </summary>
    public List<string> Missing { get; set; } = [];
    public string? NextPageToken { get; set; }
    public int Pages { get; set; }
    public int Studies { get; set; }
    public int New { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Failed { get; set; }
    /// <summary>Requests answered 429 or 503, or cut off, and tried again.</summary>
    public int Retries { get; set; }
    public string? Error { get; set; }
}
