using System.Net;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

public sealed class RateLimitTests(PostgresServer server)
{
    [Fact]
    public async Task Over_the_limit_the_api_answers_429_with_retry_after()
    {
        await using var app = await new RegistryApp(server, null, new Dictionary<string, string?>
        {
            ["RateLimiting:PermitsPerWindow"] = "3",
            ["RateLimiting:WindowSeconds"] = "60",
        }).StartAsync();
        using var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/antigens", TestContext.Current.CancellationToken)).StatusCode);
        }

        var limited = await client.GetAsync("/api/v1/antigens", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // The pages and health checks are not the API: not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", TestContext.Current.CancellationToken)).StatusCode);
    }
}
