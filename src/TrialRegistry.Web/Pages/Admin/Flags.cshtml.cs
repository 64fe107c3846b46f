using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TrialRegistry.Data.Store;

namespace TrialRegistry.Web.Pages.Admin;

/// <summary>The queue of readers' reports of wrong values: open ones oldest first, and the latest resolved.</summary>
public sealed class FlagsModel(ValueFlags flags) : PageModel
{
    public IReadOnlyList<FlagLine> Open { get; private set; } = [];
    public IReadOnlyList<FlagLine> Resolved { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Open = await flags.ListAsync(open: true, cancellationToken: cancellationToken);
        Resolved = await flags.ListAsync(open: false, limit: 20, cancellationToken: cancellationToken);
    }

    public async Task<IActionResult> OnPostResolveAsync(long flagId, string? resolution, CancellationToken cancellationToken)
    {
        await flags.ResolveAsync(flagId, User.Identity!.Name!, string.IsNullOrWhiteSpace(resolution) ? "dismissed" : resolution[..Math.Min(resolution.Length, 500)], "page", cancellationToken);
        return RedirectToPage();
    }
}
