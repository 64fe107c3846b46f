using System.Net;
using System.Text.RegularExpressions;

namespace TrialRegistry.Testing;

/// <summary>
/// An admin's browser over real HTTP, without a browser: signs in through the form and posts page forms with their
/// antiforgery token, carrying only the cookies it is given, so a test can also replay an old cookie.
/// </summary>
public sealed partial class PageSession(RegistryApp app) : IDisposable
{
    private readonly HttpClient _client = app.CreateRawClient(cookies: false);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>The cookies of the signed-in browser (the antiforgery cookie and the admin cookie).</summary>
    public string Cookies { get; private set; } = string.Empty;

    /// <summary>Signs in through the form; the answer is the sign-in's status (302 on success).</summary>
    public async Task<HttpStatusCode> SignInAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        var (token, cookies) = await FormAsync("/admin/signin", null, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = userName, ["Password"] = password, ["__RequestVerificationToken"] = token,
            }),
        };
        request.Headers.Add("Cookie", cookies);
        var response = await _client.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var admin = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("trialregistry.admin=", StringComparison.Ordinal)).Split(';')[0];
            Cookies = $"{cookies}; {admin}";
        }

        return response.StatusCode;
    }

    /// <summary>Gets a page with these cookies (the signed-in ones by default); redirects are not followed.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string? cookies = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookies ?? Cookies);
        return await _client.SendAsync(request, cancellationToken);
    }

    /// <summary>Posts a page's form (its antiforgery token taken from <paramref name="formPath"/>) with the signed-in cookies.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPath, string postPath, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken = default)
    {
        var (token, cookies) = await FormAsync(formPath, Cookies, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, postPath)
        {
            Content = new FormUrlEncodedContent(fields.Append(new KeyValuePair<string, string>("__RequestVerificationToken", token))),
        };
        request.Headers.Add("Cookie", cookies);
        return await _client.SendAsync(request, cancellationToken);
    }

    /// <summary>A page's antiforgery token and the cookies to send it with.</summary>
    public async Task<(string Token, string Cookies)> FormAsync(string path, string? cookies, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (!string.IsNullOrEmpty(cookies))
        {
            request.Headers.Add("Cookie", cookies);
        }

        var response = await _client.SendAsync(request, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        var antiforgery = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]) : [];
        return (AntiforgeryField().Match(html).Groups[1].Value, string.Join("; ", antiforgery.Append(cookies).Where(c => !string.IsNullOrEmpty(c))));
    }

    public void Dispose() => _client.Dispose();
}
