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
        await flags.ResolveAsync(flagId, User.Identity!.Name!, Resolution(resolution), "page", cancellationToken);
        return RedirectToPage();
    }

    /// <summary>What an admin typed when resolving a report on a page (the field holds 500 characters); nothing typed: dismissed.</summary>
    internal static string Resolution(string? typed) => string.IsNullOrWhiteSpace(typed) ? "dismissed" : typed[..Math.Min(typed.Length, 500)];
}
