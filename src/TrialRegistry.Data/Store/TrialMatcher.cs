using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Store;

/// <summary>A registered trial a record without a registry id may be, and why.</summary>
public sealed record TrialMatch(string RegistryId, string? Title, string Reason);

/// <summary>
/// What the matcher found for a record: <see cref="Certain"/> when one registered trial is the record's beyond doubt
/// (it is then stored as that trial), else <see cref="Probable"/> candidates an admin decides between.
/// </summary>
public sealed record MatchResult(TrialMatch? Certain, IReadOnlyList<TrialMatch> Probable)
{
    public static MatchResult None { get; } = new(null, []);
}

/// <summary>
/// Finds the registered trial a document without a registry id describes, so that one trial stays one record. The
/// evidence: another registry's id the record names that a trial carries (certain on its own), then the title and
/// the summary with case, punctuation and spaces folded away, corroborated by the conditions and the lead sponsor.
/// A match is certain when one trial has the strongest evidence (the summary, or the title with the conditions or the
/// lead sponsor) and no other trial has as much; a title alone, or two registrations with the same title and summary
/// (a sponsor's twin studies), are only probable, for an admin to decide.
/// </summary>
public static class TrialMatcher
{
    private const int MinimumTitleKey = 20;
    private const int MinimumSummaryKey = 80;
    private const int CertainScore = 3;

    /// <summary>Whether the record has no registry id of its own (none, or a content-derived <c>TR-</c> id).</summary>
    public static bool NeedsMatch(TrialRecord record) =>
        record.RegistryId is null || record.RegistryId.StartsWith("TR-", StringComparison.Ordinal);

    public static async Task<MatchResult> FindAsync(RegistryDbContext db, TrialRecord record, CancellationToken cancellationToken = default)
    {
        if (!NeedsMatch(record))
        {
            return MatchResult.None;
        }

        var ids = record.SecondaryIds.Select(i => i.Trim()).Where(i => i.Length >= 6).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (ids.Count > 0)
        {
            var upper = ids.Select(i => i.ToUpperInvariant()).ToList();
            var byId = await db.Trials.AsNoTracking()
                .Where(t => !t.Withdrawn && !t.RegistryId.StartsWith("TR-") && (upper.Contains(t.RegistryId) || t.SecondaryIds.Any(s => upper.Contains(s.ToUpper()))))
                .Select(t => new { t.RegistryId, t.Title })
                .ToListAsync(cancellationToken);
            if (byId.Count == 1)
            {
                return new MatchResult(new TrialMatch(byId[0].RegistryId, byId[0].Title, "it names the trial's registration number"), []);
            }

            if (byId.Count > 1)
            {
                return new MatchResult(null, [.. byId.Select(t => new TrialMatch(t.RegistryId, t.Title, "it names a registration number this trial carries"))]);
            }
        }

        var title = Key(record.Title).Length >= MinimumTitleKey ? record.Title : null;
        var summary = Key(record.BriefSummary).Length >= MinimumSummaryKey ? record.BriefSummary : null;
        if (title is null && summary is null)
        {
            return MatchResult.None;
        }

        // The same folding as the indexes ix_trials_title_key and ix_trials_summary_key, done by PostgreSQL on both sides.
        var candidates = await db.Trials.FromSqlInterpolated($"""
                SELECT * FROM trials
                WHERE NOT withdrawn AND registry_id NOT LIKE 'TR-%'
                  AND (({title is not null} AND lower(regexp_replace(coalesce(title, ''), '[^[:alnum:]]', '', 'g')) = lower(regexp_replace({title ?? string.Empty}, '[^[:alnum:]]', '', 'g')))
                    OR ({summary is not null} AND md5(lower(regexp_replace(coalesce(brief_summary, ''), '[^[:alnum:]]', '', 'g'))) = md5(lower(regexp_replace({summary ?? string.Empty}, '[^[:alnum:]]', '', 'g')))))
                LIMIT 20
                """)
            .AsNoTracking()
            .Select(t => new
            {
                t.RegistryId,
                t.Title,
                t.BriefSummary,
                Conditions = t.Conditions.Select(c => c.Name).ToList(),
                Lead = t.Sponsors.Where(s => s.Role == "LEAD").Select(s => s.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return MatchResult.None;
        }

        var conditions = record.Conditions.Select(Key).ToHashSet();
        var lead = Key(record.Sponsors.FirstOrDefault(s => s.Role == SponsorRole.Lead)?.Name);
        var scored = candidates.Select(c =>
        {
            var reasons = new List<string>();
            var score = 0;
            if (title is not null && Key(c.Title) == Key(title))
            {
                score += 2;
                reasons.Add("title");
            }

            if (summary is not null && Key(c.BriefSummary) == Key(summary))
            {
                // A summary of some eighty letters or more, word for word, is a trial's own (titles are often generic).
                score += 3;
                reasons.Add("summary");
            }

            if (conditions.Count > 0 && conditions.SetEquals(c.Conditions.Select(Key)))
            {
                score += 1;
                reasons.Add("conditions");
            }

            if (lead.Length > 0 && Key(c.Lead) == lead)
            {
                score += 1;
                reasons.Add("lead sponsor");
            }

            return (Match: new TrialMatch(c.RegistryId, c.Title, "the same " + string.Join(", ", reasons)), Score: score);
        })
            .Where(s => s.Score >= 2)
            .OrderByDescending(s => s.Score).ThenBy(s => s.Match.RegistryId, StringComparer.Ordinal)
            .ToList();
        if (scored.Count == 0)
        {
            return MatchResult.None;
        }

        // One folded text alone (a short generic title, a summary pasted into another registration) is a lead, not proof.
        return scored[0].Score >= CertainScore && (scored.Count == 1 || scored[0].Score > scored[1].Score)
            ? new MatchResult(scored[0].Match, [])
            : new MatchResult(null, [.. scored.Where(s => s.Score == scored[0].Score).Select(s => s.Match)]);
    }

    /// <summary>Case, punctuation and spaces folded away, to score the candidates the database found.</summary>
    private static string Key(string? text) =>
        text is null ? string.Empty : new string(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}
