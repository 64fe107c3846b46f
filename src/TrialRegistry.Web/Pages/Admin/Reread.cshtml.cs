using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using TrialRegistry.Data.Search;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;

namespace TrialRegistry.Web.Pages.Admin;

/// <summary>
/// Read stored documents again with today's parser: choose which (a format, the unreadable ones, a trial's), see what
/// would change, then apply it.
/// </summary>
[EnableRateLimiting(Infrastructure.RateLimiting.UploadPolicy)]
public sealed class RereadModel(TrialStore store) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Format { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Trial { get; set; }

    public IReadOnlyList<RereadDocument>? Results { get; private set; }
    public bool Applied { get; private set; }
    public string? Error { get; private set; }

    public static IReadOnlyList<string> Formats { get; } = [.. DocumentParser.Default.Formats, DocumentParser.UnknownFormat];

    public void OnGet()
    {
    }

    public Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken) => RunAsync(apply: false, cancellationToken);

    public Task<IActionResult> OnPostApplyAsync(CancellationToken cancellationToken) => RunAsync(apply: true, cancellationToken);

    private async Task<IActionResult> RunAsync(bool apply, CancellationToken cancellationToken)
    {
        Format = string.IsNullOrWhiteSpace(Format) ? null : Format;
        Trial = string.IsNullOrWhiteSpace(Trial) ? null : TrialReader.NormalizeId(Trial);
        if (Format is not null && !Formats.Contains(Format))
        {
            Error = $"'{Format}' is not a format.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Results = await store.RereadAsync(new RereadScope(Format, Trial), User.Identity!.Name!, "page", apply, cancellationToken);
        Applied = apply;
        return Page();
    }
}
