using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TrialRegistry.Data.Ingestion;
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

        var user = await accounts.VerifyPasswordAsync(UserName, Password, cancellationToken);
        if (user is null)
        {
            logger.LogWarning("Failed admin sign-in for {UserName} from {Address}", UserName, HttpContext.Connection.RemoteIpAddress);
            await accounts.AuditAsync(UserName.Length > 100 ? UserName[..100] : UserName, "sign-in-failed", null, $"from {HttpContext.Connection.RemoteIpAddress}", cancellationToken);
            Error = "The user name or password is not right.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        var session = await accounts.StartSessionAsync(user, sessions.Value.AbsoluteLifetime, cancellationToken);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            AdminAuthentication.SessionPrincipal(user.UserName, session, user.SecurityStamp),
            new AuthenticationProperties { ExpiresUtc = null, IsPersistent = false });
        await accounts.AuditAsync(user.UserName, "sign-in", null, cancellationToken: cancellationToken);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/admin/upload");
    }
}
