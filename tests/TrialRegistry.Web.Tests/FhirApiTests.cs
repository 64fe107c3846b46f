using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using TrialRegistry.Testing;
using Task = System.Threading.Tasks.Task;

namespace TrialRegistry.Web.Tests;

/// <summary>
/// The FHIR endpoints driven as a FHIR tool would: Firely's FhirClient reads and searches (following the Bundle's
/// next links), and a Bulk Data client kicks off an export, polls its status and downloads the file. What comes
/// back must be the same trials the registry's own API gives, and valid R4.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FhirApiTests(ApiFixture api)
{
    private static readonly JsonSerializerOptions FhirJson = new JsonSerializerOptions().ForFhir();

    private FhirClient Client() => new(new Uri(api.Client.BaseAddress!, "/api/v1/fhir").ToString(), api.Client,
        new FhirClientSettings { PreferredFormat = ResourceFormat.Json });

    [Fact]
    public async Task A_fhir_client_searches_page_by_page_and_finds_the_trials_the_api_finds()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var client = Client();
        var found = new List<string>();
        var problems = new List<string>();
        var bundle = await client.SearchAsync<ResearchStudy>(["antigen=CD19", "status=RECRUITING", "pageSize=7", "countTotal=true"], ct: cancellation);
        var total = bundle!.Total;
        var pages = 0;
        while (bundle is not null)
        {
            Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
            foreach (var entry in bundle.Entry)
            {
                var study = Assert.IsType<ResearchStudy>(entry.Resource);
                Assert.Equal(new Uri(api.Client.BaseAddress!, $"/api/v1/fhir/ResearchStudy/{study.Id}").ToString(), entry.FullUrl);
                Assert.Equal(Bundle.SearchEntryMode.Match, entry.Search?.Mode);
                Assert.Contains(study.Keyword, k => k.Coding.Any(c => c.Code == "CD19"));
                Assert.Equal(ResearchStudy.ResearchStudyStatus.Active, study.Status);
                problems.AddRange(FhirValidationTests.Errors(study).Select(e => $"{study.Id}: {e}"));
                found.Add(study.Id!);
            }

            pages++;
            bundle = await client.ContinueAsync(bundle, ct: cancellation);
        }

        // The same search through the registry's own API, page by page.
        var expected = new List<string>();
        for (string? token = null, first = "yes"; first is not null || token is not null; first = null)
        {
            var page = JsonDocument.Parse(await api.Client.GetStringAsync(
                "/api/v1/trials?antigen=CD19&status=RECRUITING&pageSize=50" + (token is null ? "" : "&pageToken=" + Uri.EscapeDataString(token)), cancellation)).RootElement;
            expected.AddRange(page.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("registryId").GetString()!));
            token = page.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
        }

        Assert.True(expected.Count > 7, $"{expected.Count} trials: too few to page");
        Assert.Equal(expected, found);
        Assert.Equal(expected.Count, total);
        Assert.Equal((expected.Count + 6) / 7, pages);
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));

        var read = await client.ReadAsync<ResearchStudy>("ResearchStudy/NCT06586658", ct: cancellation);
        Assert.Equal("NCT06586658", read!.Id);
        Assert.Contains(read.Identifier, i => i.System == "http://clinicaltrials.gov" && i.Value == "NCT06586658");
    }

    [Theory]
    [InlineData("format=csv", "format")]
    [InlineData("facets=true", "facets")]
    [InlineData("fields=title", "fields")]
    [InlineData("_count=5", "_count")]
    [InlineData("phase=PHASE9", "phase")]
    public async Task A_fhir_search_refuses_what_it_cannot_answer_naming_the_parameter(string query, string parameter)
    {
        using var response = await api.Client.GetAsync($"/api/v1/fhir/ResearchStudy?{query}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task A_bulk_export_kicks_off_reports_its_file_and_streams_every_current_trial()
    {
        var cancellation = TestContext.Current.CancellationToken;

        // Without Prefer: respond-async, or for a type the registry does not hold: 400.
        using (var plain = await api.Client.GetAsync("/api/v1/fhir/$export", cancellation))
        {
            Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await KickOffAsync("_type=Patient")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await KickOffAsync("_since=yesterday")).StatusCode);

        using var accepted = await KickOffAsync("_type=ResearchStudy");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var status = accepted.Content.Headers.ContentLocation ?? throw new InvalidOperationException("no Content-Location");

        var manifest = JsonDocument.Parse(await api.Client.GetStringAsync(status, cancellation)).RootElement;
        var transactionTime = manifest.GetProperty("transactionTime").GetDateTimeOffset();
        Assert.False(manifest.GetProperty("requiresAccessToken").GetBoolean());
        var output = Assert.Single(manifest.GetProperty("output").EnumerateArray());
        Assert.Equal("ResearchStudy", output.GetProperty("type").GetString());

        using var file = await api.Client.GetAsync(output.GetProperty("url").GetString(), HttpCompletionOption.ResponseHeadersRead, cancellation);
        Assert.Equal("application/fhir+ndjson", file.Content.Headers.ContentType?.MediaType);
        var lines = (await file.Content.ReadAsStringAsync(cancellation)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var studies = lines.Select(line => JsonSerializer.Deserialize<ResearchStudy>(line, FhirJson)!).ToList();

        // The same trials as the registry's NDJSON export, each once.
        var exported = (await api.Client.GetStringAsync("/api/v1/export", cancellation)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("registryId").GetString()!).ToList();
        Assert.True(exported.Count > 2000, $"{exported.Count} trials");
        Assert.Equal(exported.Order(StringComparer.Ordinal), studies.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Empty(studies.Take(200).SelectMany(s => FhirValidationTests.Errors(s)));

        // Chained by _since from the transactionTime: nothing has changed since, so the next export is empty.
        using var next = await KickOffAsync($"_since={Uri.EscapeDataString(transactionTime.ToString("O"))}");
        var nextManifest = JsonDocument.Parse(await api.Client.GetStringAsync(next.Content.Headers.ContentLocation, cancellation)).RootElement;
        var nextFile = await api.Client.GetStringAsync(nextManifest.GetProperty("output")[0].GetProperty("url").GetString(), cancellation);
        Assert.Equal("", nextFile);

        // A status URL the server did not make: 404 ProblemDetails, never a 500.
        using var forged = await api.Client.GetAsync("/api/v1/fhir/$export-status/eyJTaW5jZSI6IjE5NzAifQ", cancellation);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> KickOffAsync(string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/fhir/$export?{query}");
        request.Headers.Add("Prefer", "respond-async");
        request.Headers.Accept.ParseAdd("application/fhir+json");
        return await api.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
