using Microsoft.Playwright;
using TrialRegistry.Testing;

namespace TrialRegistry.Browser.Tests;

/// <summary>
/// The app with the five seeds on a real PostgreSQL, and Debian's Chromium driven by Playwright (headless; the
/// browser is the one installed at /usr/bin/chromium, never a downloaded one). Screenshots go to
/// TestResults/screenshots under the repository root.
/// </summary>
public class BrowserFixture(PostgresServer server) : IAsyncLifetime
{
    public const string AdminUser = "curator";
    public const string AdminPassword = "a long admin password 42";

    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public RegistryApp App { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = string.Empty;

    public static string ScreenshotFolder { get; } = Path.Combine(
        Data.LocalDatabase.RepositoryRoot.Find() ?? Directory.GetCurrentDirectory(), "TestResults", "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests drive Debian's Chromium at {ChromiumPath}, which is not installed: apt-get install -y chromium (.ci/run does this).");
        }

        var settings = new Dictionary<string, string?>
        {
            ["Admin:BootstrapUser"] = AdminUser,
            ["Admin:BootstrapPassword"] = AdminPassword,
            ["Ingestion:IdleSeconds"] = "0.2",
        };
        foreach (var (key, value) in await MoreSettingsAsync())
        {
            settings[key] = value;
        }

        App = await new RegistryApp(server, SharedPaths.Seeds, settings).StartAsync();
        using (var client = App.CreateClient())
        {
            BaseUrl = client.BaseAddress!.ToString().TrimEnd('/');
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>Settings a fixture of its own adds to the app's (e.g. a stand-in server to sync from).</summary>
    protected virtual Task<IReadOnlyDictionary<string, string?>> MoreSettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            JavaScriptEnabled = false, // the pages work without JavaScript; prove it
        });
        return await context.NewPageAsync();
    }

    /// <summary>What axe-core checks: WCAG 2.2 A and AA.</summary>
    public static Deque.AxeCore.Commons.AxeRunOptions Wcag { get; } = new()
    {
        RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    /// <summary>
    /// A page whose context runs script, so that axe and a measurement can be evaluated in it (in a context without
    /// JavaScript an evaluation never returns); the app's pages themselves have none.
    /// </summary>
    public async Task<(IBrowserContext Context, IPage Page)> ScriptedPageAsync(int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            JavaScriptEnabled = true,
            BypassCSP = true, // the pages' policy forbids inline script; axe is injected as one
        });
        return (context, await context.NewPageAsync());
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        await DisposeMoreAsync();
    }

    /// <summary>What a fixture of its own started beside the app (see <see cref="MoreSettingsAsync"/>).</summary>
    protected virtual ValueTask DisposeMoreAsync() => ValueTask.CompletedTask;
}
