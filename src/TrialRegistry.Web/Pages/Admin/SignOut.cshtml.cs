using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;
using TrialRegistry.Web.Infrastructure;

namespace TrialRegistry.Web.Pages.Admin;

/// <summary>Signing out ends the session on the server too: the old cookie, replayed, is refused.</summary>
public sealed class SignOutModel(AdminAccounts accounts) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/admin/upload");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.FindFirst(AdminAuthentication.SessionClaim)?.Value is { } session)
        {
            await accounts.EndSessionAsync(session, cancellationToken);
            await accounts.AuditAsync(User.Identity?.Name ?? "unknown", "sign-out", null, cancellationToken: cancellationToken);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/");
    }
}
