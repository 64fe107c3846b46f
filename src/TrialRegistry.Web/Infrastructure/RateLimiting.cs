using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using TrialRegistry.Web.Api;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>Settings of the API's rate limit (section <c>RateLimiting</c>): requests per client address per window.</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    public int PermitsPerWindow { get; set; } = 1200;

    public int WindowSeconds { get; set; } = 60;

    public int SignInPermitsPerMinute { get; set; } = 10;

    public int UploadPermitsPerMinute { get; set; } = 30;
}

public static class RateLimiting
{
    public const string SignInPolicy = "signin";
    public const string UploadPolicy = "upload";

    /// <summary>
    /// A fixed window per client address on the API; over the limit: 429 ProblemDetails with Retry-After. The settings
    /// are checked at start: a limit below one stops the app with a message naming the setting.
    /// </summary>
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section)
            .Validate(o => o.PermitsPerWindow >= 1, "RateLimiting:PermitsPerWindow must be at least 1")
            .Validate(o => o.WindowSeconds >= 1, "RateLimiting:WindowSeconds must be at least 1")
            .Validate(o => o.SignInPermitsPerMinute >= 1, "RateLimiting:SignInPermitsPerMinute must be at least 1")
            .Validate(o => o.UploadPermitsPerMinute >= 1, "RateLimiting:UploadPermitsPerMinute must be at least 1")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingOptions>>((limiter, settings) =>
        {
            var options = settings.Value;
            limiter.AddPolicy(TrialsApi.RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitsPerWindow,
                    Window = TimeSpan.FromSeconds(options.WindowSeconds),
                    QueueLimit = 0,
                }));
            // Sign-in: a few tries a minute per address, against password guessing. Only tries count: loading the form does not.
            limiter.AddPolicy(SignInPolicy, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    "signin:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInPermitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("signin:form"));
            // Uploads: heavy requests, a few a minute per address.
            limiter.AddPolicy(UploadPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                "upload:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.UploadPermitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : options.WindowSeconds;
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"Too many requests of this kind from one client. Retry after {retryAfter} s.",
                    },
                });
            };
        });
        return services;
    }
}
