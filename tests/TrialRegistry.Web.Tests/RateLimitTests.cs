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

    [Fact]
    public async Task Uploads_have_a_tighter_limit_of_their_own()
    {
        await using var app = await new RegistryApp(server, null, new Dictionary<string, string?>
        {
            ["Admin:BootstrapUser"] = "admin",
            ["Admin:BootstrapPassword"] = "a long enough password",
            ["RateLimiting:UploadPermitsPerMinute"] = "2",
        }).StartAsync();
        var key = await app.ApiKeyAsync("admin");
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(SharedPaths.Seed("002"))), "file", $"002-{i}.txt" } };
            statuses.Add((await client.PostAsync("/api/v1/documents", form, TestContext.Current.CancellationToken)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/antigens", TestContext.Current.CancellationToken)).StatusCode); // reads are not held back
    }
}
