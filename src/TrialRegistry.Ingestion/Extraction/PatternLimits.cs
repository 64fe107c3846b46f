using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>
/// How long one regular-expression match may run, and what happens when one runs out of time: the reader keeps what
/// it found before and goes on, and the document being read gets a <see cref="WarningCodes.PatternTimeout"/>
/// warning naming the field and the text, so that a value lost to the limit is never lost silently.
/// </summary>
internal static class PatternLimits
{
    /// <summary>
    /// Short enough to stop catastrophic backtracking on a hostile document, long enough that a good one is not
    /// failed by a busy machine: the clock runs through garbage-collection pauses, and at 250 ms two of 375,804
    /// generated documents failed during a bulk load with a 4 GB heap on two cores.
    /// </summary>
    public const int MatchTimeoutMilliseconds = 2000;

    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(MatchTimeoutMilliseconds);

    // Parsing one document is synchronous on one thread, so the document being read is the thread's.
    [ThreadStatic]
    private static List<ParseWarning>? t_timeouts;

    /// <summary>
    /// Collects the time-outs of what runs on this thread until the scope is disposed (one document's reading).
    /// Scopes nest: an inner one collects for itself and then restores the outer.
    /// </summary>
    public static TimeoutScope Watch() => new();

    /// <summary>Reports a pattern that ran out of time while reading <paramref name="field"/>; outside a scope, nothing is kept.</summary>
    public static void TimedOut(string field, RegexMatchTimeoutException ex)
    {
        t_timeouts?.Add(new ParseWarning(
            WarningCodes.PatternTimeout,
            $"reading {field}: a pattern ran past its {MatchTimeoutMilliseconds / 1000} s limit on this text and stopped; what was found before stands, the rest of the text was not read for it")
        {
            Field = field,
        }.About(ex.Input));
    }

    /// <summary>The time-outs of one document's reading.</summary>
    public sealed class TimeoutScope : IDisposable
    {
        private readonly List<ParseWarning>? _outer = t_timeouts;
        private readonly List<ParseWarning> _mine = [];

        internal TimeoutScope() => t_timeouts = _mine;

        public IReadOnlyList<ParseWarning> Warnings => _mine;

        public void Dispose() => t_timeouts = _outer;
    }
}
