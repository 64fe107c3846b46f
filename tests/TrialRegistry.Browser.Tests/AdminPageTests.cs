using System.Text;
using Deque.AxeCore.Playwright;
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
        // The values read, not counts of them.
        await Assertions.Expect(page.Locator(".previews ul.read-values").First).ToContainTextAsync("Targets: CD70");
        await BrowserFixture.ScreenshotAsync(page, "admin-preview");

        await ConfirmAndWaitAsync(page, "000-rescraped.txt");
        await Assertions.Expect(page.Locator(".report")).ToContainTextAsync("1 updated");
        // The preview stays with the batch after confirming, as it was confirmed.
        await Assertions.Expect(page.GetByText("The preview it was confirmed with:")).ToBeVisibleAsync();
        Assert.Contains("COMPLETED", await page.Locator("table.diff tbody tr").First.InnerTextAsync(), StringComparison.Ordinal);
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

    [Fact]
    public async Task An_admin_corrects_a_value_a_reader_reports_one_and_the_admin_resolves_it_and_releases_the_correction()
    {
        const string id = "NCT06101082";
        var page = await browser.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync($"{browser.BaseUrl}/trials/{id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Correct a value of this trial" }).ClickAsync();
        Assert.EndsWith($"/admin/trials/{id}/correct", page.Url, StringComparison.Ordinal);

        // Choose the field: the form shows its value as it stands, ready to edit.
        await page.GetByLabel("Field").SelectOptionAsync("status");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show its value" }).ClickAsync();
        var before = await page.Locator("#value").InputValueAsync();
        Assert.False(string.IsNullOrWhiteSpace(before));
        Assert.NotEqual("SUSPENDED", before);
        await page.Locator("#value").FillAsync("Suspended");
        await page.GetByLabel("Why").FillAsync("The sponsor paused enrolment (letter of 3 March)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the correction" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("status corrected");
        await Assertions.Expect(page.Locator("ul.corrections")).ToContainTextAsync("SUSPENDED");
        await BrowserFixture.ScreenshotAsync(page, "admin-correct");

        // The trial page shows the value, marked as corrected, and the history names the admin.
        await page.GotoAsync($"{browser.BaseUrl}/trials/{id}");
        await Assertions.Expect(page.Locator(".badges .status")).ToHaveTextAsync("Suspended");
        await Assertions.Expect(page.Locator(".curated-note")).ToContainTextAsync("status");
        Assert.Contains($"by {BrowserFixture.AdminUser} (corrected status: The sponsor paused enrolment", await page.Locator("ol.history > li").First.InnerTextAsync(), StringComparison.Ordinal);

        // A reader (no session) reports a wrong value from the trial page.
        var reader = await browser.NewPageAsync(360);
        await reader.GotoAsync($"{browser.BaseUrl}/trials/{id}");
        Assert.Equal(0, await reader.GetByRole(AriaRole.Link, new() { Name = "Correct a value of this trial" }).CountAsync());
        await reader.GetByLabel("Which value").SelectOptionAsync("conditions");
        await reader.GetByLabel("What is wrong").FillAsync("Breast cancer is missing from the conditions.");
        await reader.GetByRole(AriaRole.Button, new() { Name = "Report it" }).ClickAsync();
        await Assertions.Expect(reader.GetByRole(AriaRole.Status)).ToContainTextAsync("Thank you");
        await BrowserFixture.ScreenshotAsync(reader, "trial-reported-360");

        // The admin's queue has it; resolving it takes it off the queue.
        await page.GotoAsync(browser.BaseUrl + "/admin/flags");
        var open = page.Locator("ol.flags > li");
        await Assertions.Expect(open).ToHaveCountAsync(1);
        await Assertions.Expect(open.First).ToContainTextAsync("Breast cancer is missing");
        await BrowserFixture.ScreenshotAsync(page, "admin-flags");
        await open.First.GetByLabel("What was done").FillAsync("Checked the registry: the conditions are right");
        await open.First.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Assertions.Expect(page.Locator("ol.flags > li")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Checked the registry: the conditions are right")).ToBeVisibleAsync();

        // Released: the sources' status is back.
        await page.GotoAsync($"{browser.BaseUrl}/admin/trials/{id}/correct");
        await page.GetByRole(AriaRole.Button, new() { Name = "Release status" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("released");
        await page.GotoAsync($"{browser.BaseUrl}/trials/{id}");
        Assert.Equal(0, await page.Locator(".curated-note").CountAsync());
        Assert.NotEqual("Suspended", await page.Locator(".badges .status").InnerTextAsync());
    }

    [Fact]
    public async Task An_unreadable_document_is_read_again_previewed_and_becomes_a_trial()
    {
        // A document an older parser could not read, kept with its text.
        var text = $"""
            <clinical_study>
              <id_info><nct_id>NCT09999907</nct_id></id_info>
              <brief_title>BCMA CAR-T cells for relapsed myeloma</brief_title>
              <overall_status>Recruiting</overall_status>
              <phase>Phase 1</phase>
              <condition>Multiple Myeloma</condition>
              <intervention><intervention_type>Biological</intervention_type><intervention_name>BCMA CAR-T cells</intervention_name></intervention>
            </clinical_study>
            """.Replace("'", "''", StringComparison.Ordinal);
        await browser.App.ExecuteAsync($"""
            INSERT INTO source_documents (sha256, file_name, format, encoding, raw_text, error, record_count, received_at)
            VALUES ('{new string('f', 64)}', 'old-export.xml', 'unknown', 'utf-8', '{text}', 'no reader recognised the layout', 0, now())
            """);

        var page = await browser.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(browser.BaseUrl + "/admin/reread");
        await page.GetByLabel("Documents stored as").SelectOptionAsync("unknown");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show what would change" }).ClickAsync();
        var row = page.Locator("table.reread tbody tr", new() { HasText = "old-export.xml" });
        await Assertions.Expect(row).ToContainTextAsync("unknown → ctgov-xml");
        await Assertions.Expect(row).ToContainTextAsync("NCT09999907: new record");
        await BrowserFixture.ScreenshotAsync(page, "admin-reread-preview");
        Assert.Equal(0, await browser.App.CountAsync("SELECT count(*) FROM trials WHERE registry_id = 'NCT09999907'"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Apply: store these readings" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync("Done");
        await page.GetByRole(AriaRole.Link, new() { Name = "NCT09999907" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("BCMA CAR-T cells for relapsed myeloma");
        await Assertions.Expect(page.Locator(".badges")).ToContainTextAsync("BCMA");
    }

    [Fact]
    public async Task An_admin_withdraws_a_trial_with_a_reason_finds_it_in_the_withdrawn_list_and_restores_it()
    {
        const string id = "NCT07181720";
        var page = await browser.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync($"{browser.BaseUrl}/admin/trials/{id}/correct");
        await page.Locator("#withdrawal-reason").FillAsync("A duplicate of another registration");
        await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw the trial" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("withdrawn");

        await page.GotoAsync($"{browser.BaseUrl}/trials/{id}");
        await Assertions.Expect(page.Locator("p.warning")).ToContainTextAsync($"by {BrowserFixture.AdminUser}: A duplicate of another registration");
        Assert.Equal(1, await browser.App.CountAsync($"SELECT count(*) FROM trials WHERE registry_id = '{id}' AND withdrawn"));

        await page.GotoAsync(browser.BaseUrl + "/admin/withdrawn");
        var row = page.Locator("table.withdrawn tbody tr", new() { HasText = id });
        await Assertions.Expect(row).ToContainTextAsync("A duplicate of another registration");
        await BrowserFixture.ScreenshotAsync(page, "admin-withdrawn");
        await row.GetByRole(AriaRole.Link, new() { Name = "Restore…" }).ClickAsync();
        await page.Locator("#withdrawal-reason").FillAsync("Not a duplicate after all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Restore the trial" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("restored");
        await page.GotoAsync($"{browser.BaseUrl}/trials/{id}");
        Assert.Equal(0, await page.Locator("p.warning", new() { HasText = "Withdrawn" }).CountAsync());
        Assert.Contains("Not a duplicate after all", await page.Locator("ol.history > li").First.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_log_lists_who_did_what_and_filters_by_action_and_trial()
    {
        var page = await browser.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(browser.BaseUrl + "/admin/audit");
        await page.GetByLabel("Action").SelectOptionAsync("sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        Assert.Contains("action=sign-in", page.Url, StringComparison.Ordinal);
        var rows = page.Locator("table.audit tbody tr");
        Assert.True(await rows.CountAsync() >= 1);
        foreach (var row in await rows.AllAsync())
        {
            Assert.Contains("sign-in", await row.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains(BrowserFixture.AdminUser, await row.InnerTextAsync(), StringComparison.Ordinal);
        }

        await BrowserFixture.ScreenshotAsync(page, "admin-audit");
        await page.GotoAsync(browser.BaseUrl + "/admin/audit?target=NCT00000000");
        await Assertions.Expect(page.GetByText("No entry.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_admin_creates_an_uploader_gives_them_a_named_key_once_and_revokes_it()
    {
        var page = await browser.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(browser.BaseUrl + "/admin/accounts");
        await page.GetByLabel("User name").FillAsync("uploader-una");
        await page.Locator("#new-role").SelectOptionAsync("Uploader");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create (a password is made for them)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("uploader-una can sign in as Uploader");
        var password = await page.Locator("#new-secret").InnerTextAsync();
        Assert.True(password.Length >= 20, password);

        await page.Locator("#key-admin").SelectOptionAsync("uploader-una");
        await page.GetByLabel("What it is for").FillAsync("nightly import");
        await page.GetByLabel("Good until (empty: until revoked)").FillAsync(DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Make the key" }).ClickAsync();
        var key = await page.Locator("#new-secret").InnerTextAsync();
        Assert.StartsWith("trk_", key, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "admin-accounts-key");

        // The key works for the API, as an uploader: it may follow batches, not read the curators' queue.
        using var api = browser.App.CreateRawClient();
        async Task<System.Net.HttpStatusCode> FlagsAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/flags");
            request.Headers.Add("X-Api-Key", key);
            return (await api.SendAsync(request)).StatusCode;
        }

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, await FlagsAsync());

        // Shown once: reloading the page lists the key by name and first letters only.
        await page.GotoAsync(browser.BaseUrl + "/admin/accounts");
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
        var row = page.Locator("table.keys tbody tr", new() { HasText = "nightly import" });
        await Assertions.Expect(row).ToContainTextAsync(key[..10]);
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke nightly import" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("revoked");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await FlagsAsync());
        Assert.Equal(1, await browser.App.CountAsync($"SELECT count(*) FROM audit_entries WHERE actor = '{BrowserFixture.AdminUser}' AND action = 'admin-api-key-revoked' AND target = 'uploader-una'"));
    }

    [Fact]
    public async Task A_large_export_is_previewed_record_by_record_in_pages_and_filters()
    {
        var page = await browser.NewPageAsync();
        await SignInAsync(page);
        await page.GetByLabel("Documents").SetInputFilesAsync(Path.Combine(SharedPaths.Corpus, "ctgov-csv", "oncology-car-t-trials.csv"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();
        Assert.Matches("/admin/batches/\\d+$", page.Url);
        var batchUrl = page.Url;

        // Every record is in the preview, 25 a page.
        var filter = page.GetByRole(AriaRole.Navigation, new() { Name = "Which records of oncology-car-t-trials.csv" });
        await Assertions.Expect(filter.GetByRole(AriaRole.Link, new() { Name = "All (2274)" })).ToBeVisibleAsync();
        Assert.Equal(25, await page.Locator("ol.previews > li").CountAsync());
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Pages of oncology-car-t-trials.csv" }).GetByRole(AriaRole.Link, new() { Name = "2", Exact = true }).ClickAsync();
        Assert.Equal("26", await page.Locator("ol.previews").GetAttributeAsync("start"));
        var secondPage = await page.Locator("ol.previews > li strong").AllInnerTextsAsync();

        // Filtered to the records already in the registry that this export changes, or to those with warnings.
        var changesLink = filter.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^With warnings \\(\\d+\\)$") });
        var warned = int.Parse(System.Text.RegularExpressions.Regex.Match(await changesLink.InnerTextAsync(), "\\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(warned > 0);
        await changesLink.ClickAsync();
        Assert.Contains("show=Warnings", page.Url, StringComparison.Ordinal);
        var items = page.Locator("ol.previews > li");
        Assert.Equal(Math.Min(25, warned), await items.CountAsync());
        foreach (var item in await items.AllAsync())
        {
            Assert.True(await item.Locator("ul.warnings li").CountAsync() > 0);
        }

        await BrowserFixture.ScreenshotAsync(page, "admin-preview-filtered");
        // The second page of all records is the same when asked again (the preview is kept, not worked out anew).
        await page.GotoAsync(batchUrl + "?show=All&p" + System.Text.RegularExpressions.Regex.Match(await page.Locator("section.upload h2").First.GetAttributeAsync("id") ?? "", "\\d+").Value + "=2");
        Assert.Equal(secondPage, await page.Locator("ol.previews > li strong").AllInnerTextsAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Discard", Exact = true }).ClickAsync();
    }

    [Fact]
    public async Task An_admin_fills_in_a_document_nobody_can_read_and_it_becomes_a_trial_with_their_name()
    {
        // A scanned letter's text: no layout, no trial words a reader could take with confidence.
        await browser.App.ExecuteAsync($"""
            INSERT INTO source_documents (sha256, file_name, format, encoding, raw_text, error, record_count, received_at)
            VALUES ('{new string('e', 64)}', 'scan-0412.txt', 'unknown', 'utf-8',
                    'Ref NCT09999977 -- pg 1 of 3 -- illegible -- anti CD 19 -- Klinikum -- 2026',
                    'it describes no trial', 0, now())
            """);
        var page = await browser.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(browser.BaseUrl + "/admin/unreadable");
        await page.GetByRole(AriaRole.Link, new() { Name = "Fill in scan-0412.txt" }).ClickAsync();
        await Assertions.Expect(page.Locator("pre.document-text")).ToContainTextAsync("Ref NCT09999977");
        // The registry number the text gives is offered.
        await Assertions.Expect(page.GetByLabel("Registry id (required)")).ToHaveValueAsync("NCT09999977");
        await page.GetByLabel("Title (required)").FillAsync("CD19 CAR-T cells for relapsed lymphoma (scanned letter)");
        await page.GetByLabel("Status").SelectOptionAsync("RECRUITING");
        await page.GetByLabel("Phase 1", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Conditions (one a line)").FillAsync("B-cell lymphoma");
        await page.GetByLabel("Target antigens (comma-separated: CD19, BCMA)").FillAsync("cd-19");
        await page.GetByLabel("Note for the history (optional)").FillAsync("read from the scan");
        await BrowserFixture.ScreenshotAsync(page, "admin-fill-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Store as this document's record" }).ClickAsync();

        Assert.EndsWith("/trials/NCT09999977", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("CD19 CAR-T cells for relapsed lymphoma");
        Assert.Contains(BrowserFixture.AdminUser, await page.Locator("ol.history > li").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await browser.App.CountAsync("SELECT count(*) FROM trials t JOIN trial_target_antigens x ON x.trial_id = t.id JOIN target_antigens a ON a.id = x.target_antigen_id WHERE t.registry_id = 'NCT09999977' AND a.symbol = 'CD19'"));
        Assert.Equal(1, await browser.App.CountAsync($"SELECT count(*) FROM audit_entries WHERE action = 'fill-in' AND target = 'NCT09999977' AND actor = '{BrowserFixture.AdminUser}'"));

        // No longer unreadable; filling it in again is refused.
        await page.GotoAsync(browser.BaseUrl + "/admin/unreadable");
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Fill in scan-0412.txt" }).CountAsync());
    }

    [Fact]
    public async Task The_curation_pages_pass_wcag_2_2_aa_in_axe_core()
    {
        var (context, page) = await browser.ScriptedPageAsync();
        await SignInAsync(page);
        foreach (var path in new[] { "/admin/trials/NCT07181720/correct?field=conditions", "/admin/flags", "/admin/reread", "/admin/withdrawn", "/admin/upload", "/admin/audit", "/admin/accounts", "/admin/unreadable", "/admin/sync" })
        {
            await page.GotoAsync(browser.BaseUrl + path);
            var result = await page.RunAxe(BrowserFixture.Wcag);
            Assert.True(result.Violations.Length == 0, path + ":\n" + string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} " + string.Join(" ", v.Nodes.Take(3).Select(n => n.Html)))));
        }

        await context.CloseAsync();
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
