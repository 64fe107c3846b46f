using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>Admin session settings (section <c>Admin</c>).</summary>
public sealed class AdminSessionOptions
{
    /// <summary>The absolute lifetime of a signed-in session in hours, however active (Admin:SessionHours, default 12).</summary>
    [System.ComponentModel.DataAnnotations.Range(0.05, 720)]
    public double SessionHours { get; set; } = AdminAccounts.DefaultSessionLifetime.TotalHours;

    public TimeSpan AbsoluteLifetime => TimeSpan.FromHours(SessionHours);

    /// <summary>
    /// Admin:TwoPersonConfirm (default false): a batch must be confirmed by another curator than the admin who
    /// uploaded it, so no document reaches the registry on one person's word.
    /// </summary>
    public bool TwoPersonConfirm { get; set; }
}

/// <summary>
/// Who may write: admins, signed in on a page (cookie) or calling the API with their key
/// (<c>X-Api-Key: …</c> or <c>Authorization: Bearer …</c>). Reading needs nobody. Every admin may upload and see
/// previews; storing in the registry (confirming, correcting, withdrawing, re-reading) and managing admins need the
/// curator role (<see cref="CuratorPagePolicy"/>, <see cref="CuratorApiPolicy"/>).
/// </summary>
public static class AdminAuthentication
{
    public const string AdminRole = "admin";
    /// <summary>The role claim of curators (<see cref="Data.Model.AdminRole.Curator"/>).</summary>
    public const string CuratorRole = "curator";
    /// <summary>Pages: the sign-in cookie.</summary>
    public const string PagePolicy = "AdminPages";
    /// <summary>API: an admin API key.</summary>
    public const string ApiPolicy = "AdminApi";
    /// <summary>Pages that store or manage: a curator's cookie.</summary>
    public const string CuratorPagePolicy = "CuratorPages";
    /// <summary>API endpoints that store or manage: a curator's key.</summary>
    public const string CuratorApiPolicy = "CuratorApi";
    public const string ApiKeyScheme = "ApiKey";
    /// <summary>The claim holding the server-side session's token (cookie sessions only).</summary>
    public const string SessionClaim = "trialregistry:session";
    /// <summary>The claim holding the admin's security stamp when the session began.</summary>
    public const string StampClaim = "trialregistry:stamp";

    /// <param name="services">The app's services.</param>
    /// <param name="httpsOnlyCookies">Admin:RequireHttpsCookies (default true; false in Development and for a plain-http localhost deployment).</param>
    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services, bool httpsOnlyCookies)
    {
        services.AddOptions<AdminSessionOptions>().BindConfiguration("Admin").ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/admin/signin";
                options.LogoutPath = "/admin/signout";
                options.AccessDeniedPath = "/admin/signin";
                options.Cookie.Name = "trialregistry.admin";
                options.Cookie.HttpOnly = true;
                options.Cookie.SecurePolicy = httpsOnlyCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                options.Cookie.SameSite = SameSiteMode.Strict;
                // Idle time-out; the session's absolute lifetime is enforced server-side (AdminAccounts).
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = ValidateSessionAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PagePolicy, policy => policy.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireRole(AdminRole))
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyScheme).RequireRole(AdminRole))
            .AddPolicy(CuratorPagePolicy, policy => policy.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireRole(CuratorRole))
            .AddPolicy(CuratorApiPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyScheme).RequireRole(CuratorRole));
        return services;
    }

    /// <summary>The role claims of an admin: every admin has <see cref="AdminRole"/>, curators also <see cref="CuratorRole"/>.</summary>
    private static IEnumerable<Claim> Roles(Data.Model.AdminRole role) =>
        role == Data.Model.AdminRole.Curator
            ? [new Claim(ClaimTypes.Role, AdminRole), new Claim(ClaimTypes.Role, CuratorRole)]
            : [new Claim(ClaimTypes.Role, AdminRole)];

    public static ClaimsPrincipal Principal(string userName, Data.Model.AdminRole role, string scheme) =>
        new(new ClaimsIdentity(Roles(role).Prepend(new Claim(ClaimTypes.Name, userName)), scheme));

    /// <summary>The principal of a browser session: the admin, their role, the session's token and the stamp it was issued with.</summary>
    public static ClaimsPrincipal SessionPrincipal(string userName, Data.Model.AdminRole role, string sessionToken, string securityStamp) =>
        new(new ClaimsIdentity(
            Roles(role).Prepend(new Claim(ClaimTypes.Name, userName))
                .Append(new Claim(SessionClaim, sessionToken)).Append(new Claim(StampClaim, securityStamp)),
            CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>
    /// Every request with the admin cookie asks the database whether its session still stands: a cookie from before a
    /// sign-out, a password reset or the account's removal, or past the session's absolute lifetime, is refused and
    /// cleared, whatever its own expiry says.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var token = principal?.FindFirstValue(SessionClaim);
        var stamp = principal?.FindFirstValue(StampClaim);
        var user = principal?.Identity?.Name;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AdminAccounts>();
        if (token is null || stamp is null || user is null ||
            !await accounts.IsSessionValidAsync(token, user, stamp, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>Reads an admin API key from X-Api-Key or a bearer token; 401 ProblemDetails without one.</summary>
    public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminAccounts accounts)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var key = Request.Headers["X-Api-Key"].ToString();
            var authorization = Request.Headers.Authorization.ToString();
            if (key.Length == 0 && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                key = authorization["Bearer ".Length..].Trim();
            }

            if (key.Length == 0)
            {
                return AuthenticateResult.NoResult();
            }

            var user = key.Length <= 200 ? await accounts.FindByApiKeyAsync(key, Context.RequestAborted) : null;
            return user is null
                ? AuthenticateResult.Fail("unknown API key")
                : AuthenticateResult.Success(new AuthenticationTicket(Principal(user.UserName, user.Role, ApiKeyScheme), ApiKeyScheme));
        }

        protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer realm=\"trialregistry\"";
            await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = { Status = 401, Title = "Admin API key required", Detail = "Writes need an admin API key in X-Api-Key or Authorization: Bearer (trialregistry admin apikey --user NAME)." },
            });
        }

        protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = { Status = 403, Title = "Curators only", Detail = "This needs an admin with the curator role; an uploader's key may upload documents and follow batches." },
            });
        }
    }
}
