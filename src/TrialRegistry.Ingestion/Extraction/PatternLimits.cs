namespace TrialRegistry.Ingestion.Extraction;

/// <summary>How long one regular-expression match may run before its document is reported as unreadable.</summary>
internal static class PatternLimits
{
    /// <summary>
    /// Short enough to stop catastrophic backtracking on a hostile document, long enough that a good one is not
    /// failed by a busy machine: the clock runs through garbage-collection pauses, and at 250 ms two of 375,804
    /// generated documents failed during a bulk load with a 4 GB heap on two cores.
    /// </summary>
    public const int MatchTimeoutMilliseconds = 2000;

    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(MatchTimeoutMilliseconds);
}
