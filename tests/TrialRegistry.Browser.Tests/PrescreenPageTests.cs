using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TrialRegistry.Data.Store;
using TrialRegistry.Testing;

namespace TrialRegistry.Browser.Tests;

/// <summary>The pre-screening page in Chromium: a profile posted, never put in the address, and ranked trials whose every check names its criterion.</summary>
public sealed class PrescreenPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>
    /// Pre-screens the issue's patient on the page: 64 years old, ECOG 1, four prior lines including a BCMA-directed
    /// therapy, platelets 60 × 10⁹/L, trials recruiting or not; <paramref name="more"/> fills what a test adds.
    /// </summary>
    private async Task<IPage> PrescreenIssuePatientAsync(Func<IPage, Task> more, string screenshot)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/prescreen");
        await page.GetByLabel("Age (years)").FillAsync("64");
        await more(page);
        await page.GetByLabel("ECOG performance status (0–4)").FillAsync("1");
        await page.GetByLabel("Prior lines of therapy").FillAsync("4");
        await page.GetByLabel("Earlier therapies were directed at (antigens, comma separated)").FillAsync("BCMA");
        await page.GetByLabel("Platelets (× 10⁹/L)").FillAsync("60");
        await page.GetByLabel("Include trials that are not recruiting").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the trials" }).ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, screenshot);
        return page;
    }

    [Fact]
    public async Task A_profile_gives_ranked_trials_and_every_not_met_names_its_criterion()
    {
        var page = await PrescreenIssuePatientAsync(p => p.GetByLabel("Sex").SelectOptionAsync("MALE"), "prescreen-results");

        // Posted: nothing of the profile is in the address.
        Assert.EndsWith("/prescreen", page.Url, StringComparison.Ordinal);
        var results = page.Locator("ol.results > li.result");
        Assert.True(await results.CountAsync() >= 2, await page.InnerTextAsync("main"));
        Assert.Equal(await results.CountAsync(), await page.Locator("ol.results h3").CountAsync());

        // The seeds' solid-tumour trials ask platelets ≥ 75 × 10⁹/L: the patient's 60 is not met, quoted.
        var notMet = page.Locator("li.check-not_met");
        Assert.True(await notMet.CountAsync() >= 1);
        foreach (var text in await notMet.AllInnerTextsAsync())
        {
            Assert.Matches("^Not met: .+ \\((inclusion|exclusion): “.+”\\)$", text);
        }

        Assert.Contains(await notMet.AllInnerTextsAsync(), t => t.Contains("Platelets ≥ 75", StringComparison.Ordinal));

        // Ranked: the "not met" counts never go down the list.
        var counts = new List<int>();
        foreach (var meta in await page.Locator("ol.results p.meta").AllInnerTextsAsync())
        {
            counts.Add(int.Parse(System.Text.RegularExpressions.Regex.Match(meta, @"(\d+) not met").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(counts.Order(), counts);
    }

    [Fact]
    public async Task The_issues_myeloma_patient_is_turned_down_by_a_trial_that_excludes_prior_bcma_therapy_and_told_why()
    {
        // A registry record of a BCMA CAR-T trial in myeloma (its exclusions: any prior BCMA-targeted therapy, prior CAR-T).
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DocumentImporter>().ImportFileAsync(Path.Combine(SharedPaths.Corpus, "labelled", "docs", "dA_03_aactcsv.txt"), TestContext.Current.CancellationToken);
        }

        var page = await PrescreenIssuePatientAsync(p => p.GetByLabel("Diagnosis").FillAsync("multiple myeloma"), "prescreen-myeloma");

        var first = page.Locator("ol.results > li.result").First;
        Assert.Contains("NCT03548207", await first.Locator("p.meta").InnerTextAsync(), StringComparison.Ordinal);
        var notMet = await first.Locator("li.check-not_met").AllInnerTextsAsync();
        Assert.Contains(notMet, t => t.StartsWith("Not met: Prior BCMA-directed therapy: excluded (exclusion: “Any therapy that is targeted to B-cell maturation antigen (BCMA)”)", StringComparison.Ordinal));
        var met = await first.Locator("li.check-met").AllInnerTextsAsync();
        Assert.Contains(met, t => t.StartsWith("Met: ECOG ≤ 1", StringComparison.Ordinal));
        Assert.Contains(met, t => t.StartsWith("Met: At least 3 prior lines", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_trial_page_shows_its_checklist_each_line_quoting_its_criterion()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/trials/NCT06586658");
        var lines = await page.Locator("ul.checklist > li").AllInnerTextsAsync();
        Assert.Contains(lines, l => l.StartsWith("Platelets ≥ 75 × 10⁹/L (inclusion: “", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Matches("\\((inclusion|exclusion): “.+”\\)$", l));
    }

    [Fact]
    public async Task A_value_the_page_cannot_read_is_shown_back_with_why()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/prescreen");
        await page.GetByLabel("Age (years)").FillAsync("6 y");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the trials" }).ClickAsync();
        Assert.Contains("Age: '6 y' is not a whole number.", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("6 y", await page.GetByLabel("Age (years)").InputValueAsync());
    }

    [Fact]
    public async Task The_page_and_its_results_pass_wcag_2_2_aa()
    {
        var (context, page) = await browser.ScriptedPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/prescreen");
        await page.GetByLabel("Age (years)").FillAsync("50");
        await page.GetByLabel("Include trials that are not recruiting").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the trials" }).ClickAsync();
        var result = await page.RunAxe(BrowserFixture.Wcag);
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} {string.Join(" ", v.Nodes.Take(3).Select(n => n.Html))}")));
        await context.CloseAsync();
    }
}
