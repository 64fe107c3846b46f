using System.Text;
using Microsoft.Playwright;
using TrialRegistry.Testing;

namespace TrialRegistry.Browser.Tests;

/// <summary>An app of its own (the upload changes a seed trial), so the search tests' counts stay put.</summary>
public sealed class AdminBrowserFixture(PostgresServer server) : BrowserFixture(server);

/// <summary>An admin signs in, uploads an edited seed, reviews what would change, confirms, and sees the history.</summary>
public sealed class AdminPageTests(AdminBrowserFixture browser) : IClassFixture<AdminBrowserFixture>
{
    [Fact]
    public async Task An_admin_signs_in_uploads_reviews_the_diff_confirms_and_sees_version_2()
    {
        var page = await browser.NewPageAsync();
        var denied = await page.GotoAsync(browser.BaseUrl + "/admin/upload");
        Assert.Contains("/admin/signin", page.Url, StringComparison.Ordinal); // anonymous: sent to sign in

        await page.GetByLabel("User name").FillAsync(BrowserFixture.AdminUser);
        await page.GetByLabel("Password").FillAsync("wrong password!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not right");

        await page.GetByLabel("User name").FillAsync(BrowserFixture.AdminUser);
        await page.GetByLabel("Password").FillAsync(BrowserFixture.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        Assert.EndsWith("/admin/upload", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "admin-upload");

        // The seed page as a newer scrape would have it: the trial is now completed.
        var edited = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(SharedPaths.Seed("000")))
            .Replace("\nRECRUITING\n", "\nCOMPLETED\n", StringComparison.Ordinal));
        await page.GetByLabel("Documents").SetInputFilesAsync(new FilePayload { Name = "000-rescraped.txt", MimeType = "text/plain", Buffer = edited });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();
        Assert.Matches("/admin/batches/\\d+$", page.Url);

        // The preview says what would change, field by field, before anything is stored.
        await Assertions.Expect(page.Locator(".previews")).ToContainTextAsync("NCT06586658");
        await Assertions.Expect(page.Locator(".previews")).ToContainTextAsync("updates the stored trial");
        var diff = page.Locator("table.diff tbody tr");
        Assert.Equal(1, await diff.CountAsync());
        Assert.Contains("status", await diff.First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("COMPLETED", await diff.First.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "admin-preview");

        await ConfirmAndWaitAsync(page, "000-rescraped.txt");
        await Assertions.Expect(page.Locator(".report")).ToContainTextAsync("1 updated");
        await BrowserFixture.ScreenshotAsync(page, "admin-batch-done");

        await page.GotoAsync(browser.BaseUrl + "/trials/NCT06586658");
        var history = page.Locator("ol.history > li");
        Assert.Equal(2, await history.CountAsync());
        Assert.Contains("000-rescraped.txt: status", await history.First.InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".badges .status")).ToHaveTextAsync("Completed");
    }

    [Fact]
    public async Task A_note_without_a_registry_id_is_offered_as_probably_a_trial_and_the_admin_says_which()
    {
        var page = await browser.NewPageAsync();
        await SignInAsync(page);

        // A press note that gives only a seed trial's title: a lead, not proof, so the admin is asked.
        const string CountTrials = "async () => (await (await fetch('/api/v1/trials?countTotal=true&pageSize=1')).json()).totalCount";
        var trialsBefore = await page.EvaluateAsync<int>(CountTrials);
        var title = await page.EvaluateAsync<string>(
            "async () => (await (await fetch('/api/v1/trials/NCT07181720')).json()).title");
        var note = $"{title}\n\nThe hospital announced today that the first patient has received CAR-T cells in this study, which is enrolling adults with relapsed disease.\n";
        await page.GetByLabel("Documents").SetInputFilesAsync(new FilePayload { Name = "press-note.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes(note) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();
        await Assertions.Expect(page.Locator(".previews .match")).ToContainTextAsync("Probably NCT07181720");
        await Assertions.Expect(page.Locator(".previews")).ToContainTextAsync("new trial");

        await page.GetByRole(AriaRole.Button, new() { Name = "It is NCT07181720" }).ClickAsync();
        await Assertions.Expect(page.Locator(".previews .match")).ToContainTextAsync("The same trial as NCT07181720 (an admin confirmed it)");
        await Assertions.Expect(page.Locator(".previews")).Not.ToContainTextAsync("new trial"); // the registry's values stand: the note adds no newer one
        await BrowserFixture.ScreenshotAsync(page, "admin-match");

        await ConfirmAndWaitAsync(page, "press-note.txt");
        var sources = await page.EvaluateAsync<string[]>(
            "async () => (await (await fetch('/api/v1/trials/NCT07181720')).json()).sourceDocuments.map(d => d.fileName)");
        Assert.Contains("press-note.txt", sources);
        Assert.Equal(trialsBefore, await page.EvaluateAsync<int>(CountTrials)); // the note joined the trial; no second trial holds it
    }

    /// <summary>Confirms one uploaded document and waits (reloading the batch page) until the ingestion queue stored it.</summary>
    private static async Task ConfirmAndWaitAsync(IPage page, string fileName)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm " + fileName }).ClickAsync();
        for (var i = 0; i < 100 && !(await page.Locator("#progress-text").InnerTextAsync()).Contains("1 of 1", StringComparison.Ordinal); i++)
        {
            await Task.Delay(200);
            await page.ReloadAsync();
        }

        await Assertions.Expect(page.Locator("#progress-text")).ToContainTextAsync("1 stored, 0 failed");
    }

    private async Task SignInAsync(IPage page)
    {
        await page.GotoAsync(browser.BaseUrl + "/admin/signin");
        await page.GetByLabel("User name").FillAsync(BrowserFixture.AdminUser);
        await page.GetByLabel("Password").FillAsync(BrowserFixture.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GotoAsync(browser.BaseUrl + "/admin/upload");
        Assert.EndsWith("/admin/upload", page.Url, StringComparison.Ordinal);
    }
}
