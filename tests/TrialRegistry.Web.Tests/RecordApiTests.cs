using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.DependencyInjection;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>Trial records, history, vocabularies, FHIR and the preview, over real HTTP.</summary>
[Collection(ApiCollection.Name)]
public sealed class RecordApiTests(ApiFixture api)
{
    private async Task<JsonElement> GetJson(string path)
    {
        var response = await api.Client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task A_trial_record_has_arms_doses_criteria_and_its_source_documents()
    {
        var t = await GetJson("/api/v1/trials/NCT07181720");
        Assert.Equal("NCT07181720", t.GetProperty("registryId").GetString());
        Assert.Equal(["Intravenous administration", "Intrapleural administration", "Intraperitoneal administration"],
            t.GetProperty("arms").EnumerateArray().Select(a => a.GetProperty("label").GetString()));
        var eligibility = t.GetProperty("eligibility");
        Assert.Equal(11, eligibility.GetProperty("inclusion").GetArrayLength());
        Assert.Equal(3, eligibility.GetProperty("inclusion")[3].GetProperty("subItems").GetArrayLength());
        Assert.Equal("CD70", t.GetProperty("targetAntigens")[0].GetProperty("symbol").GetString());
        var documents = t.GetProperty("sourceDocuments").EnumerateArray().Select(d => d.GetProperty("fileName").GetString()).ToList();
        Assert.Contains("oncology-car-t-trials.csv", documents);
        Assert.Contains(documents, d => d!.StartsWith("004_", StringComparison.Ordinal));
        Assert.True(t.GetProperty("fieldSources").TryGetProperty("title", out _));

        var doses = (await GetJson("/api/v1/trials/nct06586658")).GetProperty("arms")[0].GetProperty("doseLevels");
        Assert.Equal([3e6, 1e7, 2e7], doses.EnumerateArray().Select(d => d.GetProperty("value").GetDouble()));
    }

    [Fact]
    public async Task Etag_and_if_none_match_answer_304()
    {
        var first = await api.Client.GetAsync("/api/v1/trials/NCT06101082", TestContext.Current.CancellationToken);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/trials/NCT06101082");
        request.Headers.IfNoneMatch.Add(etag);
        var second = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        using var stale = new HttpRequestMessage(HttpMethod.Get, "/api/v1/trials/NCT06101082");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"v0-0000000000000000\""));
        Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(stale, TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/trials/NCT99999999")]
    [InlineData("/api/v1/trials/NCT99999999/versions")]
    [InlineData("/api/v1/trials/NCT99999999/fhir")]
    [InlineData("/api/v1/trials/NCT06101082/versions/99")]
    [InlineData("/api/v1/trials/%3Cscript%3E")]
    public async Task An_unknown_id_is_404_problem_details(string path)
    {
        var response = await api.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Versions_list_the_history_with_sources_and_changed_fields()
    {
        // NCT06586658: the seed page first, then the CSV export's newer record.
        var versions = await GetJson("/api/v1/trials/NCT06586658/versions");
        Assert.Equal(2, versions.GetArrayLength());
        Assert.Equal(2, versions[0].GetProperty("version").GetInt32());
        Assert.Equal("oncology-car-t-trials.csv", versions[0].GetProperty("sourceFileName").GetString());
        Assert.Contains("status", versions[0].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.StartsWith("000_", versions[1].GetProperty("sourceFileName").GetString(), StringComparison.Ordinal);
        var v1 = await GetJson("/api/v1/trials/NCT06586658/versions/1");
        Assert.Equal("RECRUITING", v1.GetProperty("status").GetString());
        var current = await GetJson("/api/v1/trials/NCT06586658");
        Assert.Equal("SUSPENDED", current.GetProperty("status").GetString()); // the export, updated 2026-07-23, says so

        // A version is the record in the shape of the current one, as it stood then.
        Assert.Equal(current.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal), v1.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("CD70", v1.GetProperty("targetAntigens")[0].GetProperty("symbol").GetString());
        Assert.Equal(1, v1.GetProperty("version").GetInt32());

        // The export gives only countries: the seed page's site stays, and so do its criteria.
        Assert.Contains(current.GetProperty("locations").EnumerateArray(), l => l.GetProperty("facility").GetString() == "Changzheng hospital" && l.GetProperty("city").GetString() == "Shanghai");
        Assert.NotEmpty(current.GetProperty("eligibility").GetProperty("inclusion").EnumerateArray());
        // Each document's notes are its own: the export's "no eligibility criteria found" is not the trial's.
        Assert.Empty(current.GetProperty("warnings").EnumerateArray());
        Assert.Contains(current.GetProperty("sourceDocuments").EnumerateArray(),
            d => d.GetProperty("fileName").GetString() == "oncology-car-t-trials.csv" && d.GetProperty("warnings").EnumerateArray().Any()
                && d.GetProperty("warningDetails").EnumerateArray().Any(w => w.GetProperty("code").GetString() == "missing-field" && w.GetProperty("field").GetString() == "eligibility"));
        Assert.Equal("FULL", current.GetProperty("completeness").GetString());
    }

    [Fact]
    public async Task Fhir_export_is_a_research_study_the_hl7_parser_reads()
    {
        var response = await api.Client.GetAsync("/api/v1/trials/NCT06586658/fhir", TestContext.Current.CancellationToken);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        // Firely's System.Text.Json deserializer, which validates as it reads.
        var study = JsonSerializer.Deserialize<ResearchStudy>(
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), new JsonSerializerOptions().ForFhir())!;
        Assert.Equal("NCT06586658", study.Identifier.Single(i => i.System == "http://clinicaltrials.gov").Value);
        Assert.Contains(study.Identifier, i => i.Value == "CD70-CN-A5");
        Assert.Equal("early-phase-1", study.Phase!.Coding.Single().Code);
        Assert.Equal(ResearchStudy.ResearchStudyStatus.TemporarilyClosedToAccrual, study.Status);
        Assert.Equal("CD70", ((CodeableConcept)study.GetExtension("https://trialregistry.example.org/fhir/StructureDefinition/target-antigen")!.Value!).Coding[0].Code);
        var arm = Assert.Single(study.Arm);
        var doses = arm.Extension.Where(e => e.Url!.EndsWith("dose-level", StringComparison.Ordinal)).ToList();
        Assert.Equal([3e6m, 1e7m, 2e7m], doses.Select(d => ((Quantity)d.GetExtension("value")!.Value!).Value));
        Assert.Contains(arm.Extension, e => e.Url!.EndsWith("/route", StringComparison.Ordinal) && ((CodeableConcept)e.Value!).Coding[0].Code == "INTRAVENOUS");
        Assert.Contains("Renal Cell Carcinoma", study.Condition.Select(c => c.Text));
    }

    [Fact]
    public async Task Antigens_and_conditions_come_with_trial_counts()
    {
        var antigens = await GetJson("/api/v1/antigens");
        var her2 = antigens.EnumerateArray().Single(a => a.GetProperty("symbol").GetString() == "HER2");
        Assert.Contains("ERBB2", her2.GetProperty("synonyms").EnumerateArray().Select(s => s.GetString()));
        var search = await GetJson("/api/v1/trials?antigen=HER2&countTotal=true&pageSize=1");
        Assert.Equal(search.GetProperty("totalCount").GetInt32(), her2.GetProperty("trialCount").GetInt32());

        var conditions = await GetJson("/api/v1/conditions?q=renal%20cell&limit=5");
        Assert.InRange(conditions.GetArrayLength(), 1, 5);
        Assert.All(conditions.EnumerateArray(), c => Assert.Contains("renal cell", c.GetProperty("name").GetString(), StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Client.GetAsync("/api/v1/conditions?limit=zero", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task A_record_merged_into_its_registered_trial_redirects_there()
    {
        // A press note with only the trial's title is stored on its own (a title alone is not proof); an admin then
        // merges it into the registered trial, as the dedupe step does.
        const string registered = "NCT02640209";
        using var first = await api.Client.GetAsync($"/api/v1/trials/{registered}", TestContext.Current.CancellationToken);
        var etagBefore = first.Headers.ETag!;
        var title = JsonDocument.Parse(await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("title").GetString()!;
        var decoded = DocumentDecoder.FromString($"Press note: {title}", "press-note.txt");
        var note = new TrialRecord { Source = new SourceInfo("press-note.txt", "prose", decoded.Sha256), RegistryId = "TR-0A1B2C3D4E", Title = title };
        await using (var scope = api.App.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<TrialStore>();
            var stored = await store.ImportAsync(new ParsedDocument(decoded, "prose", [note], null), TestContext.Current.CancellationToken);
            Assert.Equal("TR-0A1B2C3D4E", Assert.Single(stored.Records).RegistryId);
            Assert.Equal(registered, (await store.MergeIntoAsync("TR-0A1B2C3D4E", registered, TestContext.Current.CancellationToken))?.RegistryId);
        }

        using var raw = api.App.CreateRawClient();
        using var response = await raw.GetAsync("/api/v1/trials/TR-0A1B2C3D4E", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal($"/api/v1/trials/{registered}", response.Headers.Location?.OriginalString);
        using var page = await raw.GetAsync("/trials/TR-0A1B2C3D4E", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MovedPermanently, page.StatusCode);
        Assert.Equal($"/trials/{registered}", page.Headers.Location?.OriginalString);

        // The history of the copy says where it went; the registered trial lists the note among its documents.
        var versions = await GetJson("/api/v1/trials/TR-0A1B2C3D4E/versions");
        Assert.Contains("mergedInto", versions[0].GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        var trial = await GetJson($"/api/v1/trials/{registered}");
        Assert.Contains("press-note.txt", trial.GetProperty("sourceDocuments").EnumerateArray().Select(d => d.GetProperty("fileName").GetString()));
        Assert.Equal(title, trial.GetProperty("title").GetString());

        // The values did not change but the sources did: a copy kept with the old ETag is not current.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trials/{registered}");
        request.Headers.IfNoneMatch.Add(etagBefore);
        using var revalidated = await api.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, revalidated.StatusCode);
    }

    [Fact]
    public async Task Preview_parses_an_upload_and_stores_nothing()
    {
        var before = await api.App.CountAsync("SELECT count(*) FROM source_documents");
        using var form = new MultipartFormDataContent();
        var bytes = await File.ReadAllBytesAsync(SharedPaths.Seed("002"), TestContext.Current.CancellationToken);
        form.Add(new ByteArrayContent(bytes), "file", "002.txt");
        var response = await api.Client.PostAsync("/api/v1/documents/preview", form, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("NCT06101082", json.RootElement.GetProperty("registryId").GetString());
        Assert.Equal("002.txt", json.RootElement.GetProperty("source").GetProperty("fileName").GetString());
        Assert.Equal(["HER2"], json.RootElement.GetProperty("targetAntigens").EnumerateArray().Select(a => a.GetString()));

        var raw = await api.Client.PostAsync("/api/v1/documents/preview?fileName=004.txt",
            new ByteArrayContent(await File.ReadAllBytesAsync(SharedPaths.Seed("004"), TestContext.Current.CancellationToken)), TestContext.Current.CancellationToken);
        using var rawJson = JsonDocument.Parse(await raw.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("editorial-page", rawJson.RootElement.GetProperty("source").GetProperty("format").GetString());

        var unknown = await api.Client.PostAsync("/api/v1/documents/preview", new StringContent("hello world", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);
        using var unknownJson = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("unknown", unknownJson.RootElement.GetProperty("source").GetProperty("format").GetString());
        Assert.NotEqual(0, unknownJson.RootElement.GetProperty("warnings").GetArrayLength());

        Assert.Equal(before, await api.App.CountAsync("SELECT count(*) FROM source_documents"));
    }

    [Fact]
    public async Task Preview_refuses_empty_and_oversized_documents_with_problem_details()
    {
        var empty = await api.Client.PostAsync("/api/v1/documents/preview", new ByteArrayContent([]), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType?.MediaType);

        var huge = new ByteArrayContent(new byte[11 * 1024 * 1024]);
        var tooLarge = await api.Client.PostAsync("/api/v1/documents/preview", huge, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Swagger_documents_every_endpoint_and_parameter()
    {
        var doc = await GetJson("/swagger/v1/swagger.json");
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/trials", "/api/v1/trials/{id}", "/api/v1/trials/{id}/versions", "/api/v1/trials/{id}/fhir", "/api/v1/antigens", "/api/v1/conditions", "/api/v1/documents/preview" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var parameters = paths.GetProperty("/api/v1/trials").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p);
        foreach (var name in new[] { "antigen", "phase", "status", "condition", "doseMin", "doseMax", "doseUnit", "route", "country", "sex", "age", "q", "sort", "pageSize", "pageToken", "countTotal", "facets", "format" })
        {
            Assert.True(parameters.ContainsKey(name), name);
        }

        Assert.Contains("EARLY_PHASE1", parameters["phase"].GetProperty("description").GetString(), StringComparison.Ordinal);

        // Every search parameter the API reads is documented, with its real type: a generated client is typed.
        Assert.Equal(TrialRegistry.Web.Api.TrialSearchRequest.ParameterNames.Order(StringComparer.Ordinal), parameters.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("integer", parameters["pageSize"].GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal(1000, parameters["pageSize"].GetProperty("schema").GetProperty("maximum").GetInt32());
        Assert.Equal("boolean", parameters["facets"].GetProperty("schema").GetProperty("type").GetString());
        Assert.Contains("PHASE1", parameters["phase"].GetProperty("schema").GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("csv", parameters["format"].GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));

        // The search's 200 is JSON with a schema, or CSV; the record declares its ETag, 304 and 404.
        var ok = paths.GetProperty("/api/v1/trials").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.EndsWith("/TrialSearchResponse", ok.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString(), StringComparison.Ordinal);
        Assert.True(ok.GetProperty("content").TryGetProperty("text/csv", out _));
        Assert.True(ok.GetProperty("headers").TryGetProperty("X-Next-Page-Token", out _));
        var record = paths.GetProperty("/api/v1/trials/{id}").GetProperty("get").GetProperty("responses");
        Assert.True(record.GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
        Assert.True(record.TryGetProperty("304", out _));
        Assert.True(record.TryGetProperty("404", out _));
        Assert.True(paths.GetProperty("/api/v1/trials/{id}/fhir").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/fhir+json", out _));
        Assert.True(paths.GetProperty("/api/v1/documents/preview").GetProperty("post").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").TryGetProperty("oneOf", out _));

        // Writes say they need the admin key; what the code never leaves null is required and not nullable.
        Assert.True(doc.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("ApiKey", out _));
        Assert.True(paths.GetProperty("/api/v1/documents").GetProperty("post").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/api/v1/trials").GetProperty("get").TryGetProperty("security", out _));
        var summary = doc.GetProperty("components").GetProperty("schemas").GetProperty("TrialSummary");
        Assert.Contains("registryId", summary.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.False(summary.GetProperty("properties").GetProperty("registryId").TryGetProperty("nullable", out var nullable) && nullable.GetBoolean());
    }
}
