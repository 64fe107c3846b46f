using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>Requests a client can get wrong are answered 4xx with ProblemDetails naming the fault, never 500.</summary>
[Collection(ApiCollection.Name)]
public sealed class MalformedRequestTests(ApiFixture api)
{
    private static HttpContent Raw(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    public static TheoryData<string, string, int, string> BadBodies => new()
    {
        { "multipart without a boundary", "multipart/form-data", 400, "boundary" },
        { "--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello", "multipart/form-data; boundary=abc", 400, "boundary" },
        { new string('a', 5 * 1024 * 1024), "application/x-www-form-urlencoded", 413, "limit" },
        { string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1")), "application/x-www-form-urlencoded", 400, "count limit" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task An_unreadable_form_is_a_4xx_problem_that_says_why(string body, string contentType, int status, string said)
    {
        var response = await api.Client.PostAsync("/api/v1/documents/preview", Raw(body, contentType), TestContext.Current.CancellationToken);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains(said, problem.RootElement.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/v1/conditions?q=a%00b")]
    [InlineData("/api/v1/trials?condition=lym%00phoma")]
    [InlineData("/api/v1/trials?q=%00")]
    [InlineData("/api/v1/antigens?q=CD%0019")]
    [InlineData("/?q=glio%00")]
    public async Task A_nul_character_in_a_parameter_is_a_400_problem_naming_it(string path)
    {
        var response = await api.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("NUL", problem.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/trials?page_size=3", "page_size", "did you mean 'pageSize'")]
    [InlineData("/api/v1/trials?antigen=,,,", "antigen", "without a value")]
    [InlineData("/api/v1/trials?phase=%7C", "phase", "without a value")]
    [InlineData("/api/v1/trials?facets=true&format=csv", "facets", "format=json")]
    [InlineData("/api/v1/trials?antigen=CD19&utm_source=x", "utm_source", "not a parameter")]
    public async Task A_search_that_would_silently_answer_another_question_is_a_400_naming_the_parameter(string path, string parameter, string said)
    {
        var response = await api.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var messages = problem.RootElement.GetProperty("errors").GetProperty(parameter).EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains(messages, m => m!.Contains(said, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Empty_parameters_as_a_form_sends_them_are_no_filter()
    {
        var all = await api.Client.GetAsync("/api/v1/trials?countTotal=true", TestContext.Current.CancellationToken);
        var empty = await api.Client.GetAsync("/api/v1/trials?countTotal=true&antigen=&condition=&phase=", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        static async Task<int> Total(HttpResponseMessage r) =>
            JsonDocument.Parse(await r.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("totalCount").GetInt32();
        Assert.Equal(await Total(all), await Total(empty));
    }

    [Fact]
    public async Task A_browser_app_on_another_origin_may_read_but_not_write()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/trials?antigen=CD70");
        preflight.Headers.Add("Origin", "https://app.example.org");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        var allowed = await api.Client.SendAsync(preflight, TestContext.Current.CancellationToken);
        Assert.True(allowed.IsSuccessStatusCode, $"preflight answered {(int)allowed.StatusCode}");
        Assert.Equal("*", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/v1/trials/NCT06586658");
        read.Headers.Add("Origin", "https://app.example.org");
        var record = await api.Client.SendAsync(read, TestContext.Current.CancellationToken);
        Assert.Equal("*", record.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", record.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);

        using var write = new HttpRequestMessage(HttpMethod.Options, "/api/v1/documents");
        write.Headers.Add("Origin", "https://app.example.org");
        write.Headers.Add("Access-Control-Request-Method", "POST");
        var refused = await api.Client.SendAsync(write, TestContext.Current.CancellationToken);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_page_token_the_api_did_not_issue_or_one_altered_is_refused_not_followed()
    {
        var first = JsonDocument.Parse(await api.Client.GetStringAsync("/api/v1/trials?pageSize=2", TestContext.Current.CancellationToken)).RootElement;
        var token = first.GetProperty("nextPageToken").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/api/v1/trials?pageSize=2&pageToken=" + Uri.EscapeDataString(token), TestContext.Current.CancellationToken)).StatusCode);

        // The same cursor with its sort key taken out (which would start the listing again), under the old signature.
        var parts = token.Split('.');
        var payload = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]))!.AsObject();
        payload["Key"] = null;
        var forged = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString())) + "." + parts[1];
        // The issue's example: an unsigned token whose key is a NUL character.
        const string unsigned = "eyJGaW5nZXJwcmludCI6ICJlOTJkNjEzMDI4N2U3ZDM5IiwgIktleSI6ICJcdTAwMDAiLCAiUmFuayI6IG51bGwsICJJZCI6IDEzOTd9";
        foreach (var bad in new[] { forged, parts[0], unsigned, token + "x" })
        {
            var response = await api.Client.GetAsync("/api/v1/trials?pageSize=2&pageToken=" + Uri.EscapeDataString(bad), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("pageToken", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

    }

    /// <summary>Values a client can get wrong, or a fuzzer sends: empty, blank, huge, control and odd characters, SQL, markup, numbers out of range.</summary>
    private static readonly string[] OddValues =
    [
        "", " ", ",,,", "|", new string('x', 5000), "\u0007bell", "ü¿ñ", "'; DROP TABLE trials; --", "<script>alert(1)</script>",
        "-1", "0", "1e309", "NaN", "99999999999999999999", "[]", "{}", "%", "_", "\\", "true", "CD19", "PHASE9",
    ];

    [Fact]
    public async Task No_search_parameter_with_any_odd_value_answers_500()
    {
        var cases = 0;
        var failures = new List<string>();
        foreach (var name in TrialRegistry.Web.Api.TrialSearchRequest.ParameterNames)
        {
            foreach (var value in OddValues)
            {
                foreach (var query in new[] { $"{name}={Uri.EscapeDataString(value)}", $"{name}={Uri.EscapeDataString(value)}&{name}={Uri.EscapeDataString(value)}" })
                {
                    cases++;
                    var response = await api.Client.GetAsync("/api/v1/trials?" + query, TestContext.Current.CancellationToken);
                    var status = (int)response.StatusCode;
                    if (status >= 500 || status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        failures.Add($"{query[..Math.Min(query.Length, 80)]}: {status} {response.Content.Headers.ContentType?.MediaType}");
                    }
                }
            }
        }

        Assert.True(cases >= 1000, $"{cases} cases");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData(9 * 1024, 40 * 1024)]
    [InlineData(300 * 1024, 300 * 1024)] // past Kestrel's defaults (8 KB line, 32 KB headers): still a body saying why
    public async Task A_url_or_headers_too_large_are_answered_with_problem_details_not_an_empty_body(int urlLength, int headerLength)
    {
        var longUrl = await api.Client.GetAsync("/api/v1/trials?q=" + new string('a', urlLength), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, longUrl.StatusCode);
        Assert.Equal("application/problem+json", longUrl.Content.Headers.ContentType?.MediaType);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/trials");
        request.Headers.Add("X-Padding", new string('b', headerLength));
        var bigHeaders = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, bigHeaders.StatusCode);
        Assert.Equal("application/problem+json", bigHeaders.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_browser_gets_error_pages_and_the_api_keeps_problem_details_whatever_the_accept_header()
    {
        const string browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        async Task<HttpResponseMessage> GetAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Accept", browser);
            return await api.Client.SendAsync(request, TestContext.Current.CancellationToken);
        }

        var page = await GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Page not found</h1>", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        var apiError = await GetAsync("/api/v1/trials/NCT00000000");
        Assert.Equal(HttpStatusCode.NotFound, apiError.StatusCode);
        Assert.Equal("application/problem+json", apiError.Content.Headers.ContentType?.MediaType);

        // Without a browser's Accept header, ProblemDetails as before.
        var plain = await api.Client.GetAsync("/no/such/page", TestContext.Current.CancellationToken);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("pageSize=2&pageSize=3", "pageSize")]
    [InlineData("q=car&q=cell", "q")]
    public async Task A_single_value_parameter_given_twice_is_a_400(string query, string parameter)
    {
        var response = await api.Client.GetAsync("/api/v1/trials?" + query, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task Fields_select_what_each_trial_carries_in_json_and_csv()
    {
        var page = JsonDocument.Parse(await api.Client.GetStringAsync("/api/v1/trials?antigen=CD70&fields=title,status&fields=phases", TestContext.Current.CancellationToken)).RootElement;
        var trials = page.GetProperty("trials").EnumerateArray().ToList();
        Assert.NotEmpty(trials);
        Assert.All(trials, t => Assert.True(t.EnumerateObject().Select(p => p.Name).ToHashSet().SetEquals(["registryId", "title", "status", "phases"]), t.GetRawText()));

        var csv = await api.Client.GetStringAsync("/api/v1/trials?antigen=CD70&format=csv&fields=title", TestContext.Current.CancellationToken);
        Assert.Equal("registryId,title", csv.Split('\n')[0].TrimEnd('\r'));

        foreach (var (query, said) in new[] { ("fields=bogus", "not a field of a trial"), ("fields=screening&format=csv", "not a CSV column") })
        {
            var response = await api.Client.GetAsync("/api/v1/trials?" + query, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(said, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
    }
}
