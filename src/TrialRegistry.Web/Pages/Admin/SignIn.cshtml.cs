using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;
using TrialRegistry.Web.Infrastructure;

namespace TrialRegistry.Web.Pages.Admin;

[EnableRateLimiting(RateLimiting.SignInPolicy)]
public sealed class SignInModel(AdminAccounts accounts, IOptions<AdminSessionOptions> sessions, ILogger<SignInModel> logger) : PageModel
{
    [BindProperty, Required, StringLength(100)]
    public string UserName { get; set; } = string.Empty;

    [BindProperty, Required, DataType(DataType.Password), StringLength(200)]
    public string Password { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            Error = "Enter your user name and password.";
            return Page();
        }

        var (outcome, user) = await accounts.SignInAsync(UserName, Password, cancellationToken);
        if (user is null)
        {
            logger.LogWarning("Failed admin sign-in for {UserName} from {Address}: {Outcome}", UserName, HttpContext.Connection.RemoteIpAddress, outcome);
            await accounts.AuditAsync(UserName.Length > 100 ? UserName[..100] : UserName, "sign-in-failed", null, $"{outcome} from {HttpContext.Connection.RemoteIpAddress}", cancellationToken);
            // One answer whatever went wrong, so the page does not tell which names exist or are locked.
            Error = "The user name or password is not right, or the account is locked for a while after too many attempts.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        var session = await accounts.StartSessionAsync(user, sessions.Value.AbsoluteLifetime, cancellationToken);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            AdminAuthentication.SessionPrincipal(user.UserName, user.Role, session, user.SecurityStamp),
            new AuthenticationProperties { ExpiresUtc = null, IsPersistent = false });
        await accounts.AuditAsync(user.UserName, "sign-in", null, cancellationToken: cancellationToken);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin/upload");
    }
}
