using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TrialRegistry.Data.Search;

namespace TrialRegistry.Web.Pages.Trials;

/// <summary>One trial, as a clinician deciding on a referral needs it.</summary>
public sealed class DetailsModel(TrialReader reader) : PageModel
{
    public TrialDetail? Trial { get; private set; }
    public IReadOnlyList<TrialVersionSummary> Versions { get; private set; } = [];
    public string Id { get; private set; } = string.Empty;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
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
        return Page();
    }

    public string? SourceName(long documentId) =>
        Trial?.SourceDocuments.FirstOrDefault(d => d.Id == documentId) is { } d ? d.FileName ?? d.Sha256[..12] : null;

    /// <summary>"From FILE" for the document a field's value came from (shown on hover), or null.</summary>
    public string? FieldSource(string field) =>
        Trial is not null && Trial.FieldSources.TryGetValue(field, out var id) && SourceName(id) is { } name ? $"From {name}" : null;
}
