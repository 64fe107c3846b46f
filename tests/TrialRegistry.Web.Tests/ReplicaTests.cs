using System.Text.Json;
using Npgsql;
using TrialRegistry.Data.LocalDatabase;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>
/// Past one machine on PostgreSQL's own replication: a primary of its own (a local cluster in a temporary folder) and
/// a real streaming replica of it (<c>pg_basebackup -R</c>, hot standby). The app writes to the primary and serves
/// searches, facets and trial records from the replica (<c>ConnectionStrings:RegistryRead</c>); while the primary
/// stores documents the searches keep answering, and what the primary stored arrives in them.
/// </summary>
[Trait("Speed", "Slow")]
public sealed class ReplicaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Searches_served_by_a_replica_see_what_the_primary_stores()
    {
        var folder = Path.Combine("/var/tmp", $"trialregistry-replica-test-{Guid.NewGuid():N}");
        var cluster = new LocalPostgresCluster(new LocalPostgresOptions { DataDirectory = Path.Combine(folder, "primary", "postgres"), Port = 56300, Database = "registry" });
        try
        {
            var primary = await cluster.EnsureStartedAsync("registry", Ct);
            await using var replica = await cluster.StartReplicaAsync(Path.Combine(folder, "replica"), 56400, Ct);
            var reads = new NpgsqlConnectionStringBuilder(primary) { Port = replica.Port, ApplicationName = "registry-read" }.ConnectionString;
            await using var app = await new RegistryApp(primary, seedsPath: null, new Dictionary<string, string?>
            {
                ["ConnectionStrings:RegistryRead"] = reads,
                ["Ingestion:Enabled"] = "false",
            }).StartAsync();
            using var client = app.CreateClient();

            // The replica is a hot standby of the primary the app migrated.
            await using (var standby = new NpgsqlConnection(reads))
            {
                await standby.OpenAsync(Ct);
                await using var recovery = new NpgsqlCommand("SELECT pg_is_in_recovery()", standby);
                Assert.True((bool)(await recovery.ExecuteScalarAsync(Ct))!);
            }

            async Task<int?> ServedTotalAsync()
            {
                using var response = await client.GetAsync("/api/v1/trials?countTotal=true&facets=true&pageSize=1", Ct);
                Assert.True(response.IsSuccessStatusCode, $"search answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
                return body.RootElement.TryGetProperty("totalCount", out var total) ? total.GetInt32() : null;
            }

            // Wait for the migrated schema to arrive (the app migrated the primary as it started).
            await EventuallyAsync(async () =>
            {
                try
                {
                    return await ServedTotalAsync() == 0;
                }
                catch (Xunit.Sdk.XunitException)
                {
                    return false;
                }
            }, "the replica never served the empty registry");

            // The primary stores documents, one transaction each, while searches are served by the replica.
            var files = Directory.GetFiles(Path.Combine(SharedPaths.Corpus, "ctgov-json"), "*.json").Order(StringComparer.Ordinal).Take(8).ToList();
            await using var primarySource = NpgsqlDataSource.Create(primary);
            var store = new TrialStore(primarySource);
            var storing = Task.Run(async () =>
            {
                foreach (var file in files)
                {
                    await store.ImportAsync(DocumentParser.Default.Parse(await File.ReadAllBytesAsync(file, Ct), Path.GetFileName(file)), Ct);
                }
            }, Ct);
            var searches = 0;
            while (!storing.IsCompleted)
            {
                await ServedTotalAsync();
                searches++;
            }

            await storing;
            Assert.True(searches > 0);

            await using var count = primarySource.CreateCommand("SELECT count(*)::int FROM trials WHERE NOT withdrawn");
            var stored = (int)(await count.ExecuteScalarAsync(Ct))!;
            Assert.True(stored >= files.Count / 2, $"{stored} trials stored from {files.Count} documents");
            await EventuallyAsync(async () => await ServedTotalAsync() == stored, $"the replica's search never counted the {stored} trials the primary stored");

            // A trial record comes from the replica too.
            await using var anyTrial = primarySource.CreateCommand("SELECT registry_id FROM trials WHERE NOT withdrawn ORDER BY id DESC LIMIT 1");
            var id = (string)(await anyTrial.ExecuteScalarAsync(Ct))!;
            using (var record = await client.GetAsync($"/api/v1/trials/{id}", Ct))
            {
                Assert.True(record.IsSuccessStatusCode, $"trial {id}: {(int)record.StatusCode}");
            }

            // The app's read connections are the replica's: the standby has them, under the read connection's name.
            await using (var standby = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(reads) { ApplicationName = "replica-test" }.ConnectionString))
            {
                await standby.OpenAsync(Ct);
                await using var sessions = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'registry-read'", standby);
                Assert.True((long)(await sessions.ExecuteScalarAsync(Ct))! > 0);
            }
        }
        finally
        {
            await cluster.StopAsync(CancellationToken.None);
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // a server file still open: the temporary folder's cleaning takes it
            }
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string failure)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200, Ct);
        }

        Assert.Fail(failure);
    }
}
