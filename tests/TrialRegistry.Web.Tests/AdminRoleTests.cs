using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;
using TrialRegistry.Data.Model;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>
/// Roles and the two-person rule over real HTTP: an uploader's documents wait for a curator and an uploader is
/// refused what stores or manages (403 ProblemDetails on the API, no confirm on the page); with
/// Admin:TwoPersonConfirm the curator who uploaded a batch cannot confirm it, another curator can; a disabled
/// admin's cookie and key stop working at once, a lockout refuses the right password.
/// </summary>
public sealed class AdminRoleTests(PostgresServer server) : IAsyncLifetime
{
    private const string Password = "a sturdy test passphrase 7";
    private RegistryApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await new RegistryApp(server, null, new Dictionary<string, string?>
        {
            ["Admin:BootstrapUser"] = "carla",
            ["Admin:BootstrapPassword"] = Password,
            ["Admin:TwoPersonConfirm"] = "true",
            ["RateLimiting:SignInPermitsPerMinute"] = "100",
            ["Ingestion:IdleSeconds"] = "0.1",
        }).StartAsync();
        await using var scope = _app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AdminAccounts>();
        await accounts.CreateAsync("ulla", Password, AdminRole.Uploader, "test");
        await accounts.CreateAsync("dora", Password, AdminRole.Curator, "test");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static MultipartFormDataContent Document() =>
        new() { { new StringContent("NCT01234567 A Phase 1 Study of CD19 CAR-T Cells in Lymphoma. Status: Recruiting."), "file", "note.txt" } };

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, HttpContent? content = null)
    {
        using var client = _app.CreateRawClient();
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("X-Api-Key", key);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<long> BatchOfAsync(HttpResponseMessage stored)
    {
        Assert.Equal(HttpStatusCode.Accepted, stored.StatusCode);
        return JsonDocument.Parse(await stored.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("batchId").GetInt64();
    }

    [Fact]
    public async Task An_uploader_uploads_but_stores_nothing_and_is_refused_what_curators_do()
    {
        var uploader = await _app.ApiKeyAsync("ulla");
        var batch = await BatchOfAsync(await SendAsync(HttpMethod.Post, "/api/v1/documents", uploader, Document()));
        Assert.Equal(0, await _app.CountAsync($"SELECT count(*) FROM ingestion_jobs WHERE batch_id = {batch}"));
        Assert.Equal(1, await _app.CountAsync($"SELECT count(*) FROM uploads WHERE batch_id = {batch} AND status = 'PENDING'"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/api/v1/batches/{batch}", uploader)).StatusCode);

        foreach (var (method, path, body) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Post, "/api/v1/documents/reread", """{"apply": false, "limit": 1}"""),
            (HttpMethod.Put, "/api/v1/trials/NCT01234567/corrections/status", """{"value": "COMPLETED", "reason": "test"}"""),
            (HttpMethod.Post, "/api/v1/trials/NCT01234567/withdraw", "{}"),
            (HttpMethod.Get, "/api/v1/flags", null),
        })
        {
            var refused = await SendAsync(method, path, uploader, body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        var curator = await _app.ApiKeyAsync("dora");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/v1/documents/reread", curator,
            new StringContent("""{"apply": false, "limit": 1}""", System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        // On the page the uploader is told a curator confirms, and a forged confirm is refused.
        using var page = new PageSession(_app);
        Assert.Equal(HttpStatusCode.Redirect, await page.SignInAsync("ulla", Password, TestContext.Current.CancellationToken));
        var html = await (await page.GetAsync($"/admin/batches/{batch}", cancellationToken: TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("a curator confirms", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Confirm all pending", html, StringComparison.Ordinal);
        var forged = await page.PostFormAsync($"/admin/batches/{batch}", $"/admin/batches/{batch}?handler=Confirm", new Dictionary<string, string>(), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(0, await _app.CountAsync($"SELECT count(*) FROM ingestion_jobs WHERE batch_id = {batch}"));
        Assert.Equal(HttpStatusCode.Redirect, (await page.GetAsync("/admin/accounts", cancellationToken: TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task With_two_people_required_the_curator_who_uploaded_cannot_confirm_and_another_can()
    {
        var batch = await BatchOfAsync(await SendAsync(HttpMethod.Post, "/api/v1/documents", await _app.ApiKeyAsync("carla"), Document()));
        Assert.Equal(0, await _app.CountAsync($"SELECT count(*) FROM ingestion_jobs WHERE batch_id = {batch}"));

        using var uploader = new PageSession(_app);
        Assert.Equal(HttpStatusCode.Redirect, await uploader.SignInAsync("carla", Password, TestContext.Current.CancellationToken));
        var own = await uploader.PostFormAsync($"/admin/batches/{batch}", $"/admin/batches/{batch}?handler=Confirm", new Dictionary<string, string>(), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Equal(0, await _app.CountAsync($"SELECT count(*) FROM ingestion_jobs WHERE batch_id = {batch}"));

        using var second = new PageSession(_app);
        Assert.Equal(HttpStatusCode.Redirect, await second.SignInAsync("dora", Password, TestContext.Current.CancellationToken));
        var confirmed = await second.PostFormAsync($"/admin/batches/{batch}", $"/admin/batches/{batch}?handler=Confirm", new Dictionary<string, string>(), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(1, await _app.CountAsync($"SELECT count(*) FROM ingestion_jobs WHERE batch_id = {batch}"));
        Assert.Equal(1, await _app.CountAsync($"SELECT count(*) FROM audit_entries WHERE actor = 'carla' AND action = 'confirm-refused'"));
        Assert.Equal(1, await _app.CountAsync($"SELECT count(*) FROM audit_entries WHERE actor = 'dora' AND action = 'confirm' AND target = 'batch {batch}' AND details = '1 queued via page'"));
    }

    [Fact]
    public async Task Disabling_an_admin_on_the_accounts_page_stops_their_cookie_and_key_at_once()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AdminAccounts>().CreateAsync("emil", Password, AdminRole.Curator, "test");
        }

        var key = await _app.ApiKeyAsync("emil");
        using var emil = new PageSession(_app);
        Assert.Equal(HttpStatusCode.Redirect, await emil.SignInAsync("emil", Password, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, (await emil.GetAsync("/admin/upload", cancellationToken: TestContext.Current.CancellationToken)).StatusCode);

        using var carla = new PageSession(_app);
        Assert.Equal(HttpStatusCode.Redirect, await carla.SignInAsync("carla", Password, TestContext.Current.CancellationToken));
        var disabled = await carla.PostFormAsync("/admin/accounts", "/admin/accounts?handler=Disable",
            new Dictionary<string, string> { ["userName"] = "emil", ["disabled"] = "true" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Contains("emil is disabled", await disabled.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await emil.GetAsync("/admin/upload", cancellationToken: TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/v1/flags", key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await emil.SignInAsync("emil", Password, TestContext.Current.CancellationToken));

        // Nobody disables themselves (someone must be left to undo it).
        var self = await carla.PostFormAsync("/admin/accounts", "/admin/accounts?handler=Disable",
            new Dictionary<string, string> { ["userName"] = "carla", ["disabled"] = "true" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_the_right_one_is_refused_until_it_opens()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AdminAccounts>().CreateAsync("fred", Password, AdminRole.Uploader, "test");
        }

        using var page = new PageSession(_app);
        for (var i = 0; i < AdminAccounts.LockoutThreshold; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await page.SignInAsync("fred", "wrong guess number " + i, TestContext.Current.CancellationToken));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await page.SignInAsync("fred", Password, TestContext.Current.CancellationToken));
        Assert.Equal(AdminAccounts.LockoutThreshold + 1, await _app.CountAsync("SELECT count(*) FROM audit_entries WHERE actor = 'fred' AND action = 'sign-in-failed'"));
        await _app.ExecuteAsync("UPDATE admin_users SET locked_until = now() - interval '1 second' WHERE user_name = 'fred'");
        Assert.Equal(HttpStatusCode.Redirect, await page.SignInAsync("fred", Password, TestContext.Current.CancellationToken));
    }
}
