using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Prescreening;

namespace TrialRegistry.Data.Search;

/// <summary>One trial for one patient: the trial as the search shows it, and each of its checks met, not met or unknown.</summary>
public sealed record PrescreenMatch(TrialSummary Trial, TrialMatch Match);

/// <summary>The trials the filters find (<see cref="Candidates"/>), the best-matching first.</summary>
public sealed record PrescreenResult(int Candidates, IReadOnlyList<PrescreenMatch> Matches)
{
    /// <summary>The filters' place could not be located (no trial is matched; the caller says which place).</summary>
    public bool PlaceNotFound { get; init; }

    /// <summary>With near: the place measured from, as found (each match's trial then carries its nearest site).</summary>
    public Place? Place { get; init; }
}

/// <summary>
/// Pre-screening: a patient's facts against every trial the filters find, criterion by criterion. The candidates come
/// from the facet index (the search's own filters, recruiting trials unless the caller asks otherwise, the patient's
/// age and sex, the diagnosis as a condition); each candidate's stored checks are matched in memory and the trials
/// ranked by fewest checks not met, then most met, then fewest unknown. The profile is health data: it is only held
/// for the call, never stored and never logged.
/// </summary>
public sealed class Prescreener(RegistryDbContext db, TrialSearch search, FacetIndex facetIndex)
{
    public const int MaxResults = 100;

    /// <summary>The search filters a profile adds to the caller's: age, sex, diagnosis as the condition, recruiting by default.</summary>
    public static TrialQuery QueryFor(PatientProfile patient, TrialQuery filters) => filters with
    {
        Age = patient.Age ?? filters.Age,
        Sex = patient.Sex?.ToUpperInvariant() ?? filters.Sex,
        Conditions = filters.Conditions.Count == 0 && !string.IsNullOrWhiteSpace(patient.Diagnosis) ? [patient.Diagnosis.Trim()] : filters.Conditions,
        Statuses = filters.Statuses.Count == 0 ? ["RECRUITING"] : filters.Statuses,
    };

    public async Task<PrescreenResult> MatchAsync(PatientProfile patient, TrialQuery filters, int results, CancellationToken cancellationToken = default)
    {
        var (ids, place, placeNotFound) = await search.MatchingIdsAsync(QueryFor(patient, filters), cancellationToken);
        if (placeNotFound)
        {
            return new PrescreenResult(0, []) { PlaceNotFound = true };
        }

        var checks = await ChecksAsync(ids, cancellationToken);
        // Every candidate is counted from the kept checks; the trials shown are described check by check, with their criteria.
        var top = ids
            .Select(id => (Id: id, Counts: CheckMatcher.Count(checks.TryGetValue(id, out var c) ? c : [], patient)))
            .OrderBy(x => x.Counts.NotMet).ThenByDescending(x => x.Counts.Met).ThenBy(x => x.Counts.Unknown).ThenBy(x => x.Id)
            .Take(Math.Clamp(results, 1, MaxResults))
            .Select(x => x.Id)
            .ToList();
        var full = await db.Set<Model.Eligibility>().AsNoTracking().Where(e => top.Contains(e.TrialId)).ToDictionaryAsync(e => e.TrialId, e => EligibilityChecks.FromJson(e.Checks), cancellationToken);
        var ranked = top.Select(id => (Id: id, Match: CheckMatcher.Match(full.TryGetValue(id, out var c) ? c : [], patient))).ToList();
        var summaries = await search.SummariesByIdAsync(top, place, cancellationToken);
        return new PrescreenResult(ids.Count, [.. ranked.Where(r => summaries.ContainsKey(r.Id)).Select(r => new PrescreenMatch(summaries[r.Id], r.Match))]) { Place = place };
    }

    private static readonly ConcurrentDictionary<string, string> Words = new(StringComparer.Ordinal);

    private static string? Shared(string? word) => word is null ? null : Words.Count < 10_000 ? Words.GetOrAdd(word, word) : word;

    /// <summary>
    /// A trial's checks as kept for ranking: each criterion's text replaced by its number in the trial (alternatives are
    /// grouped by it; the trials shown read their criteria again) and the few words the checks use shared, so that half a
    /// million trials' checks fit in a few hundred megabytes.
    /// </summary>
    private static IReadOnlyList<EligibilityCheck> Compact(IReadOnlyList<EligibilityCheck> checks)
    {
        if (checks.Count == 0)
        {
            return [];
        }

        var criteria = new Dictionary<string, string>(StringComparer.Ordinal);
        var compact = new EligibilityCheck[checks.Count];
        for (var i = 0; i < checks.Count; i++)
        {
            var c = checks[i];
            if (!criteria.TryGetValue(c.Criterion, out var number))
            {
                number = Shared("#" + criteria.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
                criteria[c.Criterion] = number;
            }

            compact[i] = c with
            {
                Criterion = number,
                Analyte = Shared(c.Analyte), Op = Shared(c.Op), Unit = Shared(c.Unit), Sex = Shared(c.Sex), Antigen = Shared(c.Antigen),
                Agent = Shared(c.Agent), TransplantType = Shared(c.TransplantType), State = Shared(c.State),
            };
        }

        return compact;
    }

    /// <summary>
    /// The stored checks of trials, kept in memory until the trials change (the facet index's change version): a
    /// profile after the first reads no checks from the database.
    /// </summary>
    private async Task<ConcurrentDictionary<long, IReadOnlyList<EligibilityCheck>>> ChecksAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var version = await facetIndex.ChangeVersionAsync(cancellationToken);
        var kept = await facetIndex.KeptAsync(version, "eligibility-checks", () => Task.FromResult(new ConcurrentDictionary<long, IReadOnlyList<EligibilityCheck>>()));
        var missing = ids.Where(id => !kept.ContainsKey(id)).ToArray();
        foreach (var chunk in missing.Chunk(20_000))
        {
            var rows = await db.Set<Model.Eligibility>().AsNoTracking().Where(e => chunk.Contains(e.TrialId)).Select(e => new { e.TrialId, e.Checks }).ToListAsync(cancellationToken);
            var found = rows.ToDictionary(r => r.TrialId, r => r.Checks);
            foreach (var id in chunk)
            {
                kept[id] = found.TryGetValue(id, out var json) ? Compact(EligibilityChecks.FromJson(json)) : [];
            }
        }

        return kept;
    }
}
