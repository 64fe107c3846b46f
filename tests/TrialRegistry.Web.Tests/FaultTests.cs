using System.Net;
using TrialRegistry.Data.LocalDatabase;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>
/// PostgreSQL going away while the app serves: 503 ProblemDetails, readiness fails, and service comes back by
/// itself. Uses a cluster of its own (stopping the shared one would stop every other test).
/// </summary>
public sealed class FaultTests
{
    [Fact]
    public async Task With_the_database_down_the_api_answers_503_and_recovers_when_it_returns()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"trialregistry-fault-{Guid.NewGuid():N}");
        var cluster = new LocalPostgresCluster(new LocalPostgresOptions { DataDirectory = Path.Combine(folder, "postgres"), Port = 56432 });
        try
        {
            var connectionString = await cluster.EnsureStartedAsync("fault");
            await using var app = new RegistryApp(connectionString, SharedPaths.Seeds);
            await app.StartAsync();
            using var client = app.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/trials?antigen=CD70", TestContext.Current.CancellationToken)).StatusCode);

            await cluster.StopAsync(TestContext.Current.CancellationToken);
            Npgsql.NpgsqlConnection.ClearAllPools();
            var down = await client.GetAsync("/api/v1/trials?antigen=CD70", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(down.Headers.RetryAfter);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", TestContext.Current.CancellationToken)).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/trials/NCT06586658", TestContext.Current.CancellationToken)).StatusCode);

            await cluster.EnsureStartedAsync("fault");
            HttpStatusCode status = default;
            for (var i = 0; i < 50 && status != HttpStatusCode.OK; i++)
            {
                status = (await client.GetAsync("/api/v1/trials?antigen=CD70", TestContext.Current.CancellationToken)).StatusCode;
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode);
        }
        finally
        {
            await cluster.StopAsync(CancellationToken.None);
            Directory.Delete(folder, recursive: true);
        }
    }
}
