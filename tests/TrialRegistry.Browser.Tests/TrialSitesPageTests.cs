using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TrialRegistry.Data.Store;
using TrialRegistry.Testing;

namespace TrialRegistry.Browser.Tests;

/// <summary>A trial's sites seen from a place (its own app: the record it adds would change the seed pages' counts).</summary>
public sealed class TrialSitesPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_trial_opened_from_a_search_near_a_place_lists_its_sites_nearest_first_with_their_distance()
    {
        // A ClinicalTrials.gov record whose 42 sites carry coordinates (API v2 geoPoint).
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DocumentImporter>().ImportFileAsync(Path.Combine(SharedPaths.Corpus, "ctgov-json", "NCT02210780.json"), TestContext.Current.CancellationToken);
        }

        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/trials/NCT02210780?near=" + Uri.EscapeDataString("34.05223,-118.24368"));
        await BrowserFixture.ScreenshotAsync(page, "trial-sites-near");
        Assert.Equal(1, await page.GetByRole(AriaRole.Columnheader, new() { Name = "Distance" }).CountAsync());
        var rows = page.Locator("section[aria-labelledby='sites'] tbody tr");
        Assert.Contains("Los Angeles", await rows.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("0 km", await rows.Nth(0).Locator("td.distance").InnerTextAsync());
        Assert.Contains("Santa Monica", await rows.Nth(1).InnerTextAsync(), StringComparison.Ordinal); // 23 km
        var kms = (await page.Locator("td.distance").AllInnerTextsAsync()).Where(d => d != "—").Select(d => int.Parse(d.Replace(" km", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(kms.Order(), kms);

        // Without a place there is no distance column; the search's result links carry the place.
        await page.GotoAsync(browser.BaseUrl + "/trials/NCT02210780");
        Assert.Equal(0, await page.GetByRole(AriaRole.Columnheader, new() { Name = "Distance" }).CountAsync());
        await page.GotoAsync(browser.BaseUrl + "/?near=" + Uri.EscapeDataString("34.05223,-118.24368") + "&distanceKm=50");
        var link = await page.Locator("a.title[href^='/trials/NCT02210780']").GetAttributeAsync("href");
        Assert.Contains("near=", link, StringComparison.Ordinal);
    }
}
