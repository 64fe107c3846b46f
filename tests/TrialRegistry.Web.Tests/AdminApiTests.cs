using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>The write API over real HTTP: who may write, what an upload stores, and what the limits refuse.</summary>
public sealed class AdminApiTests(PostgresServer server) : IAsyncLifetime
{
    private const string AdminPassword = "correct horse battery staple";
    private RegistryApp _app = null!;
    private HttpClient _client = null!;
    private string _apiKey = string.Empty;

    public async ValueTask InitializeAsync()
    {
        _app = await new RegistryApp(server, null, new Dictionary<string, string?>
        {
            ["Admin:BootstrapUser"] = "admin",
            ["Admin:BootstrapPassword"] = AdminPassword,
            ["Ingestion:IdleSeconds"] = "0.1",
            ["Uploads:MaxFileBytes"] = (3 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).StartAsync();
        _apiKey = await _app.ApiKeyAsync("admin");
        _client = _app.CreateRawClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private static MultipartFormDataContent Files(params (string Name, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            form.Add(new ByteArrayContent(content), "file", name);
        }

        return form;
    }

    private async Task<HttpResponseMessage> PostDocuments(MultipartFormDataContent form, string? key = "admin")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents") { Content = form };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key == "admin" ? _apiKey : key);
        }

        return await _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Uploads and waits for the batch to finish; returns the batch report.</summary>
    private async Task<JsonElement> StoreAndWait(params (string Name, byte[] Content)[] files)
    {
        var response = await PostDocuments(Files(files));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var status = response.Headers.Location!.ToString();
        for (var i = 0; i < 600; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, status);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _apiKey);
            var report = JsonDocument.Parse(await (await _client.SendAsync(request, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
            if (report.GetProperty("finished").GetBoolean())
            {
                return report;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("the batch did not finish");
    }

    private static byte[] Seed(string prefix) => File.ReadAllBytes(SharedPaths.Seed(prefix));

    [Fact]
    public async Task Anonymous_and_wrong_key_writes_are_refused_and_store_nothing()
    {
        var anonymous = await PostDocuments(Files(("000.txt", Seed("000"))), key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostDocuments(Files(("000.txt", Seed("000"))), key: "trk_not-a-key")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.PostAsync("/api/v1/trials/NCT06586658/withdraw", null, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.GetAsync("/api/v1/batches/1", TestContext.Current.CancellationToken)).StatusCode);

        // The admin pages send an anonymous visitor to sign in.
        var page = await _client.GetAsync("/admin/upload", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/admin/signin", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        // A signed-in page cookie is not an API key, and an API key does not open the pages.
        using var keyOnPage = new HttpRequestMessage(HttpMethod.Get, "/admin/upload");
        keyOnPage.Headers.Add("X-Api-Key", _apiKey);
        Assert.Equal(HttpStatusCode.Redirect, (await _client.SendAsync(keyOnPage, TestContext.Current.CancellationToken)).StatusCode);

        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM uploads"));
        Assert.Equal(0, await _app.CountAsync("SELECT count(*) FROM trials"));
    }

    [Fact]
    public async Task An_admin_upload_stores_once_and_an_edited_document_makes_version_2()
    {
        var first = await StoreAndWait(("000.txt", Seed("000")));
        Assert.Equal(1, first.GetProperty("done").GetInt32());
        Assert.Equal("New", first.GetProperty("uploads")[0].GetProperty("result").GetProperty("records")[0].GetProperty("outcome").ToString());
        Assert.Equal(1, await _app.CountAsync("SELECT count(*) FROM trials WHERE registry_id = 'NCT06586658'"));

        // The same file again: nothing changes.
        var versions = await _app.CountAsync("SELECT count(*) FROM trial_versions");
        var again = await StoreAndWait(("000.txt", Seed("000")));
        Assert.Equal("Unchanged", again.GetProperty("uploads")[0].GetProperty("result").GetProperty("records")[0].GetProperty("outcome").ToString());
        Assert.Equal(versions, await _app.CountAsync("SELECT count(*) FROM trial_versions"));

        // An edited copy: version 2, and the diff names the field.
        var edited = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Seed("000")).Replace("\nRECRUITING\n", "\nCOMPLETED\n", StringComparison.Ordinal));
        await StoreAndWait(("000.txt", edited));
        var history = await _client.GetFromJsonAsync<JsonElement>("/api/v1/trials/NCT06586658/versions", TestContext.Current.CancellationToken);
        Assert.Equal(2, history[0].GetProperty("version").GetInt32());
        Assert.Equal(["status"], history[0].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(1, history[1].GetProperty("version").GetInt32());

        Assert.True(await _app.CountAsync("SELECT count(*) FROM audit_entries WHERE actor = 'admin' AND action = 'upload'") >= 3);
    }

    [Fact]
    public async Task A_zip_of_documents_is_expanded_into_one_upload_each()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var prefix in new[] { "002", "004" })
            {
                await using var entry = archive.CreateEntry($"seeds/{prefix}.txt").Open();
                await entry.WriteAsync(Seed(prefix), TestContext.Current.CancellationToken);
            }
        }

        var report = await StoreAndWait(("two.zip", zip.ToArray()));
        Assert.Equal(2, report.GetProperty("done").GetInt32());
        Assert.Equal(2, await _app.CountAsync("SELECT count(*) FROM trials WHERE registry_id IN ('NCT06101082','NCT07181720')"));
    }

    public static TheoryData<string, string, int, string> RefusedUploads => new()
    {
        { "oversized", "big.txt", 413, "larger than" },
        { "binary", "notes.txt", 415, "not text" },
        { "zip-bomb", "bomb.zip", 413, "zip bomb" },
        { "zip-slip", "slip.zip", 400, "outside the archive" },
        { "nested", "nested.zip", 415, "nested archives" },
        { "encoding", "garbled.txt", 415, "not text in any encoding the registry reads" },
        { "type", "report.pdf", 415, "not accepted" },
        { "fake-zip", "fake.zip", 415, "zip content" },
    };

    [Theory]
    [MemberData(nameof(RefusedUploads))]
    public async Task Bad_uploads_get_a_clear_error_and_leave_the_database_unchanged(string kind, string name, int status, string message)
    {
        byte[] content = kind switch
        {
            "oversized" => Encoding.UTF8.GetBytes(new string('x', 4 * 1024 * 1024)),
            "binary" => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
            "zip-bomb" => Zip(("inner.txt", new byte[50 * 1024 * 1024])),
            "zip-slip" => Zip(("../../etc/evil.txt", Encoding.UTF8.GetBytes("NCT12345678"))),
            "nested" => Zip(("inner.zip", Zip(("a.txt", Seed("000"))))),
            // Bytes no encoding reads: C1 controls in Windows-1252, invalid pairs in every CJK encoding.
            "encoding" => [0x81, 0xFF, 0x41, 0x8D, 0xFF, 0x0A, 0x81, 0xFF],
            "type" => Encoding.UTF8.GetBytes("%PDF-1.7 not really"),
            _ => Encoding.UTF8.GetBytes("just text"),
        };
        var before = (await _app.CountAsync("SELECT count(*) FROM uploads"), await _app.CountAsync("SELECT count(*) FROM upload_batches"), await _app.CountAsync("SELECT count(*) FROM trials"));
        // A good document beside the bad one: refused all the same, whole.
        var response = await PostDocuments(Files(("ok.txt", Seed("002")), (name, content)));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(before, (await _app.CountAsync("SELECT count(*) FROM uploads"), await _app.CountAsync("SELECT count(*) FROM upload_batches"), await _app.CountAsync("SELECT count(*) FROM trials")));
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                entry.Write(content);
            }
        }

        return zip.ToArray();
    }

    [Fact]
    public async Task Withdrawing_keeps_the_trial_and_its_history_but_takes_it_out_of_search()
    {
        await StoreAndWait(("002.txt", Seed("002")));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/trials/NCT06101082/withdraw");
        request.Headers.Add("X-Api-Key", _apiKey);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode);

        var trial = await _client.GetFromJsonAsync<JsonElement>("/api/v1/trials/NCT06101082", TestContext.Current.CancellationToken);
        Assert.True(trial.GetProperty("withdrawn").GetBoolean());
        var history = await _client.GetFromJsonAsync<JsonElement>("/api/v1/trials/NCT06101082/versions", TestContext.Current.CancellationToken);
        Assert.Equal(["withdrawn"], history[0].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        var search = await _client.GetFromJsonAsync<JsonElement>("/api/v1/trials?antigen=HER2", TestContext.Current.CancellationToken);
        Assert.Equal(0, search.GetProperty("trials").GetArrayLength());
        Assert.Equal(1, await _app.CountAsync("SELECT count(*) FROM audit_entries WHERE action = 'withdraw' AND target = 'NCT06101082'"));

        // Undone, with a reason: searchable again, the history and the audit log say so.
        using var restore = new HttpRequestMessage(HttpMethod.Post, "/api/v1/trials/NCT06101082/restore") { Content = JsonContent.Create(new { reason = "withdrawn by mistake" }) };
        restore.Headers.Add("X-Api-Key", _apiKey);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.SendAsync(restore, TestContext.Current.CancellationToken)).StatusCode);
        Assert.False((await _client.GetFromJsonAsync<JsonElement>("/api/v1/trials/NCT06101082", TestContext.Current.CancellationToken)).GetProperty("withdrawn").GetBoolean());
        history = await _client.GetFromJsonAsync<JsonElement>("/api/v1/trials/NCT06101082/versions", TestContext.Current.CancellationToken);
        Assert.Equal(["restored"], history[0].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        var version = history[0].GetProperty("version").GetInt32();
        Assert.False((await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/NCT06101082/versions/{version}", TestContext.Current.CancellationToken)).GetProperty("withdrawn").GetBoolean());
        Assert.True((await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/NCT06101082/versions/{version - 1}", TestContext.Current.CancellationToken)).GetProperty("withdrawn").GetBoolean());
        search = await _client.GetFromJsonAsync<JsonElement>("/api/v1/trials?antigen=HER2", TestContext.Current.CancellationToken);
        Assert.Equal(1, search.GetProperty("trials").GetArrayLength());
        Assert.Equal(1, await _app.CountAsync("SELECT count(*) FROM audit_entries WHERE action = 'restore' AND target = 'NCT06101082' AND details = 'withdrawn by mistake'"));
        // The change feed shows it (it may lag while another database's transaction is open on the shared server).
        var restored = false;
        for (var wait = DateTime.UtcNow.AddMinutes(3); !restored && DateTime.UtcNow < wait; await Task.Delay(250, TestContext.Current.CancellationToken))
        {
            var changes = await _client.GetFromJsonAsync<JsonElement>("/api/v1/changes?limit=1000", TestContext.Current.CancellationToken);
            restored = changes.GetProperty("changes").EnumerateArray().Any(c => c.GetProperty("registryId").GetString() == "NCT06101082" && c.GetProperty("change").GetString() == "RESTORED");
        }

        Assert.True(restored, "the change feed lists the restoration");
    }

    private static byte[] Study(string id, string status, string lastUpdated, string condition) => Encoding.UTF8.GetBytes($"""
        <clinical_study>
          <id_info><nct_id>{id}</nct_id></id_info>
          <brief_title>CD19 CAR-T cells for relapsed lymphoma</brief_title>
          <overall_status>{status}</overall_status>
          <last_update_posted>{lastUpdated}</last_update_posted>
          <phase>Phase 1</phase>
          <condition>{condition}</condition>
          <intervention><intervention_type>Biological</intervention_type><intervention_name>CD19 CAR-T cells</intervention_name></intervention>
        </clinical_study>
        """);

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null, bool admin = true)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (admin)
        {
            request.Headers.Add("X-Api-Key", _apiKey);
        }

        return await _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<JsonElement> Trial(string id) => await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{id}", TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_correction_is_a_version_naming_the_admin_survives_later_documents_and_can_be_released()
    {
        const string id = "NCT09999902";
        await StoreAndWait(("study-v1.xml", Study(id, "Recruiting", "January 5, 2025", "Lymphoma")));
        Assert.Equal("RECRUITING", (await Trial(id)).GetProperty("status").GetString());

        // Refused: no key, a field that is not one, a value that does not fit, no reason, no trial.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Put, $"/api/v1/trials/{id}/corrections/status", new { value = "COMPLETED", reason = "x" }, admin: false)).StatusCode);
        foreach (var (path, body, parameter) in new (string, object, string)[]
        {
            ($"/api/v1/trials/{id}/corrections/colour", new { value = "red", reason = "x" }, "field"),
            ($"/api/v1/trials/{id}/corrections/status", new { value = "SLEEPING", reason = "x" }, "value"),
            ($"/api/v1/trials/{id}/corrections/enrollment", new { value = "many", reason = "x" }, "value"),
            ($"/api/v1/trials/{id}/corrections/status", new { value = "COMPLETED" }, "reason"),
            ($"/api/v1/trials/{id}/corrections/status", new { reason = "no value given" }, "value"),
        })
        {
            var refused = await Send(HttpMethod.Put, path, body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"{path}: {problem}");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Put, "/api/v1/trials/NCT00000404/corrections/status", new { value = "COMPLETED", reason = "x" })).StatusCode);
        var versionsBefore = await _app.CountAsync($"SELECT count(*) FROM trial_versions v JOIN trials t ON t.id = v.trial_id WHERE t.registry_id = '{id}'");
        Assert.Equal(1, versionsBefore);

        // The correction: a version of its own, the admin named, the value on the record and in search.
        var corrected = await Send(HttpMethod.Put, $"/api/v1/trials/{id}/corrections/status", new { value = "COMPLETED", reason = "The sponsor closed the trial in March" });
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var result = await corrected.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(2, result.GetProperty("version").GetInt32());
        Assert.Equal(["status"], result.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        var trial = await Trial(id);
        Assert.Equal("COMPLETED", trial.GetProperty("status").GetString());
        var correction = trial.GetProperty("corrections").EnumerateArray().Single();
        Assert.Equal("status", correction.GetProperty("field").GetString());
        Assert.Equal("COMPLETED", correction.GetProperty("value").GetString());
        Assert.Equal("admin", correction.GetProperty("correctedBy").GetString());
        Assert.False(trial.GetProperty("fieldSources").TryGetProperty("status", out _));
        var history = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{id}/versions", TestContext.Current.CancellationToken);
        Assert.Equal("admin", history[0].GetProperty("actor").GetString());
        Assert.Contains("The sponsor closed the trial in March", history[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, history[1].GetProperty("actor").ValueKind);
        Assert.Contains(id, await _client.GetStringAsync("/api/v1/trials?status=COMPLETED&antigen=CD19", TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(1, await _app.CountAsync($"SELECT count(*) FROM audit_entries WHERE actor = 'admin' AND action = 'correct' AND target = '{id}' AND details::jsonb->>'via' = 'api'"));

        // A wrong value removed: a source that states a condition cannot bring it back while the correction stands.
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, $"/api/v1/trials/{id}/corrections/conditions", new { value = (string?)null, reason = "Not a condition of this trial" })).StatusCode);
        Assert.Empty((await Trial(id)).GetProperty("conditions").EnumerateArray());

        // A newer document says RECRUITING and names a condition: both corrections are kept, and the batch says so.
        var later = await StoreAndWait(("study-v2.xml", Study(id, "Recruiting", "June 1, 2025", "Diffuse Large B-Cell Lymphoma")));
        var record = later.GetProperty("uploads")[0].GetProperty("result").GetProperty("records")[0];
        Assert.Equal(["conditions", "status"], record.GetProperty("keptCorrections").EnumerateArray().Select(f => f.GetString()!).Order());
        trial = await Trial(id);
        Assert.Equal("COMPLETED", trial.GetProperty("status").GetString());
        Assert.Empty(trial.GetProperty("conditions").EnumerateArray());

        // Released: the sources' values come back (the newest document's status), as a version naming the admin.
        var released = await Send(HttpMethod.Delete, $"/api/v1/trials/{id}/corrections/status?reason=confirmed+with+the+sponsor");
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal("RECRUITING", (await Trial(id)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Delete, $"/api/v1/trials/{id}/corrections/status")).StatusCode);
        history = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{id}/versions", TestContext.Current.CancellationToken);
        Assert.Equal("admin", history[0].GetProperty("actor").GetString());
        Assert.Contains("released", history[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(["conditions"], (await Trial(id)).GetProperty("corrections").EnumerateArray().Select(c => c.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Anyone_can_report_a_wrong_value_and_admins_resolve_the_reports()
    {
        const string id = "NCT09999903";
        await StoreAndWait(("study-flag.xml", Study(id, "Recruiting", "January 5, 2025", "Lymphoma")));
        var filed = await Send(HttpMethod.Post, $"/api/v1/trials/{id}/flags", new { field = "status", message = "This trial closed last month." }, admin: false);
        Assert.Equal(HttpStatusCode.Accepted, filed.StatusCode);
        var flagId = (await filed.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, $"/api/v1/trials/{id}/flags", new { field = "colour", message = "x" }, admin: false)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, $"/api/v1/trials/{id}/flags", new { field = "status", message = "" }, admin: false)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Post, "/api/v1/trials/NCT00000404/flags", new { field = "status", message = "x" }, admin: false)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/api/v1/flags", admin: false)).StatusCode);
        var open = await (await Send(HttpMethod.Get, "/api/v1/flags")).Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var flag = open.EnumerateArray().Single(f => f.GetProperty("id").GetInt64() == flagId);
        Assert.Equal(id, flag.GetProperty("registryId").GetString());
        Assert.Equal("This trial closed last month.", flag.GetProperty("message").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Post, $"/api/v1/flags/{flagId}/resolve", new { resolution = "Status corrected" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Post, $"/api/v1/flags/{flagId}/resolve", new { resolution = "again" })).StatusCode);
        open = await (await Send(HttpMethod.Get, "/api/v1/flags")).Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(open.EnumerateArray(), f => f.GetProperty("id").GetInt64() == flagId);
        var resolved = await (await Send(HttpMethod.Get, "/api/v1/flags?open=false")).Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("admin", resolved.EnumerateArray().Single(f => f.GetProperty("id").GetInt64() == flagId).GetProperty("resolvedBy").GetString());
        Assert.Equal(1, await _app.CountAsync($"SELECT count(*) FROM audit_entries WHERE action = 'resolve-flag' AND target = '{id}'"));
    }

    [Fact]
    public async Task Stored_documents_are_read_again_with_todays_parser_previewed_first_then_applied()
    {
        // As an older parser left them: one document read without its target antigen, one not read at all.
        const string read = "NCT09999905", unread = "NCT09999906";
        await StoreAndWait(("older-reading.xml", Study(read, "Recruiting", "January 5, 2025", "Lymphoma")));
        var unreadText = Encoding.UTF8.GetString(Study(unread, "Completed", "March 1, 2024", "Myeloma")).Replace("'", "''", StringComparison.Ordinal);
        var sha = new string('e', 64);
        await _app.ExecuteAsync($$"""
            UPDATE trial_documents SET record = jsonb_set(record, '{targetAntigens}', '[]') WHERE trial_id = (SELECT id FROM trials WHERE registry_id = '{{read}}');
            UPDATE trial_versions SET snapshot = jsonb_set(snapshot, '{targetAntigens}', '[]') WHERE trial_id = (SELECT id FROM trials WHERE registry_id = '{{read}}');
            DELETE FROM trial_target_antigens WHERE trial_id = (SELECT id FROM trials WHERE registry_id = '{{read}}');
            UPDATE trials SET content_hash = 'as-read-before' WHERE registry_id = '{{read}}';
            INSERT INTO source_documents (sha256, file_name, format, encoding, raw_text, error, record_count, received_at)
            VALUES ('{{sha}}', 'unreadable-then.xml', 'unknown', 'utf-8', '{{unreadText}}', 'no reader recognised the layout', 0, now());
            """);
        Assert.DoesNotContain(read, await _client.GetStringAsync("/api/v1/trials?antigen=CD19&pageSize=1000", TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // Refused: no key, a format that is not one.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Post, "/api/v1/documents/reread", new { apply = false }, admin: false)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, "/api/v1/documents/reread", new { format = "pdf", apply = false })).StatusCode);

        // The preview says what would change and changes nothing.
        var versions = await _app.CountAsync("SELECT count(*) FROM trial_versions");
        var preview = await (await Send(HttpMethod.Post, "/api/v1/documents/reread", new { apply = false })).Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.False(preview.GetProperty("applied").GetBoolean());
        var changed = preview.GetProperty("changedDocuments").EnumerateArray().ToList();
        var older = changed.Single(d => d.GetProperty("fileName").GetString() == "older-reading.xml");
        Assert.Equal(["targetAntigens"], older.GetProperty("records")[0].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        var unreadable = changed.Single(d => d.GetProperty("fileName").GetString() == "unreadable-then.xml");
        Assert.Equal("unknown", unreadable.GetProperty("formatBefore").GetString());
        Assert.Equal("ctgov-xml", unreadable.GetProperty("formatNow").GetString());
        Assert.Equal("New", unreadable.GetProperty("records")[0].GetProperty("outcome").GetString());
        Assert.Equal(versions, await _app.CountAsync("SELECT count(*) FROM trial_versions"));
        Assert.Equal(0, await _app.CountAsync($"SELECT count(*) FROM trials WHERE registry_id = '{unread}'"));

        // Applied: the antigen is back as a version naming the admin, the unreadable document is a trial now.
        var applied = await (await Send(HttpMethod.Post, "/api/v1/documents/reread", new { apply = true })).Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(applied.GetProperty("applied").GetBoolean());
        Assert.Equal(preview.GetProperty("changed").GetInt32(), applied.GetProperty("changed").GetInt32());
        var history = await _client.GetFromJsonAsync<JsonElement>($"/api/v1/trials/{read}/versions", TestContext.Current.CancellationToken);
        Assert.Equal("admin", history[0].GetProperty("actor").GetString());
        Assert.Equal(["targetAntigens"], history[0].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains(read, await _client.GetStringAsync("/api/v1/trials?antigen=CD19&pageSize=1000", TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal("COMPLETED", (await Trial(unread)).GetProperty("status").GetString());
        Assert.Equal(1, await _app.CountAsync("SELECT count(*) FROM source_documents WHERE file_name = 'unreadable-then.xml' AND format = 'ctgov-xml' AND error IS NULL"));
        Assert.Equal(1, await _app.CountAsync("SELECT count(*) FROM audit_entries WHERE action = 'reread' AND actor = 'admin'"));

        // Read again: nothing left to change.
        var again = await (await Send(HttpMethod.Post, "/api/v1/documents/reread", new { apply = false })).Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(0, again.GetProperty("changed").GetInt32());
        Assert.True(again.GetProperty("documents").GetInt32() >= 2);
    }

    [Fact]
    public async Task A_title_written_as_a_spreadsheet_formula_is_exported_as_text()
    {
        const string formula = "=HYPERLINK(\"http://evil.example/x\",\"CD19 CAR-T\")";
        var xml = $"""
            <clinical_study>
              <id_info><nct_id>NCT09999901</nct_id></id_info>
              <brief_title>{System.Security.SecurityElement.Escape(formula)}</brief_title>
              <overall_status>Recruiting</overall_status>
              <phase>Phase 1</phase>
              <condition>@SUM(1+1) lymphoma</condition>
              <intervention><intervention_type>Biological</intervention_type><intervention_name>CD19 CAR-T cells</intervention_name></intervention>
            </clinical_study>
            """;
        await StoreAndWait(("formula.xml", Encoding.UTF8.GetBytes(xml)));

        var csv = await _client.GetStringAsync("/api/v1/trials?q=HYPERLINK&format=csv", TestContext.Current.CancellationToken);
        using var reader = new CsvHelper.CsvReader(new StringReader(csv), System.Globalization.CultureInfo.InvariantCulture);
        await reader.ReadAsync();
        reader.ReadHeader();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("NCT09999901", reader.GetField("registryId"));
        // What a spreadsheet shows as text: the formula behind an apostrophe, never a live cell.
        Assert.Equal("'" + formula, reader.GetField("title"));
        Assert.Equal("'@SUM(1+1) lymphoma", reader.GetField("conditions"));
    }

    /// <summary>A stream of <paramref name="length"/> letters, produced as read (no 250 MB buffer in the test); its length is known, as a file's is.</summary>
    private sealed class Letters(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => _position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)'a');
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task An_upload_over_the_request_limit_is_a_413_problem_before_its_body_is_sent()
    {
        // 250 MB, announced with its length and Expect: 100-continue as curl sends a large file: the API refuses it
        // from the length, so the body is never sent.
        var form = new MultipartFormDataContent { { new StreamContent(new Letters(250L * 1024 * 1024)), "file", "huge.txt" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents") { Content = form };
        request.Headers.Add("X-Api-Key", _apiKey);
        request.Headers.ExpectContinue = true;
        var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("100 MB", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
