using Microsoft.Playwright;
using TrialRegistry.Testing;

namespace TrialRegistry.Browser.Tests;

/// <summary>An app that syncs from a ClinicalTrials.gov stand-in (in the test process) at start.</summary>
public sealed class SyncBrowserFixture(PostgresServer server) : BrowserFixture(server)
{
    public CtGovStandIn Upstream { get; } = new();

    protected override async Task<IReadOnlyDictionary<string, string?>> MoreSettingsAsync()
    {
        await Upstream.StartAsync();
        return new Dictionary<string, string?> { ["Sync:BaseUrl"] = Upstream.BaseUrl, ["Sync:PageSize"] = "20" };
    }

    protected override ValueTask DisposeMoreAsync() => Upstream.DisposeAsync();
}

/// <summary>The sync page in Chromium: an admin sees the scheduled run, runs it again, and the page passes axe-core.</summary>
public sealed class SyncPageTests(SyncBrowserFixture browser) : IClassFixture<SyncBrowserFixture>
{
    [Fact]
    public async Task A_curator_sees_the_sync_runs_and_runs_it_now()
    {
        for (var i = 0; i < 150 && await browser.App.CountAsync("SELECT count(*) FROM sync_runs WHERE status = 'DONE'") == 0; i++)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        var (context, page) = await browser.ScriptedPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/admin/signin");
        await page.GetByLabel("User name").FillAsync(BrowserFixture.AdminUser);
        await page.GetByLabel("Password").FillAsync(BrowserFixture.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GotoAsync(browser.BaseUrl + "/admin/sync");

        var rows = page.Locator("table.sync-runs tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("schedule");
        await Assertions.Expect(rows.First).ToContainTextAsync("every study (full run)");
        await Assertions.Expect(page.Locator("#next-run")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("done");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.First).ToContainTextAsync(BrowserFixture.AdminUser);
        await Assertions.Expect(rows.First).ToContainTextAsync("updated since");
        await BrowserFixture.ScreenshotAsync(page, "admin-sync");

        var result = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(page, BrowserFixture.Wcag);
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help}")));
        await context.CloseAsync();
    }
}
