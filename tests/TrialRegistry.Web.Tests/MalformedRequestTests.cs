using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
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
}
