using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace TrialRegistry.Browser.Tests;

/// <summary>What a clinician does in the browser, against the app with the five seeds loaded.</summary>
public sealed partial class PageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static async Task<int> ResultCountAsync(IPage page) =>
        int.Parse(await page.Locator("#result-count").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<List<string>> ResultIdsAsync(IPage page) =>
        [.. await page.Locator("ol.results .id").AllInnerTextsAsync()];

    [Fact]
    public async Task Search_by_antigen_finds_the_seed_trials_and_filters_narrow_the_list()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/");
        Assert.Equal(5, await ResultCountAsync(page));
        await BrowserFixture.ScreenshotAsync(page, "search-all");

        // CD70, by its checkbox, found by its label.
        await page.GetByLabel(new Regex("^CD70")).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        Assert.Contains("antigen=CD70", page.Url, StringComparison.Ordinal);
        var cd70 = await ResultIdsAsync(page);
        Assert.Equal(3, cd70.Count);
        Assert.Contains("NCT06586658", cd70);
        Assert.Contains("NCT07181720", cd70);
        Assert.DoesNotContain("NCT06101082", cd70); // the HER2 seed
        var recruitingBefore = await page.Locator("label[for='status-RECRUITING']").InnerTextAsync();
        Assert.Contains("(1)", recruitingBefore, StringComparison.Ordinal);

        // "CD70, phase 1, renal cell carcinoma": the two seed trials that are phase 1.
        await page.GetByLabel(new Regex("^Phase 1 ")).CheckAsync();
        await page.GetByLabel("A disease, or part of a condition name").FillAsync("renal cell carcinoma");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        var narrowed = await ResultIdsAsync(page);
        Assert.Equal(2, narrowed.Count);
        Assert.Contains("NCT07181720", narrowed);
        Assert.Contains(narrowed, id => id.StartsWith("TR-", StringComparison.Ordinal));
        Assert.DoesNotContain("NCT06586658", narrowed); // early phase 1
        Assert.Equal(2, await ResultCountAsync(page));
        // The counts beside the filters follow the search.
        Assert.Contains("(1)", await page.Locator("label[for='phase-EARLY_PHASE1']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("label[for='antigen-HER2']").CountAsync()); // no HER2 trial is phase 1 in renal cell carcinoma
        Assert.Contains("(0)", await page.Locator("label[for='status-RECRUITING']").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "search-cd70-phase1-renal");

        // The whole search is in the URL: opening it again gives the same page.
        var again = await browser.NewPageAsync();
        await again.GotoAsync(page.Url);
        Assert.Equal(narrowed, await ResultIdsAsync(again));
        Assert.True(await again.GetByLabel(new Regex("^Phase 1 ")).IsCheckedAsync());
    }

    [Fact]
    public async Task Each_result_shows_who_qualifies_who_runs_it_and_where_and_the_search_can_be_sorted_and_downloaded()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/?antigen=CD70");
        var result = page.Locator("ol.results > li", new() { Has = page.Locator(".id", new() { HasText = "NCT06586658" }) });
        var glance = await result.Locator(".glance").InnerTextAsync();
        Assert.Contains("18 to 70 years", glance, StringComparison.Ordinal);
        Assert.Contains("ECOG: 0–2", glance, StringComparison.Ordinal);
        Assert.Contains("Prior CAR-T: excluded", glance, StringComparison.Ordinal);
        Assert.Equal("Previous use of any CAR T cell products or other genetically modified T cell therapy;",
            await result.Locator(".screening", new() { HasText = "Prior CAR-T" }).GetAttributeAsync("title"));
        var who = await result.Locator(".who").InnerTextAsync();
        Assert.Contains("Sponsor: Shanghai Changzheng Hospital", who, StringComparison.Ordinal);
        Assert.Contains("Sites in: China", who, StringComparison.Ordinal);
        // Results are headings, so a screen reader can go from one to the next.
        Assert.Equal(3, await page.GetByRole(AriaRole.Heading, new() { Level = 3 }).CountAsync());

        await page.GetByLabel("Sort by").SelectOptionAsync("START_DATE");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        Assert.Contains("sort=START_DATE", page.Url, StringComparison.Ordinal);
        Assert.Equal("START_DATE", await page.GetByLabel("Sort by").InputValueAsync());

        var csvLink = await page.GetByRole(AriaRole.Link, new() { Name = "Download these results (CSV)" }).GetAttributeAsync("href");
        Assert.StartsWith("/api/v1/trials?", csvLink, StringComparison.Ordinal);
        var csv = await page.EvaluateAsync<string>($"async () => await (await fetch('{csvLink}')).text()");
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 3, rows.Length);
        Assert.Contains(rows, r => r.StartsWith("NCT06586658,", StringComparison.Ordinal));
        await BrowserFixture.ScreenshotAsync(page, "search-glance");
    }

    [Fact]
    public async Task The_kind_of_disease_narrows_to_blood_cancers_solid_tumours_or_autoimmune_diseases()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/");
        await page.GetByLabel(new Regex("^Solid tumour")).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        Assert.Contains("category=SOLID_TUMOR", page.Url, StringComparison.Ordinal);
        var solid = await ResultIdsAsync(page);
        Assert.Contains("NCT06101082", solid); // solid tumour (HER2)
        Assert.Contains("NCT06586658", solid); // renal cell carcinoma
        Assert.DoesNotContain("TR-F8748EC2F5", solid); // the CD7 page names no condition
        Assert.Contains($"({solid.Count})", await page.Locator("label[for='category-SOLID_TUMOR']").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_search_box_understands_numbers_antigen_spellings_and_misspellings()
    {
        var page = await browser.NewPageAsync();
        async Task SearchFor(string words)
        {
            await page.GotoAsync(browser.BaseUrl + "/");
            await page.GetByLabel("Search words").FillAsync(words);
            await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        }

        // A registry number, pasted in lower case, opens its trial.
        await SearchFor("nct06586658");
        Assert.EndsWith("/trials/NCT06586658", page.Url, StringComparison.Ordinal);

        // A number the registry does not hold says so and points to ClinicalTrials.gov.
        await SearchFor("NCT05850234");
        await Assertions.Expect(page.Locator(".no-results")).ToContainTextAsync("No trial with the number NCT05850234");
        Assert.Equal("https://clinicaltrials.gov/study/NCT05850234", await page.Locator(".no-results a[rel=external]").GetAttributeAsync("href"));

        // "CD-70" is CD70: the same trials as the symbol, and the offer to search by target.
        await SearchFor("CD70");
        var bySymbol = await ResultIdsAsync(page);
        await SearchFor("CD-70");
        Assert.Equal(bySymbol.Order(), (await ResultIdsAsync(page)).Order());
        await page.GetByRole(AriaRole.Link, new() { Name = "Search by target CD70" }).ClickAsync();
        Assert.Contains("antigen=CD70", page.Url, StringComparison.Ordinal);
        Assert.True(await page.GetByLabel(new Regex("^CD70")).IsCheckedAsync());
        Assert.Equal(3, await ResultCountAsync(page));

        // A misspelling gets the registry's own word.
        await SearchFor("carcinma");
        Assert.Equal(0, await ResultCountAsync(page));
        var suggestion = page.Locator(".no-results").GetByRole(AriaRole.Link, new() { Name = "carcinoma" });
        await suggestion.ClickAsync();
        Assert.True(await ResultCountAsync(page) > 0);
        await BrowserFixture.ScreenshotAsync(page, "search-corrected");

        // An empty result says which filter emptied it and offers to drop it.
        await page.GotoAsync(browser.BaseUrl + "/?antigen=HER2&condition=renal");
        Assert.Equal(0, await ResultCountAsync(page));
        await BrowserFixture.ScreenshotAsync(page, "search-nothing-found");
        var drop = page.Locator(".relax a", new() { HasText = "condition" });
        await Assertions.Expect(page.Locator(".relax")).ToContainTextAsync("Drop target HER2");
        await drop.ClickAsync();
        Assert.Equal(["NCT06101082"], await ResultIdsAsync(page));
    }

    [Fact]
    public async Task A_trial_page_shows_the_full_eligibility_with_sub_items()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/?antigen=CD70&phase=PHASE1&condition=renal");
        await page.GetByRole(AriaRole.Link, new() { Name = "Clinical Study of CD70-Targeted Chimeric Antigen Receptor T Lymphocytes" }).ClickAsync();
        Assert.EndsWith("/trials/NCT07181720", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("CD70-Targeted Chimeric Antigen Receptor");

        var inclusion = page.Locator("ol.criteria[aria-labelledby='inclusion'] > li");
        var exclusion = page.Locator("ol.criteria[aria-labelledby='exclusion'] > li");
        Assert.Equal(11, await inclusion.CountAsync());
        Assert.Equal(12, await exclusion.CountAsync());
        Assert.StartsWith("Age ≥18 years, regardless of gender;", await inclusion.Nth(0).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(3, await inclusion.Nth(3).Locator("ol > li").CountAsync());
        Assert.Contains("Lymph node lesions with a short axis ≥15mm on CT scan", await inclusion.Nth(3).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Prior treatment with anti-CD70 therapies;", await exclusion.Nth(0).InnerTextAsync());

        // Arms with routes, the sponsor, the source document, and the link to ClinicalTrials.gov.
        var arms = page.Locator("section[aria-labelledby='arms'] tbody tr");
        Assert.Equal(3, await arms.CountAsync());
        Assert.Contains("Intrapleural", await arms.Nth(1).InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("section[aria-labelledby='sponsors']")).ToContainTextAsync("Chongqing Precision Biotech");
        await Assertions.Expect(page.Locator("section[aria-labelledby='sources']")).ToContainTextAsync("004_");
        Assert.Equal("https://clinicaltrials.gov/study/NCT07181720",
            await page.GetByRole(AriaRole.Link, new() { Name = "View NCT07181720 on ClinicalTrials.gov" }).GetAttributeAsync("href"));
        await BrowserFixture.ScreenshotAsync(page, "trial-NCT07181720");
    }

    [Fact]
    public async Task The_dose_chart_shows_where_a_trials_doses_sit()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.BaseUrl + "/trials/NCT06586658");
        await page.GetByRole(AriaRole.Link, new() { Name = "CD70 dose landscape" }).ClickAsync();
        Assert.Contains("/antigens/CD70?trial=NCT06586658", page.Url, StringComparison.Ordinal);

        var chart = page.Locator("svg.dose-chart[data-unit='CELLS_PER_KG']");
        await Assertions.Expect(chart).ToBeVisibleAsync();
        var points = chart.Locator("circle.pt");
        Assert.Equal(3, await points.CountAsync());
        Assert.Equal(3, await chart.Locator("circle.pt.hi").CountAsync());
        // On a log scale, 3×10⁶ < 1×10⁷ < 2×10⁷ from left to right.
        var xs = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            xs.Add(double.Parse((await points.Nth(i).GetAttributeAsync("cx"))!, System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(xs.Order(), xs);
        var box = await points.Nth(0).BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Width > 0);
        await Assertions.Expect(page.Locator(".phase-counts")).ToContainTextAsync("Phase 1: 2");
        await Assertions.Expect(page.Locator(".lead")).ToContainTextAsync("CD27L");
        await BrowserFixture.ScreenshotAsync(page, "antigen-CD70");
    }

    [Fact]
    public async Task Every_control_has_a_label_and_the_layout_fits_a_phone()
    {
        var page = await browser.NewPageAsync(390, 844);
        await page.GotoAsync(browser.BaseUrl + "/");
        foreach (var control in await page.Locator("input:not([type=hidden]), select").AllAsync())
        {
            var id = await control.GetAttributeAsync("id");
            Assert.False(string.IsNullOrEmpty(id));
            Assert.Equal(1, await page.Locator($"label[for='{id}']").CountAsync());
        }

        // No horizontal scrolling on a phone.
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"page is {width}px wide");
        await BrowserFixture.ScreenshotAsync(page, "search-phone");

        // Keyboard: the first Tab reaches the skip link, which leads to the content.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("document.activeElement.textContent"));
    }

    [Fact]
    public async Task Bad_input_is_shown_as_a_message_and_never_echoed_as_markup()
    {
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync(browser.BaseUrl + "/?phase=%3Cscript%3Ealert(1)%3C%2Fscript%3E&doseMin=lots");
        Assert.Equal(400, response!.Status);
        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("is not a phase");
        await Assertions.Expect(alert).ToContainTextAsync("is not a dose");
        Assert.Equal(0, await page.Locator("script").CountAsync());
        Assert.Contains("&lt;script&gt;", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_trial_and_antigen_pages_say_so_with_404()
    {
        var page = await browser.NewPageAsync();
        Assert.Equal(404, (await page.GotoAsync(browser.BaseUrl + "/trials/NCT99999999"))!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Trial not found");
        Assert.Equal(404, (await page.GotoAsync(browser.BaseUrl + "/antigens/NOPE"))!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Antigen not found");
    }

    [Fact]
    public async Task Swagger_ui_works_under_the_content_security_policy()
    {
        var context = await browser.Browser.NewContextAsync(); // Swagger UI needs JavaScript
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        await page.GotoAsync(browser.BaseUrl + "/swagger/index.html");
        await Assertions.Expect(page.GetByText("/api/v1/trials/{id}/fhir")).ToBeVisibleAsync();
        Assert.Empty(violations);
        await BrowserFixture.ScreenshotAsync(page, "swagger");
        await context.CloseAsync();
    }
}
