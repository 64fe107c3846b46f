using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using TrialRegistry.Data.Store;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>
/// A search followed as an Atom feed: a feed RFC 4287 accepts (its required elements, RFC 3339 dates, unique entry
/// ids, a self link), the search's trials latest change first, a trial that changes coming to the top with what
/// changed, 304 while nothing has, and a 400 for what a feed cannot do.
/// </summary>
public sealed class FeedTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private RegistryApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await new RegistryApp(server, SharedPaths.Seeds).StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The checks RFC 4287 makes of a feed and its entries (4.1.1, 4.1.2, 4.2.6, 4.2.14, 4.2.15, 3.3).</summary>
    private static XElement Valid(string xml)
    {
        var feed = XDocument.Parse(xml).Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        void One(XElement element, string name) => Assert.Single(element.Elements(Atom + name));
        foreach (var name in new[] { "id", "title", "updated" })
        {
            One(feed, name);
        }

        Assert.True(Uri.IsWellFormedUriString(feed.Element(Atom + "id")!.Value, UriKind.Absolute));
        Assert.Contains(feed.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self" && Uri.IsWellFormedUriString((string?)l.Attribute("href"), UriKind.Absolute));
        var feedAuthor = feed.Elements(Atom + "author").Any(a => a.Element(Atom + "name") is not null);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in feed.Elements(Atom + "entry"))
        {
            foreach (var name in new[] { "id", "title", "updated" })
            {
                One(entry, name);
            }

            Assert.True(ids.Add(entry.Element(Atom + "id")!.Value), "entry ids are unique");
            Assert.True(feedAuthor || entry.Elements(Atom + "author").Any(), "every entry has an author");
            Assert.True(entry.Elements(Atom + "link").Any(l => (string?)l.Attribute("rel") == "alternate") || entry.Element(Atom + "content") is not null);
        }

        foreach (var updated in feed.Descendants(Atom + "updated"))
        {
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", updated.Value);
        }

        return feed;
    }

    private static DateTimeOffset Updated(XElement element) => DateTimeOffset.Parse(element.Element(Atom + "updated")!.Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_search_is_followed_as_a_valid_atom_feed_latest_change_first()
    {
        using var client = _app.CreateClient();
        var cancellation = TestContext.Current.CancellationToken;
        var response = await client.GetAsync("/api/v1/trials?antigen=CD70&format=atom", cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var feed = Valid(await response.Content.ReadAsStringAsync(cancellation));
        var entries = feed.Elements(Atom + "entry").ToList();
        Assert.True(entries.Count >= 2, $"{entries.Count} entries");
        Assert.All(entries, e => Assert.Contains("/trials/", e.Element(Atom + "id")!.Value, StringComparison.Ordinal));
        Assert.Equal(entries.Select(Updated).OrderDescending(), entries.Select(Updated));

        // While nothing changes, the same feed: 304 to If-None-Match.
        using (var again = new HttpRequestMessage(HttpMethod.Get, "/api/v1/trials?antigen=CD70&format=atom"))
        {
            again.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.ToString());
            Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again, cancellation)).StatusCode);
        }

        // The last of them changes status: it comes to the top, saying what changed.
        var last = entries[^1].Element(Atom + "id")!.Value.Split('/')[^1];
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<TrialStore>().CorrectAsync(last, "status", "\"TERMINATED\"", "closed early", "tester", "test", cancellation);
            Assert.Equal(CurationOutcome.Corrected, result.Outcome);
        }

        var after = Valid(await client.GetStringAsync("/api/v1/trials?antigen=CD70&format=atom", cancellation));
        var top = after.Elements(Atom + "entry").First();
        Assert.EndsWith("/trials/" + last, top.Element(Atom + "id")!.Value, StringComparison.Ordinal);
        Assert.Contains("changed", top.Element(Atom + "summary")!.Value, StringComparison.Ordinal);
        Assert.True(Updated(after) >= Updated(feed));

        // What a feed cannot do is a 400 naming it.
        foreach (var (query, parameter) in new[] { ("sort=startDate", "sort"), ("pageToken=x", "pageToken"), ("facets=true", "facets"), ("fields=title", "fields") })
        {
            var refused = await client.GetAsync($"/api/v1/trials?format=atom&{query}", cancellation);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains($"\"{parameter}\"", await refused.Content.ReadAsStringAsync(cancellation), StringComparison.Ordinal);
        }

        // The search page links its feed.
        var page = await client.GetStringAsync("/?antigen=CD70", cancellation);
        Assert.Contains("type=\"application/atom+xml\"", page, StringComparison.Ordinal);
        Assert.Contains("format=atom", page, StringComparison.Ordinal);
    }
}
