using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace TrialRegistry.Browser.Tests;

/// <summary>
/// WCAG 2.2 A and AA on every public page, at desktop and phone width, checked by axe-core (Deque's engine, injected
/// by Playwright) with zero violations. The pages need no JavaScript; these contexts enable it only to run axe.
/// </summary>
public sealed class AccessibilityTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    public static TheoryData<string, string, int> Pages()
    {
        var pages = new TheoryData<string, string, int>();
        foreach (var (name, path) in new[]
        {
            ("search", "/"),
            ("search-filtered", "/?antigen=CD70&phase=PHASE1&condition=renal"),
            ("search-empty", "/?antigen=CD70&condition=glioblastma"),
            ("search-errors", "/?doseMin=lots"),
            ("trial", "/trials/NCT06586658"),
            ("antigen", "/antigens/CD70"),
            ("trial-report", "/trials/NCT06586658/report"),
            ("admin-sign-in", "/admin/signin"),
        })
        {
            pages.Add(name, path, 1280);
            pages.Add(name, path, 360);
        }

        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_passes_wcag_2_2_aa_in_axe_core(string name, string path, int width)
    {
        var (context, page) = await browser.ScriptedPageAsync(width);
        var response = await page.GotoAsync(browser.BaseUrl + path);
        Assert.True(response!.Status < 500, $"{path}: {response.Status}");

        var result = await page.RunAxe(BrowserFixture.Wcag);
        await BrowserFixture.ScreenshotAsync(page, $"a11y-{name}-{width}");
        var violations = result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help}\n    " + string.Join("\n    ", v.Nodes.Take(5).Select(n => string.Join(" ", n.Target) + " " + n.Html)));
        Assert.True(result.Violations.Length == 0, $"{path} at {width} px:\n" + string.Join("\n", violations));
        Assert.NotEmpty(result.Passes);
        await context.CloseAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/trials/NCT06586658")]
    public async Task At_320_px_nothing_scrolls_sideways(string path)
    {
        var (context, page) = await browser.ScriptedPageAsync(320);
        await page.GotoAsync(browser.BaseUrl + path);
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{path} scrolls {overflow} px sideways at 320 px");
        await context.CloseAsync();
    }
}
