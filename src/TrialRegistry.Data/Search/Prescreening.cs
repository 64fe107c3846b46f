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
        Text = filters.Text,
    };

    public async Task<PrescreenResult> MatchAsync(PatientProfile patient, TrialQuery filters, int results, CancellationToken cancellationToken = default)
    {
        var (ids, placeNotFound) = await search.MatchingIdsAsync(QueryFor(patient, filters), cancellationToken);
        if (placeNotFound)
        {
            return new PrescreenResult(0, []) { PlaceNotFound = true };
        }

        var checks = await ChecksAsync(ids, cancellationToken);
        var ranked = ids
            .Select(id => (Id: id, Match: CheckMatcher.Match(checks.TryGetValue(id, out var c) ? c : [], patient)))
            .OrderBy(x => x.Match.NotMet).ThenByDescending(x => x.Match.Met).ThenBy(x => x.Match.Unknown).ThenBy(x => x.Id)
            .Take(Math.Clamp(results, 1, MaxResults))
            .ToList();
        var summaries = (await search.SummariesAsync(ranked.Select(r => r.Id).ToList(), cancellationToken)).ToDictionary(s => s.RegistryId, StringComparer.Ordinal);
        var registryIds = await db.Trials.AsNoTracking().Where(t => ranked.Select(r => r.Id).Contains(t.Id)).Select(t => new { t.Id, t.RegistryId }).ToDictionaryAsync(t => t.Id, t => t.RegistryId, cancellationToken);
        return new PrescreenResult(ids.Count, ranked
            .Where(r => registryIds.TryGetValue(r.Id, out var registryId) && summaries.ContainsKey(registryId))
            .Select(r => new PrescreenMatch(summaries[registryIds[r.Id]], r.Match))
            .ToList());
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
                kept[id] = found.TryGetValue(id, out var json) ? EligibilityChecks.FromJson(json) : [];
            }
        }

        return kept;
    }
}
