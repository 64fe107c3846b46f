using System.Net;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>Every read answer has an ETag and Cache-Control; If-None-Match (strong or weak) gives 304; HEAD answers headers only.</summary>
[Collection(ApiCollection.Name)]
public sealed class CachingTests(ApiFixture api)
{
    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return await api.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("/api/v1/trials?antigen=CD70&facets=true")]
    [InlineData("/api/v1/trials?antigen=CD70&format=csv")]
    [InlineData("/api/v1/trials/NCT06586658")]
    [InlineData("/api/v1/trials/NCT06586658/versions")]
    [InlineData("/api/v1/trials/NCT06586658/versions/1")]
    [InlineData("/api/v1/trials/NCT06586658/fhir")]
    [InlineData("/api/v1/antigens")]
    [InlineData("/api/v1/conditions?q=lymph")]
    public async Task A_read_answer_is_tagged_and_revalidates_to_304_with_a_strong_or_weak_tag(string path)
    {
        var first = await Send(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Equal("public, no-cache", first.Headers.CacheControl?.ToString());
        var body = await first.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotModified, (await Send(HttpMethod.Get, path, etag.Tag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await Send(HttpMethod.Get, path, "W/" + etag.Tag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await Send(HttpMethod.Get, path, "\"other\", " + etag.Tag)).StatusCode);
        var changed = await Send(HttpMethod.Get, path, "\"something-else\"");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(body, await changed.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        var head = await Send(HttpMethod.Head, path);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(etag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_different_page_or_query_has_a_different_tag()
    {
        var a = (await Send(HttpMethod.Get, "/api/v1/trials?antigen=CD70")).Headers.ETag;
        var b = (await Send(HttpMethod.Get, "/api/v1/trials?antigen=CD19")).Headers.ETag;
        Assert.NotEqual(a, b);
    }
}
