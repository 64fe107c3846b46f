using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>
/// Admin sessions end when they should, whatever the cookie says: sign-out, a password reset, the account's removal
/// and the absolute lifetime each turn a replayed cookie away (302 to sign-in), over real HTTP.
/// </summary>
public sealed class SessionTests(PostgresServer server) : IAsyncLifetime
{
    private const string Password = "a sturdy test passphrase 7";
    private RegistryApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await new RegistryApp(server, null, new Dictionary<string, string?>
        {
            ["Admin:BootstrapUser"] = "curator",
            ["Admin:BootstrapPassword"] = Password,
        }).StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Signs in through the form; returns the cookies of the signed-in browser.</summary>
    private async Task<string> SignInAsync(PageSession session, string password = Password)
    {
        Assert.Equal(HttpStatusCode.Redirect, await session.SignInAsync("curator", password, TestContext.Current.CancellationToken));
        return session.Cookies;
    }

    private static async Task<HttpStatusCode> UploadPageAsync(PageSession client, string cookies)
    {
        var response = await client.GetAsync("/admin/upload", cookies, TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.Contains("/admin/signin", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        return response.StatusCode;
    }

    private async Task<T> WithAccountsAsync<T>(Func<AdminAccounts, Task<T>> action)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AdminAccounts>());
    }

    [Fact]
    public async Task Signing_out_ends_the_session_so_the_old_cookie_is_refused()
    {
        using var client = new PageSession(_app);
        var cookies = await SignInAsync(client);
        Assert.Equal(HttpStatusCode.OK, await UploadPageAsync(client, cookies));

        var signOut = await client.PostFormAsync("/admin/upload", "/admin/signout", new Dictionary<string, string>(), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        // The browser would drop the cookie; an attacker who copied it replays it.
        Assert.Equal(HttpStatusCode.Redirect, await UploadPageAsync(client, cookies));
        Assert.Equal(1, await _app.CountAsync("SELECT count(*) FROM admin_sessions WHERE ended_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_password_reset_ends_every_session_of_the_account()
    {
        using var client = new PageSession(_app);
        var first = await SignInAsync(client);
        var second = await SignInAsync(client);
        Assert.Equal(HttpStatusCode.OK, await UploadPageAsync(client, first));

        Assert.True(await WithAccountsAsync(a => a.ResetPasswordAsync("curator", "another sturdy passphrase 8")));

        Assert.Equal(HttpStatusCode.Redirect, await UploadPageAsync(client, first));
        Assert.Equal(HttpStatusCode.Redirect, await UploadPageAsync(client, second));
        var fresh = await SignInAsync(client, "another sturdy passphrase 8");
        Assert.Equal(HttpStatusCode.OK, await UploadPageAsync(client, fresh));
    }

    [Fact]
    public async Task Removing_an_admin_ends_their_sessions_and_api_key()
    {
        using var client = new PageSession(_app);
        var cookies = await SignInAsync(client);
        var key = await _app.ApiKeyAsync("curator");
        Assert.True(await WithAccountsAsync(a => a.RemoveAsync("curator")));

        Assert.Equal(HttpStatusCode.Redirect, await UploadPageAsync(client, cookies));
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents") { Content = new MultipartFormDataContent { { new StringContent("NCT01234567"), "file", "x.txt" } } };
        upload.Headers.Add("X-Api-Key", key);
        using var api = _app.CreateRawClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(upload, TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task A_session_past_its_absolute_lifetime_is_refused_however_active()
    {
        using var client = new PageSession(_app);
        var cookies = await SignInAsync(client);
        Assert.Equal(HttpStatusCode.OK, await UploadPageAsync(client, cookies));

        // The cookie slides on use; the server-side end does not.
        Assert.Equal(1, await _app.CountAsync("WITH e AS (UPDATE admin_sessions SET expires_at = now() - interval '1 second' RETURNING 1) SELECT count(*) FROM e"));
        Assert.Equal(HttpStatusCode.Redirect, await UploadPageAsync(client, cookies));
    }

    [Fact]
    public async Task Creating_an_existing_admin_is_refused_and_weak_passwords_are_refused()
    {
        var existing = await Assert.ThrowsAsync<ArgumentException>(() => WithAccountsAsync(a => a.CreateAsync("curator", "yet another sturdy phrase 9")));
        Assert.Contains("reset-password", existing.Message, StringComparison.Ordinal);
        foreach (var weak in new[] { "aaaaaaaaaaaa", "password1234", "123456789012", "newcomer-newcomer-1", "short" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => WithAccountsAsync(a => a.CreateAsync("newcomer", weak)));
        }

        // The old password still signs in: a refused create changed nothing.
        using var client = new PageSession(_app);
        Assert.Equal(HttpStatusCode.OK, await UploadPageAsync(client, await SignInAsync(client)));
    }
}
