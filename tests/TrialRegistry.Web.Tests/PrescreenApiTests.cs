using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TrialRegistry.Data.Store;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>POST /api/v1/prescreen over real HTTP, on the seeds and three labelled trial documents with criteria.</summary>
public sealed class PrescreenApiTests(PostgresServer server) : IAsyncLifetime
{
    private RegistryApp _app = null!;
    private HttpClient _client = null!;
    private readonly KeptEvents _events = new();

    /// <summary>Every event the app logs, at every level: the app's Serilog logger writes to the sinks in its services.</summary>
    private sealed class KeptEvents : Serilog.Core.ILogEventSink
    {
        public System.Collections.Concurrent.ConcurrentQueue<Serilog.Events.LogEvent> Events { get; } = new();

        public void Emit(Serilog.Events.LogEvent logEvent) => Events.Enqueue(logEvent);

        public string AllText() => string.Join("\n", Events.Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture) + " " + string.Join(" ", e.Properties.Select(p => p.Value.ToString())) + " " + e.Exception));
    }

    public async ValueTask InitializeAsync()
    {
        _app = await new RegistryApp(server, SharedPaths.Seeds, new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Verbose" })
        {
            TestServices = services => services.AddSingleton<Serilog.Core.ILogEventSink>(_events),
        }.StartAsync();
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<DocumentImporter>();
            foreach (var name in new[] { "dA_03_aactcsv.txt", "dA_05_chictr.txt", "dA_04_aactcsv.txt" })
            {
                await importer.ImportFileAsync(Path.Combine(SharedPaths.Corpus, "labelled", "docs", name), TestContext.Current.CancellationToken);
            }
        }

        _client = _app.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private static readonly string[] AnyStatus = ["RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING", "SUSPENDED", "COMPLETED", "TERMINATED", "WITHDRAWN", "UNKNOWN"];

    private async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(object request)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/prescreen", request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response, JsonDocument.Parse(body).RootElement);
    }

    [Fact]
    public async Task Near_a_place_each_trial_comes_with_its_nearest_site_and_distance()
    {
        // A ClinicalTrials.gov record whose one site is geocoded (Charleston, South Carolina: 32.77657, -79.93092).
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DocumentImporter>()
                .ImportFileAsync(Path.Combine(SharedPaths.Corpus, "ctgov-json", "NCT03418623.json"), TestContext.Current.CancellationToken);
        }

        var (response, body) = await PostAsync(new { patient = new { age = 40 }, filters = new { status = AnyStatus, near = "32.8,-79.9", distanceKm = 50 } });
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var trial = Assert.Single(body.GetProperty("trials").EnumerateArray()).GetProperty("trial");
        Assert.Equal("NCT03418623", trial.GetProperty("registryId").GetString());
        var site = trial.GetProperty("nearestSite");
        Assert.Equal("Charleston", site.GetProperty("city").GetString());
        Assert.InRange(site.GetProperty("distanceKm").GetDouble(), 1, 5);
    }

    [Fact]
    public async Task A_myeloma_patient_gets_the_myeloma_trials_ranked_with_every_check_quoting_its_criterion()
    {
        var (response, body) = await PostAsync(new
        {
            patient = new { age = 64, sex = "MALE", diagnosis = "multiple myeloma", ecog = 1, priorLines = 4, priorCarT = false, priorAntigenTherapies = new[] { "BCMA" }, labs = new Dictionary<string, double> { ["platelets"] = 60 } },
            filters = new { status = AnyStatus },
        });
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        // The diagnosis is the condition filter: the myeloma trial with a status, not the lymphoma one (nor the
        // ChiCTR myeloma trial, whose registry page states no status for a status filter to match).
        var trials = body.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(1, body.GetProperty("candidates").GetInt32());
        Assert.Equal(["NCT03548207"], trials.Select(t => t.GetProperty("trial").GetProperty("registryId").GetString()));
        foreach (var trial in trials)
        {
            var checks = trial.GetProperty("checks").EnumerateArray().ToList();
            Assert.NotEmpty(checks);
            Assert.All(checks, c =>
            {
                Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("criterion").GetString()));
                Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("requirement").GetString()));
            });
            Assert.Equal(trial.GetProperty("notMet").GetInt32(), checks.Count(c => c.GetProperty("outcome").GetString() == "NOT_MET"));

            // ECOG 1 meets an ECOG limit; the patient's untold facts (ANC, HIV, …) are never met.
            Assert.All(checks.Where(c => c.GetProperty("kind").GetString() == "ecog"), c => Assert.Equal("MET", c.GetProperty("outcome").GetString()));
            Assert.All(checks.Where(c => c.GetProperty("requirement").GetString()!.StartsWith("Absolute neutrophil", StringComparison.Ordinal)), c => Assert.Equal("UNKNOWN", c.GetProperty("outcome").GetString()));
            Assert.Equal(trial.GetProperty("toConfirm").GetArrayLength(), checks.Where(c => c.GetProperty("outcome").GetString() == "UNKNOWN").Select(c => c.GetProperty("requirement").GetString()).Distinct().Count());
        }

        // The patient's prior BCMA-directed therapy is what a trial excluding it turns down.
        var priorBcma = trials.SelectMany(t => t.GetProperty("checks").EnumerateArray()).Where(c => c.GetProperty("requirement").GetString()!.StartsWith("Prior BCMA", StringComparison.Ordinal) && !c.GetProperty("conditional").GetBoolean()).ToList();
        var excluded = priorBcma.Where(c => c.GetProperty("requirement").GetString()!.EndsWith("excluded", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(excluded);
        Assert.All(excluded, c => Assert.Equal("NOT_MET", c.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Without_a_diagnosis_every_trial_is_ranked_fewest_not_met_first_then_most_met()
    {
        var (_, body) = await PostAsync(new
        {
            patient = new { age = 64, sex = "MALE", ecog = 1, priorLines = 4, priorCarT = false, hiv = false, hbv = false, hcv = false, labs = new Dictionary<string, double> { ["platelets"] = 60, ["anc"] = 2.0 } },
            filters = new { status = AnyStatus },
            results = 100,
        });
        var trials = body.GetProperty("trials").EnumerateArray().ToList();
        Assert.True(trials.Count >= 4, body.ToString());
        var keys = trials.Select(t => (NotMet: t.GetProperty("notMet").GetInt32(), Met: -t.GetProperty("met").GetInt32(), Unknown: t.GetProperty("unknown").GetInt32())).ToList();
        Assert.Equal(keys.Order(), keys);
        Assert.Contains(keys, k => k.NotMet > 0);
        Assert.Contains(keys, k => k.Met < 0);
    }

    [Fact]
    public async Task The_same_trials_answer_unknown_when_the_profile_says_nothing_and_recruiting_is_the_default()
    {
        var (_, empty) = await PostAsync(new { patient = new { diagnosis = "multiple myeloma" }, filters = new { status = AnyStatus } });
        var checks = empty.GetProperty("trials").EnumerateArray().SelectMany(t => t.GetProperty("checks").EnumerateArray()).ToList();
        Assert.NotEmpty(checks);
        Assert.DoesNotContain(checks, c => c.GetProperty("outcome").GetString() == "NOT_MET");

        // Without a status filter only recruiting trials are candidates (no myeloma trial here recruits).
        var (_, recruiting) = await PostAsync(new { patient = new { diagnosis = "multiple myeloma" } });
        Assert.Equal(0, recruiting.GetProperty("candidates").GetInt32());
    }

    [Fact]
    public async Task The_profile_is_neither_logged_nor_stored()
    {
        long Version() => _app.Services.GetRequiredService<TrialRegistry.Data.Search.FacetIndex>().ChangeVersionAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        var before = Version();
        var eventsBefore = _events.Events.Count;
        var (ok, _) = await PostAsync(new { patient = new { age = 97, diagnosis = "zzyzx lymphoma", labs = new Dictionary<string, double> { ["platelets"] = 31.4159265 }, priorAntigenTherapies = new[] { "qwertyantigen" } }, filters = new { near = "Qwertyville" } });
        var (bad, _) = await PostAsync(new { patient = new { age = 98765, diagnosis = "zzyzx lymphoma", sex = "zzyzx" } });
        Assert.Equal(HttpStatusCode.BadRequest, ok.StatusCode); // the place cannot be located
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        // The app logged while it answered (the request lines, and at Verbose the queries it ran), and none of it holds
        // the profile. The request line is written as the response completes, which may be after the client read it.
        var logged = _events.AllText();
        bool RequestLogged() => _events.Events.Any(e => e.Properties.TryGetValue("RequestPath", out var path) && path.ToString() == "\"/api/v1/prescreen\""
            && e.Properties.TryGetValue("StatusCode", out var status) && status.ToString() == "400");
        for (var wait = 0; wait < 50 && !RequestLogged(); wait++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            logged = _events.AllText();
        }

        Assert.True(_events.Events.Count > eventsBefore, "nothing was logged while the profiles were matched: the capture proves nothing");
        Assert.True(RequestLogged(), "the request log has no line for the profile's POST");
        foreach (var fact in new[] { "zzyzx", "31.4159265", "qwertyantigen", "Qwertyville", "98765" })
        {
            Assert.DoesNotContain(fact, logged, StringComparison.OrdinalIgnoreCase);
        }

        // Nothing was written: the trials' change version is where it was, and no table holds the diagnosis.
        Assert.Equal(before, Version());
        await using var connection = new Npgsql.NpgsqlConnection(_app.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var tables = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand("SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("trials", tables);
        foreach (var table in tables)
        {
            await using var command = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM {table} t WHERE t::text ILIKE '%zzyzx%' OR t::text ILIKE '%qwertyantigen%'", connection);
            Assert.True((long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))! == 0, $"{table} holds the profile");
        }
    }

    [Theory]
    [InlineData("""{"patient":{"age":300}}""", "patient.age")]
    [InlineData("""{"patient":{"sex":"X"}}""", "patient.sex")]
    [InlineData("""{"patient":{"labs":{"cholesterol":4}}}""", "patient.labs")]
    [InlineData("""{"patient":{"ecog":7}}""", "patient.ecog")]
    [InlineData("""{"filters":{"status":["OPEN"]}}""", "filters.status")]
    [InlineData("""{"results":0}""", "results")]
    [InlineData("""{"filters":{"near":"Nowhereville Qq"}}""", "filters.near")]
    [InlineData("""{"filters":{"country":["France",null]}}""", "filters.country")]
    [InlineData("""{"filters":{"phase":[null]}}""", "filters.phase")]
    [InlineData("""{"patient":{"priorAntigenTherapies":[null]}}""", "patient.priorAntigenTherapies")]
    public async Task A_profile_that_cannot_be_read_is_a_problem_details_400_naming_the_field(string json, string field)
    {
        var response = await _client.PostAsync("/api/v1/prescreen", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }
}
