using System.Net;
using System.Text.Json;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

public sealed class HostTests(PostgresServer server)
{
    [Fact]
    public async Task The_app_starts_on_a_real_port_migrates_loads_the_seeds_and_is_ready()
    {
        await using var app = await new RegistryApp(server, SharedPaths.Seeds).StartAsync();
        using var client = app.CreateClient();
        Assert.Equal("http", client.BaseAddress!.Scheme);
        Assert.NotEqual(80, client.BaseAddress.Port);

        var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var home = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("<span id=\"result-count\">5</span> trials", home, StringComparison.Ordinal);
        Assert.Contains("NCT06586658", home, StringComparison.Ordinal);
        Assert.Contains("A Clinical Study Evaluating the Safety and Efficacy of Anti-HER2-CAR-T Cells", home, StringComparison.Ordinal);

        // The seed load is in the audit log, one row for each document, written with the document.
        Assert.Equal(Directory.GetFiles(SharedPaths.Seeds).Length, await app.CountAsync("SELECT count(*) FROM audit_entries WHERE action = 'import' AND actor = 'system' AND details LIKE 'via seed load:%'"));
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM source_documents s WHERE NOT EXISTS (SELECT 1 FROM audit_entries a WHERE a.action = 'import' AND a.target = s.file_name)"));
    }

    [Fact]
    public async Task Swagger_ui_and_the_openapi_document_are_served()
    {
        await using var app = await new RegistryApp(server, null).StartAsync();
        using var client = app.CreateClient();
        var ui = await client.GetAsync("/swagger/index.html", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json", TestContext.Current.CancellationToken));
        Assert.Equal("TrialRegistry API", doc.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Without_a_seed_folder_the_app_starts_empty_and_says_how_to_import()
    {
        await using var app = await new RegistryApp(server, null).StartAsync();
        using var client = app.CreateClient();
        var home = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("The registry is empty", home, StringComparison.Ordinal);
        Assert.Contains("import PATH", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_path_answers_404_problem_details()
    {
        await using var app = await new RegistryApp(server, null).StartAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var response = await client.GetAsync("/no/such/page", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        await using var app = await new RegistryApp(server, null).StartAsync();
        using var client = app.CreateClient();
        foreach (var path in new[] { "/", "/api/v1/antigens", "/swagger/index.html", "/no/such/page" })
        {
            var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", csp.Split("script-src")[1].Split(';')[0], StringComparison.Ordinal);
            Assert.Equal("nosniff", string.Join(',', response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", string.Join(',', response.Headers.GetValues("X-Frame-Options")));
        }
    }

    [Fact]
    public async Task Pages_hold_no_inline_script()
    {
        await using var app = await new RegistryApp(server, SharedPaths.Seeds).StartAsync();
        using var client = app.CreateClient();
        foreach (var path in new[] { "/", "/trials/NCT06586658", "/antigens/CD70", "/admin/signin" })
        {
            var html = await client.GetStringAsync(path, TestContext.Current.CancellationToken);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" onclick=", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task The_admin_cookie_is_secure_and_http_only()
    {
        await using var app = await new RegistryApp(server, null, new Dictionary<string, string?>
        {
            ["Admin:BootstrapUser"] = "admin",
            ["Admin:BootstrapPassword"] = "a long enough password",
            ["Admin:RequireHttpsCookies"] = "true",
        }).StartAsync();
        using var client = app.CreateRawClient();
        var form = await client.GetStringAsync("/admin/signin", TestContext.Current.CancellationToken);
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);

        // Without the antiforgery token the form is refused.
        var forged = await client.PostAsync("/admin/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "admin", ["Password"] = "a long enough password" }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var signIn = await client.PostAsync("/admin/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin", ["Password"] = "a long enough password", ["__RequestVerificationToken"] = token,
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("trialregistry.admin=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("RateLimiting:PermitsPerWindow", "0")]
    [InlineData("Ingestion:Workers", "0")]
    [InlineData("Sync:PageSize", "5000")]
    public async Task A_bad_setting_stops_the_start_with_a_message_naming_it(string setting, string value)
    {
        var app = new RegistryApp(server, null, new Dictionary<string, string?> { [setting] = value });
        var failure = await Record.ExceptionAsync(() => app.StartAsync());
        Assert.NotNull(failure);
        var messages = string.Join("\n", Flatten(failure).Select(e => e.Message));
        Assert.Contains(setting, messages, StringComparison.Ordinal);
        await Record.ExceptionAsync(async () => await app.DisposeAsync());

        static IEnumerable<Exception> Flatten(Exception e) => e is AggregateException a
            ? a.InnerExceptions.SelectMany(Flatten).Prepend(e)
            : e.InnerException is { } inner ? Flatten(inner).Prepend(e) : [e];
    }
    [Fact]
    public async Task A_text_pattern_running_out_of_time_is_a_503_that_says_so_not_a_database_outage()
    {
        // The search's first step stands in for a pattern that ran past its limit on a request's text.
        await using var app = await new RegistryApp(server, null)
        {
            TestServices = services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddScoped<TrialRegistry.Data.Search.TrialSearch>(services,
                _ => throw new System.Text.RegularExpressions.RegexMatchTimeoutException("a long text", "(a+)+$", TimeSpan.FromSeconds(2))),
        }.StartAsync();
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/api/v1/trials?q=lymphoma", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("text took too long", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("database", problem, StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Headers.RetryAfter is not null);
    }
}
