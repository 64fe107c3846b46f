using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Npgsql;
using TrialRegistry.Data.Store;
using TrialRegistry.Data.Sync;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>
/// The sync from ClinicalTrials.gov without the internet: a server in the test process answers
/// <c>/api/v2/studies</c> as ClinicalTrials.gov does (paging by token, countTotal, filter.advanced on
/// LastUpdatePostDate) from the API v2 records in ../shared/corpus, and misbehaves on cue: a 429 with Retry-After,
/// a connection cut mid-run, a 500 that stops the run. The sync must end with exactly the records the server holds,
/// once each; a run after nothing changed writes nothing; a changed record comes in as an update.
/// </summary>
public sealed class SyncTests(PostgresServer server) : IAsyncLifetime
{
    private CtGovStandIn _upstream = null!;
    private string _baseUrl = string.Empty;
    private string _connectionString = string.Empty;

    private List<JsonObject> _studies => _upstream.Studies;

    private Queue<string> _faults => _upstream.Faults;

    public async ValueTask InitializeAsync()
    {
        _upstream = await new CtGovStandIn().StartAsync();
        _baseUrl = _upstream.BaseUrl;
        _connectionString = await server.CreateDatabaseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(_connectionString);
    }

    private static string Nct(JsonObject study) => CtGovStandIn.Nct(study);

    private async Task<SyncRun> SyncAsync(double fullEveryDays = 7)
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        using var http = new HttpClient();
        var options = new SyncOptions { BaseUrl = _baseUrl, PageSize = 10, MaxWaitSeconds = 2, FullEveryDays = fullEveryDays };
        return await new CtGovSync(dataSource, new TrialStore(dataSource), options).RunAsync(http, "test", TestContext.Current.CancellationToken);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task The_app_syncs_on_its_schedule_and_curators_see_the_runs_and_run_it_now()
    {
        const string password = "a sturdy test passphrase 7";
        await using var app = await new RegistryApp(server, null, new Dictionary<string, string?>
        {
            ["Sync:BaseUrl"] = _baseUrl,
            ["Sync:PageSize"] = "25",
            ["Sync:EveryHours"] = "24",
            ["Admin:BootstrapUser"] = "carla",
            ["Admin:BootstrapPassword"] = password,
        }).StartAsync();

        // The schedule's first run starts with the app.
        for (var i = 0; i < 150 && await app.CountAsync("SELECT count(*) FROM sync_runs WHERE status = 'DONE'") == 0; i++)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Equal(_studies.Select(Nct).Distinct().Count(), await app.CountAsync("SELECT count(*) FROM trials"));
        Assert.Equal(1, await app.CountAsync("SELECT count(*) FROM sync_runs WHERE trigger = 'schedule' AND status = 'DONE'"));

        using var client = app.CreateRawClient();
        var key = await app.ApiKeyAsync("carla");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sync/runs"))
        {
            request.Headers.Add("X-Api-Key", key);
            var now = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, now.StatusCode);
            var run = JsonDocument.Parse(await now.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            Assert.Equal("DONE", run.GetProperty("status").GetString());
            Assert.Equal(0, run.GetProperty("new").GetInt32());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sync/runs"))
        {
            request.Headers.Add("X-Api-Key", key);
            var runs = JsonDocument.Parse(await (await client.SendAsync(request, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            Assert.Equal(["carla", "schedule"], runs.EnumerateArray().Select(r => r.GetProperty("trigger").GetString()));
        }

        using var page = new PageSession(app);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, await page.SignInAsync("carla", password, TestContext.Current.CancellationToken));
        var html = await (await page.GetAsync("/admin/sync", cancellationToken: TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains(_baseUrl, html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(html, "<td>done, ended"));
    }

    [Fact]
    public async Task The_sync_ends_with_the_servers_records_once_each_resumes_after_faults_and_then_takes_only_changes()
    {
        var ids = _studies.Select(Nct).Distinct().ToList();
        Assert.True(ids.Count >= 60, $"{ids.Count} studies");

        // A 429 and a cut connection are waited out; a 500 stops the run where it is.
        foreach (var fault in new[] { "429", "cut", "none", "none", "500" })
        {
            _faults.Enqueue(fault);
        }

        var failed = await SyncAsync();
        Assert.Equal("FAILED", failed.Status);
        Assert.Equal(2, failed.Retries);
        Assert.NotNull(failed.NextPageToken);
        var storedBefore = await CountAsync("SELECT count(*) FROM trials");
        Assert.True(storedBefore is > 0 and < 60, $"{storedBefore} trials after the failed run");

        // The next run resumes at the page that failed, and the registry ends with each record once.
        var resumed = await SyncAsync();
        Assert.Equal("DONE", resumed.Status);
        Assert.Equal(failed.Id, resumed.Id);
        Assert.Equal((_studies.Count + 9) / 10, resumed.Pages);
        Assert.Equal(ids.Count, await CountAsync($"SELECT count(*) FROM trials WHERE registry_id = ANY(ARRAY['{string.Join("','", ids)}'])"));
        Assert.Equal(ids.Count, await CountAsync("SELECT count(*) FROM trials"));
        Assert.Equal(ids.Count, resumed.New);

        // Nothing changed upstream: the next run asks only for recent updates, and writes nothing.
        var versions = await CountAsync("SELECT count(*) FROM trial_versions");
        var documents = await CountAsync("SELECT count(*) FROM source_documents");
        var quiet = await SyncAsync();
        Assert.Equal("DONE", quiet.Status);
        Assert.NotNull(quiet.Since);
        Assert.False(quiet.Full);
        Assert.Equal(0, quiet.New + quiet.Updated);
        Assert.Equal(versions, await CountAsync("SELECT count(*) FROM trial_versions"));
        Assert.Equal(documents, await CountAsync("SELECT count(*) FROM source_documents"));

        // One record changes upstream (status and update date): the next run takes it as an update.
        var changed = _studies[5];
        changed["protocolSection"]!["statusModule"]!["overallStatus"] = "TERMINATED";
        changed["protocolSection"]!["statusModule"]!["lastUpdatePostDateStruct"] = new JsonObject { ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["type"] = "ACTUAL" };
        var update = await SyncAsync();
        Assert.Equal(1, update.Studies);
        Assert.Equal(1, update.Updated);
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM trials WHERE registry_id = '{Nct(changed)}' AND status = 'TERMINATED' AND version = 2"));
        // A study the query no longer returns: a full run notes it, and it stays in the registry.
        var gone = Nct(_studies[^1]);
        _studies.RemoveAt(_studies.Count - 1);
        var full = await SyncAsync(fullEveryDays: 0);
        Assert.True(full.Full);
        Assert.Null(full.Since);
        Assert.Equal([gone], full.Missing);
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM trials WHERE registry_id = '{gone}'"));
        Assert.Equal(5, await CountAsync("SELECT count(*) FROM audit_entries WHERE action = 'sync' AND actor = 'test'"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM audit_entries WHERE action = 'sync' AND details LIKE '%1 no longer returned: {gone}%'"));
    }
}
