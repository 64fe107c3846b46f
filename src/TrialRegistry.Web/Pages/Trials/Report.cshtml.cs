using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using TrialRegistry.Data.Search;
using TrialRegistry.Data.Store;
using TrialRegistry.Web.Infrastructure;

namespace TrialRegistry.Web.Pages.Trials;

/// <summary>
/// A reader's report that a value of a trial is wrong: it waits for the registry's editors. Nothing about the reader is
/// kept. Limited like uploads (a few a minute per address), as anyone may send one.
/// </summary>
[EnableRateLimiting(RateLimiting.UploadPolicy)]
public sealed class ReportModel(ValueFlags flags) : PageModel
{
    public string Id { get; private set; } = string.Empty;
    public string? Error { get; private set; }

    [BindProperty]
    public string? Field { get; set; }

    [BindProperty]
    public string? Message { get; set; }

    public void OnGet(string id) => Id = TrialReader.NormalizeId(id);

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        Id = TrialReader.NormalizeId(id);
        Error = Field is null || !ValueFlags.Subjects.Contains(Field) ? "Choose which value is wrong."
            : string.IsNullOrWhiteSpace(Message) ? "Say what is wrong."
            : Message.Length > ValueFlags.MaxMessage ? $"Say it in at most {ValueFlags.MaxMessage} characters."
            : null;
        if (Error is null && await flags.AddAsync(Id, Field!, Message!, cancellationToken) is null)
        {
            return NotFound();
        }

        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return Redirect($"/trials/{Uri.EscapeDataString(Id)}?reported=true#report");
    }
}
