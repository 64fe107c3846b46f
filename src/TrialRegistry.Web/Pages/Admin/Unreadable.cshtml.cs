using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Web.Pages.Admin;

/// <summary>
/// Documents the parser could not read, kept with their text (curators only): the list, and for one of them its
/// text beside a form to fill in what a careful reader takes from it, stored as the document's record.
/// </summary>
public sealed class UnreadableModel(RegistryDbContext db, TrialStore store) : PageModel
{
    public sealed record DocumentLine(long Id, string? FileName, string? Error, DateTimeOffset ReceivedAt);

    /// <summary>The most of a document's text the page shows.</summary>
    public const int ShownText = 20_000;

    public IReadOnlyList<DocumentLine> Documents { get; private set; } = [];

    public SourceDocument? Document { get; private set; }

    public string? Error { get; private set; }

    [BindProperty] public string? RegistryId { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Status { get; set; }
    [BindProperty] public List<string> Phases { get; set; } = [];
    [BindProperty] public string? Conditions { get; set; }
    [BindProperty] public string? Antigens { get; set; }
    [BindProperty] public string? Sponsor { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(long? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            Documents = await db.SourceDocuments.AsNoTracking().Where(d => d.Format == DocumentParser.UnknownFormat)
                .OrderByDescending(d => d.Id).Take(200)
                .Select(d => new DocumentLine(d.Id, d.FileName, d.Error, d.ReceivedAt)).ToListAsync(cancellationToken);
            return Page();
        }

        Document = await db.SourceDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (Document is null)
        {
            return NotFound();
        }

        // Offer the registry numbers the text gives.
        RegistryId ??= RegistryIds.Find(Document.RawText).FirstOrDefault()?.Id;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken cancellationToken)
    {
        Document = await db.SourceDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (Document is null)
        {
            return NotFound();
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(RegistryId) || RegistryId.Trim().Length > 64 || RegistryId.Any(char.IsControl))
        {
            problems.Add("Give the trial's registry id (NCT…, ChiCTR…, EudraCT…), as the document writes it.");
        }

        if (string.IsNullOrWhiteSpace(Title))
        {
            problems.Add("Give the trial's title.");
        }

        TrialStatus? status = string.IsNullOrWhiteSpace(Status) ? null : VocabularyNames.Parse<TrialStatus>(Status);
        if (!string.IsNullOrWhiteSpace(Status) && status is null)
        {
            problems.Add($"'{Status}' is not a status.");
        }

        var phases = Phases.Select(p => VocabularyNames.Parse<TrialPhase>(p)).ToList();
        if (phases.Any(p => p is null))
        {
            problems.Add("One of the phases is not a phase.");
        }

        if (problems.Count > 0)
        {
            Error = string.Join(" ", problems);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var antigens = Split(Antigens).Select(a => AntigenVocabulary.Find(a)?.Symbol ?? a.ToUpperInvariant()).Distinct().ToList();
        var record = new TrialRecord
        {
            RegistryId = RegistryIds.IsId(RegistryId) ? RegistryIds.Find(RegistryId)[0].Id : RegistryId!.Trim(),
            Title = Title!.Trim(),
            Status = status,
            Phases = [.. phases.OfType<TrialPhase>().Distinct().Order()],
            Conditions = Split(Conditions, '\n'),
            TargetAntigens = antigens,
            Sponsors = string.IsNullOrWhiteSpace(Sponsor) ? [] : [new TrialRegistry.Ingestion.Model.Sponsor(Sponsor.Trim(), SponsorRole.Lead, null)],
            Source = new SourceInfo(Document.FileName, TrialStore.ManualFormat, Document.Sha256),
        };
        var result = await store.FillInAsync(id, record, new AdminAction(User.Identity!.Name!, "page", Reason), cancellationToken);
        switch (result.Outcome)
        {
            case FillInOutcome.Stored:
                return Redirect($"/trials/{Uri.EscapeDataString(result.Record!.RegistryId)}");
            case FillInOutcome.NotUnreadable:
                Error = "This document was read (by the parser or by hand): correct its trial on the trial's correction page instead.";
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                return NotFound();
        }
    }

    private static List<string> Split(string? text, char separator = ',') =>
        text is null ? [] : [.. text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase)];
}
