using System.Net;
using System.Text.RegularExpressions;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>
/// Password guessing meets the per-address limit on sign-in attempts, but loading the form does not use it up, and
/// every failed attempt is in the audit log. An app of its own: the attempts use up this address's sign-ins.
/// </summary>
public sealed partial class SignInLimitTests(PostgresServer server) : IAsyncLifetime
{
    private const int Permits = 3;
    private RegistryApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await new RegistryApp(server, null, new Dictionary<string, string?>
        {
            ["Admin:BootstrapUser"] = "curator",
            ["Admin:BootstrapPassword"] = "a sturdy test passphrase 9",
            ["RateLimiting:SignInPermitsPerMinute"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [Fact]
    public async Task Loading_the_form_is_free_wrong_passwords_are_limited_and_audited()
    {
        using var probe = _app.CreateClient();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = probe.BaseAddress };
        string token = string.Empty, cookies = string.Empty;
        for (var i = 0; i < Permits * 4; i++)
        {
            var form = await client.GetAsync("/admin/signin", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
            token = AntiforgeryField().Match(await form.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Groups[1].Value;
            cookies = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        }

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i <= Permits; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/signin")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["UserName"] = "curator", ["Password"] = $"guess number {i}", ["__RequestVerificationToken"] = token,
                }),
            };
            request.Headers.Add("Cookie", cookies);
            request.Headers.Add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            last = await client.SendAsync(request, TestContext.Current.CancellationToken);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, Permits), HttpStatusCode.TooManyRequests], statuses);
        // A browser is told on a page, not in JSON, with how long to wait.
        Assert.Equal("text/html", last!.Content.Headers.ContentType?.MediaType);
        var page = await last.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<h1>Too many requests</h1>", page, StringComparison.Ordinal);
        Assert.Matches("Please wait [0-9]+ seconds", page);
        Assert.Equal(Permits, await _app.CountAsync("SELECT count(*) FROM audit_entries WHERE action = 'sign-in-failed' AND actor = 'curator'"));
    }
}
