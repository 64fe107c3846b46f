using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using TrialRegistry.Data.Ingestion;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>
/// Who may write: admins, signed in on a page (cookie) or calling the API with their key
/// (<c>X-Api-Key: …</c> or <c>Authorization: Bearer …</c>). Reading needs nobody.
/// </summary>
public static class AdminAuthentication
{
    public const string AdminRole = "admin";
    /// <summary>Pages: the sign-in cookie.</summary>
    public const string PagePolicy = "AdminPages";
    /// <summary>API: an admin API key.</summary>
    public const string ApiPolicy = "AdminApi";
    public const string ApiKeyScheme = "ApiKey";

    /// <param name="services">The app's services.</param>
    /// <param name="httpsOnlyCookies">Admin:RequireHttpsCookies (default true; false in Development and for a plain-http localhost deployment).</param>
    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services, bool httpsOnlyCookies)
    {
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
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PagePolicy, policy => policy.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireRole(AdminRole))
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyScheme).RequireRole(AdminRole));
        return services;
    }

    public static ClaimsPrincipal Principal(string userName, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, userName), new Claim(ClaimTypes.Role, AdminRole)], scheme));

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
                : AuthenticateResult.Success(new AuthenticationTicket(Principal(user.UserName, ApiKeyScheme), ApiKeyScheme));
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
                ProblemDetails = { Status = 403, Title = "Admins only" },
            });
        }
    }
}
