using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TrialRegistry.Data.Search;

namespace TrialRegistry.Web.Pages.Trials;

/// <summary>One trial, as a clinician deciding on a referral needs it.</summary>
public sealed class DetailsModel([FromKeyedServices(TrialRegistry.Data.Infrastructure.RegistryReads.Key)] TrialReader reader, TrialSearch search) : PageModel
{
    /// <summary>After a reader's report was filed (?reported=1).</summary>
    public bool Reported { get; private set; }

    public TrialDetail? Trial { get; private set; }
    public IReadOnlyList<TrialVersionSummary> Versions { get; private set; } = [];
    public string Id { get; private set; } = string.Empty;

    /// <summary>With ?near=… (the search's place, carried by its result links): the place sites are measured from.</summary>
    public Place? Near { get; private set; }

    /// <summary>The sites in the order a clinician wants them: recruiting first, then about to; within each, the nearest first when a place is given.</summary>
    public IReadOnlyList<(LocationDetail Site, double? DistanceKm)> Sites { get; private set; } = [];

    /// <summary>The checks clinicians screen on first, read from the criteria (as pre-screening matches them), each with what it asks in words.</summary>
    public IReadOnlyList<(TrialRegistry.Ingestion.Model.EligibilityCheck Check, string Requirement)> Checks { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken, [FromQuery] string? near = null, [FromQuery] bool reported = false)
    {
        Id = id;
        Reported = reported;
        Trial = await reader.GetAsync(id, cancellationToken);
        if (Trial is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        if (Trial.MergedInto is { } mergedInto)
        {
            // The record was found to be a copy of a registered trial: its page is that trial's.
            return RedirectToPagePermanent("/Trials/Details", new { id = mergedInto });
        }

        Versions = await reader.VersionsAsync(id, cancellationToken) ?? [];
        if (Trial.Eligibility is { } eligibility)
        {
            static IEnumerable<TrialRegistry.Ingestion.Model.Criterion> Criteria(IEnumerable<CriterionDetail> items) => items.Select(c => new TrialRegistry.Ingestion.Model.Criterion(c.Text, c.SubItems));
            Checks = [.. TrialRegistry.Ingestion.Extraction.EligibilityChecks.From(Criteria(eligibility.Inclusion), Criteria(eligibility.Exclusion))
                .Select(c => (c, TrialRegistry.Ingestion.Prescreening.CheckMatcher.Describe(c)))];
        }

        Near = string.IsNullOrWhiteSpace(near) || near.Length > 200 ? null : await search.FindPlaceAsync(near, cancellationToken);
        Sites = Trial.Locations
            .Select((l, i) => (Site: l, Distance: Near is not null && l.Latitude is { } lat && l.Longitude is { } lon ? Near.KilometresTo(lat, lon) : (double?)null, Order: i))
            .OrderBy(s => s.Site.Status switch { "RECRUITING" => 0, "NOT_YET_RECRUITING" => 1, "ENROLLING_BY_INVITATION" => 2, null => 3, _ => 4 })
            .ThenBy(s => s.Distance ?? double.MaxValue)
            .ThenBy(s => s.Order)
            .Select(s => (s.Site, s.Distance))
            .ToList();
        return Page();
    }

    public string? SourceName(long documentId) =>
        Trial?.SourceDocuments.FirstOrDefault(d => d.Id == documentId) is { } d ? d.FileName ?? d.Sha256[..12] : null;

    /// <summary>"From FILE" for the document a field's value came from (shown on hover), or null.</summary>
    public string? FieldSource(string field) =>
        Trial?.Corrections.FirstOrDefault(c => c.Field == field) is { } corrected
            ? $"Corrected by {corrected.CorrectedBy}, {corrected.CorrectedAt:yyyy-MM-dd}: {corrected.Reason}"
            : Trial is not null && Trial.FieldSources.TryGetValue(field, out var id) && SourceName(id) is { } name ? $"From {name}" : null;
}
