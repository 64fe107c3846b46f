using System.Globalization;
using System.Net;
using System.Text.Json;

namespace TrialRegistry.Web.Tests;

/// <summary>GET /api/v1/trials over real HTTP, against the seeds and the CSV corpus in PostgreSQL.</summary>
[Collection(ApiCollection.Name)]
public sealed class SearchApiTests(ApiFixture api)
{
    private sealed record Dose(string Text, double Value, string Unit);

    private sealed record Trial(
        string RegistryId, string? Title, string? Status, string[] Phases, string[] TargetAntigens, string[] Conditions,
        string[] Routes, Dose[] DoseLevels, int? EnrollmentCount, string? StartDate, string? LastUpdated, string? Modality, string? ProductType);

    private sealed record Facet(string Value, int Count);

    private sealed record Facets(Facet[] Antigen, Facet[] Phase, Facet[] Status, Facet[] Condition, Facet[] Route, Facet[] Country, Facet[] Modality, Facet[] ProductType, Facet[] Category);

    private sealed record Page(Trial[] Trials, string? NextPageToken, int? TotalCount, Facets? Facets);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private async Task<Page> Search(string query)
    {
        var response = await api.Client.GetAsync("/api/v1/trials?" + query, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<Page>(body, Json)!;
    }

    [Fact]
    public async Task Registry_numbers_in_q_find_their_trials_and_antigen_spellings_read_as_the_symbol()
    {
        Assert.Equal(["NCT06586658"], (await Search("q=nct06586658&countTotal=true")).Trials.Select(t => t.RegistryId));
        var two = await Search("q=" + Uri.EscapeDataString("NCT06586658, NCT07181720") + "&countTotal=true");
        Assert.Equal(["NCT06586658", "NCT07181720"], two.Trials.Select(t => t.RegistryId).Order());
        Assert.Equal(2, two.TotalCount);
        Assert.Equal(0, (await Search("q=NCT00000001&countTotal=true")).TotalCount);

        // "HER-2" and "cd 19" are the symbols: the same trials, none of the IL-2 or GD-2 ones.
        foreach (var (typed, symbol) in new[] { ("HER-2", "HER2"), ("cd 19", "CD19"), ("CD-22", "CD22") })
        {
            var spelled = await All("q=" + Uri.EscapeDataString(typed));
            var bySymbol = await All("q=" + symbol);
            Assert.NotEmpty(spelled);
            Assert.Equal(bySymbol.Select(t => t.RegistryId).Order(), spelled.Select(t => t.RegistryId).Order());
        }
    }

    [Fact]
    public async Task The_kind_of_disease_filter_finds_the_trials_whose_conditions_are_of_that_kind()
    {
        var facets = (await Search("facets=true&countTotal=true&pageSize=1")).Facets!;
        foreach (var category in TrialRegistry.Ingestion.Extraction.DiseaseCategories.All)
        {
            var trials = await All("category=" + category.Name.ToLowerInvariant());
            Assert.NotEmpty(trials);
            Assert.All(trials, t => Assert.Contains(category.Name, TrialRegistry.Ingestion.Extraction.DiseaseCategories.Of(t.Conditions)));
            Assert.Equal(facets.Category.Single(f => f.Value == category.Name).Count, trials.Count);
        }

        // Blood cancers and solid tumours are most of the corpus; a trial may be both.
        var blood = await Search("category=HEMATOLOGIC_MALIGNANCY&countTotal=true&pageSize=1");
        var solid = await Search("category=SOLID_TUMOR&countTotal=true&pageSize=1");
        var either = await Search("category=HEMATOLOGIC_MALIGNANCY,SOLID_TUMOR&countTotal=true&pageSize=1");
        Assert.True(either.TotalCount <= blood.TotalCount + solid.TotalCount && either.TotalCount >= Math.Max(blood.TotalCount!.Value, solid.TotalCount!.Value));
    }

    /// <summary>Every trial of a query, page after page.</summary>
    private async Task<List<Trial>> All(string query, int pageSize = 200)
    {
        var trials = new List<Trial>();
        string? token = null;
        do
        {
            var page = await Search($"{query}&pageSize={pageSize}" + (token is null ? "" : "&pageToken=" + Uri.EscapeDataString(token)));
            trials.AddRange(page.Trials);
            token = page.NextPageToken;
        }
        while (token is not null);
        return trials;
    }

    [Fact]
    public async Task Search_by_antigen_symbol_or_synonym_in_any_case_finds_the_same_her2_trials()
    {
        var byId = (await All("antigen=HER2")).Select(t => t.RegistryId).Order().ToList();
        Assert.Contains("NCT06101082", byId);
        Assert.Equal(await api.App.CountAsync("SELECT count(*) FROM trial_target_antigens x JOIN target_antigens a ON a.id = x.target_antigen_id WHERE a.symbol = 'HER2' AND NOT EXISTS (SELECT 1 FROM trials t WHERE t.id = x.trial_id AND t.withdrawn)"), byId.Count);
        Assert.Equal(byId, (await All("antigen=ERBB2")).Select(t => t.RegistryId).Order());
        Assert.Equal(byId, (await All("antigen=her-2")).Select(t => t.RegistryId).Order());
        Assert.All(await All("antigen=her-2"), t => Assert.Contains("HER2", t.TargetAntigens));
    }

    [Fact]
    public async Task Modality_and_product_type_filter_what_the_trial_gives()
    {
        var carNk = await All("modality=CAR_NK");
        Assert.NotEmpty(carNk);
        Assert.All(carNk, t => Assert.Equal("CAR_NK", t.Modality));
        Assert.Equal(await api.App.CountAsync("SELECT count(*) FROM trials WHERE modality = 'CAR_NK' AND NOT withdrawn"), carNk.Count);

        // A bispecific or checkpoint-antibody trial is not a CAR-T trial, and has no CAR target.
        var noCells = await All("modality=NOT_CELL_THERAPY");
        Assert.NotEmpty(noCells);
        Assert.All(noCells, t => Assert.Empty(t.TargetAntigens));

        var page = await Search("modality=CAR_T,CAR_NK&productType=ALLOGENEIC&facets=true&countTotal=true");
        Assert.All(page.Trials, t => Assert.Equal("ALLOGENEIC", t.ProductType));
        Assert.Equal(page.TotalCount, page.Facets!.ProductType.Single(f => f.Value == "ALLOGENEIC").Count);
        Assert.Contains(page.Facets.Modality, f => f.Value == "CAR_NK" && f.Count > 0);
    }

    [Fact]
    public async Task Several_antigens_are_alternatives()
    {
        var cd70 = (await Search("antigen=CD70&countTotal=true")).TotalCount!.Value;
        var cd7 = (await Search("antigen=CD7&countTotal=true")).TotalCount!.Value;
        var both = await All("antigen=CD70,CD7");
        Assert.True(both.Count > Math.Max(cd70, cd7) && both.Count <= cd70 + cd7);
        Assert.All(both, t => Assert.True(t.TargetAntigens.Contains("CD70") || t.TargetAntigens.Contains("CD7")));
        Assert.Empty((await Search("antigen=NOT-AN-ANTIGEN")).Trials);
    }

    [Fact]
    public async Task Phase_status_route_and_country_filters_narrow_and_hold_for_every_result()
    {
        var phase = await All("phase=PHASE2&phase=PHASE3");
        Assert.NotEmpty(phase);
        Assert.All(phase, t => Assert.True(t.Phases.Contains("PHASE2") || t.Phases.Contains("PHASE3")));
        Assert.Equal(await api.App.CountAsync("SELECT count(*) FROM trials WHERE phases && ARRAY['PHASE2','PHASE3'] AND NOT withdrawn"), phase.Count);

        var status = await All("status=RECRUITING|NOT_YET_RECRUITING");
        Assert.All(status, t => Assert.Contains(t.Status, new[] { "RECRUITING", "NOT_YET_RECRUITING" }));
        Assert.Equal(await api.App.CountAsync("SELECT count(*) FROM trials WHERE status IN ('RECRUITING','NOT_YET_RECRUITING') AND NOT withdrawn"), status.Count);

        var route = await All("route=INTRAPERITONEAL");
        Assert.Contains(route, t => t.RegistryId == "NCT07181720");
        Assert.All(route, t => Assert.Contains("INTRAPERITONEAL", t.Routes));

        var france = (await Search("country=france&countTotal=true")).TotalCount;
        Assert.Equal(await api.App.CountAsync("SELECT count(DISTINCT l.trial_id) FROM locations l JOIN trials t ON t.id = l.trial_id WHERE l.country = 'France' AND NOT t.withdrawn"), (long)france!.Value);
    }

    [Fact]
    public async Task Condition_matches_part_of_a_name_in_any_case()
    {
        var renal = await All("condition=RENAL");
        Assert.Contains(renal, t => t.RegistryId == "NCT06586658");
        Assert.All(renal, t => Assert.Contains(t.Conditions, c => c.Contains("renal", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(await api.App.CountAsync("SELECT count(DISTINCT c.trial_id) FROM conditions c JOIN trials t ON t.id = c.trial_id WHERE c.name ILIKE '%renal%' AND NOT t.withdrawn"), renal.Count);
    }

    [Theory]
    [InlineData("1e6", "1e7")]
    [InlineData("1x10^6", "1x10^7")]
    [InlineData("1×10^6", "1×10^7")]
    [InlineData("1000000", "10000000")]
    [InlineData("1.0E+06", "1.0e7")]
    public async Task A_dose_range_in_every_notation_finds_the_same_trials(string min, string max)
    {
        var trials = await All($"doseMin={Uri.EscapeDataString(min)}&doseMax={Uri.EscapeDataString(max)}&doseUnit=CELLS_PER_KG");
        Assert.Equal(["NCT06101082", "NCT06586658"], trials.Select(t => t.RegistryId).Intersect(["NCT06101082", "NCT06586658"]).Order());
        Assert.All(trials, t => Assert.Contains(t.DoseLevels, d => d.Unit == "CELLS_PER_KG" && d.Value is >= 1e6 and <= 1e7));
        Assert.Equal(await api.App.CountAsync("SELECT count(DISTINCT d.trial_id) FROM dose_levels d JOIN trials t ON t.id = d.trial_id WHERE d.unit = 'CELLS_PER_KG' AND d.value BETWEEN 1e6 AND 1e7 AND NOT t.withdrawn"), trials.Count);
    }

    [Fact]
    public async Task The_integrators_question_her2_phase1_dose_between_1e6_and_1e7_per_kg()
    {
        var trials = await All("antigen=HER2&phase=PHASE1&doseMin=1%C3%9710%5E6&doseMax=1%C3%9710%5E7&doseUnit=CELLS_PER_KG");
        Assert.Contains(trials, t => t.RegistryId == "NCT06101082");
        Assert.All(trials, t =>
        {
            Assert.Contains("HER2", t.TargetAntigens);
            Assert.Contains("PHASE1", t.Phases);
            Assert.Contains(t.DoseLevels, d => d.Unit == "CELLS_PER_KG" && d.Value is >= 1e6 and <= 1e7);
        });
        // A dose range outside the seed's levels excludes it.
        Assert.DoesNotContain(await All("antigen=HER2&doseMin=2e7&doseUnit=CELLS_PER_KG"), t => t.RegistryId == "NCT06101082");
    }

    [Fact]
    public async Task Sex_and_age_admit_the_patient()
    {
        var child = await All("age=5&antigen=CD19");
        Assert.NotEmpty(child);
        Assert.DoesNotContain(child, t => t.RegistryId == "NCT06586658"); // 18 to 70
        var adult = await All("age=40&antigen=CD70");
        Assert.Contains(adult, t => t.RegistryId == "NCT06586658");
        Assert.DoesNotContain(await All("age=75&antigen=CD70"), t => t.RegistryId == "NCT06586658");
        var female = await All("sex=FEMALE");
        Assert.Equal(await api.App.CountAsync("SELECT count(*) FROM trials t LEFT JOIN eligibilities e ON e.trial_id = t.id WHERE (e.sex IS NULL OR e.sex IN ('ALL','FEMALE')) AND NOT t.withdrawn"), female.Count);
    }

    [Fact]
    public async Task Full_text_is_ranked_and_reaches_criteria_text()
    {
        var page = await Search("q=" + Uri.EscapeDataString("echocardiography LVSF") + "&countTotal=true");
        Assert.Contains(page.Trials, t => t.RegistryId.StartsWith("TR-", StringComparison.Ordinal)); // the title-less CD7 scrape, found by its criteria
        var ranked = await Search("q=" + Uri.EscapeDataString("CD70 renal cell carcinoma") + "&pageSize=5");
        Assert.Contains(ranked.Trials.Take(5), t => t.TargetAntigens.Contains("CD70"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sort=startDate")]
    [InlineData("sort=startDate:asc")]
    [InlineData("antigen=CD19&sort=lastUpdated:asc")]
    [InlineData("antigen=CD19&phase=PHASE1")]
    [InlineData("q=lymphoma&sort=relevance")]
    public async Task Paging_covers_every_result_once(string query)
    {
        var total = (await Search(query + "&countTotal=true&pageSize=1")).TotalCount!.Value;
        var trials = await All(query, pageSize: 97);
        Assert.Equal(total, trials.Count);
        Assert.Equal(trials.Count, trials.Select(t => t.RegistryId).Distinct().Count());
        if (query.Length == 0)
        {
            Assert.Equal(await api.App.CountAsync("SELECT count(*) FROM trials WHERE NOT withdrawn"), trials.Count);
            Assert.True(trials.Count >= 2274);
        }
    }

    [Theory]
    [InlineData("startDate", "start_date")]
    [InlineData("lastUpdated", "last_updated")]
    public async Task Dates_sort_either_way_with_undated_trials_last(string sort, string column)
    {
        var newest = await All($"antigen=CD19&sort={sort}", pageSize: 90);
        var oldest = await All($"antigen=CD19&sort={sort}:asc", pageSize: 90);
        string? Date(Trial t) => sort == "startDate" ? t.StartDate : t.LastUpdated;

        Assert.Equal(newest.Count, oldest.Count);
        Assert.Equal(newest.Select(t => t.RegistryId).Order(StringComparer.Ordinal), oldest.Select(t => t.RegistryId).Order(StringComparer.Ordinal));
        var dated = (int)await api.App.CountAsync($"SELECT count(*) FROM trials t WHERE NOT t.withdrawn AND t.{column} IS NOT NULL AND EXISTS (SELECT 1 FROM trial_target_antigens x JOIN target_antigens a ON a.id = x.target_antigen_id WHERE x.trial_id = t.id AND a.symbol = 'CD19')");
        Assert.True(dated > 100 && dated <= newest.Count);
        foreach (var listing in new[] { newest, oldest })
        {
            Assert.All(listing.Take(dated), t => Assert.NotNull(Date(t)));
            Assert.All(listing.Skip(dated), t => Assert.Null(Date(t)));
        }

        var newestDates = newest.Take(dated).Select(t => Date(t)!).ToList();
        var oldestDates = oldest.Take(dated).Select(t => Date(t)!).ToList();
        Assert.Equal(newestDates.OrderDescending(StringComparer.Ordinal), newestDates);
        Assert.Equal(oldestDates.Order(StringComparer.Ordinal), oldestDates);
        Assert.True(string.CompareOrdinal(oldestDates[0], newestDates[0]) < 0);

        // ClinicalTrials.gov's own spelling of the sort is understood and means the same.
        var ctgov = await Search("antigen=CD19&sort=LastUpdatePostDate:asc&pageSize=10");
        Assert.Equal((await Search("antigen=CD19&sort=lastUpdated:asc&pageSize=10")).Trials.Select(t => t.RegistryId), ctgov.Trials.Select(t => t.RegistryId));
    }

    [Fact]
    public async Task The_last_page_has_no_next_page_token()
    {
        var all = await Search("antigen=CD70&pageSize=1000");
        Assert.Null(all.NextPageToken);
        var first = await Search($"antigen=CD70&pageSize={all.Trials.Length - 1}");
        Assert.NotNull(first.NextPageToken);
        var last = await Search($"antigen=CD70&pageSize={all.Trials.Length - 1}&pageToken={Uri.EscapeDataString(first.NextPageToken!)}");
        Assert.Single(last.Trials);
        Assert.Null(last.NextPageToken);
    }

    [Fact]
    public async Task Facets_add_up_and_ignore_their_own_filter()
    {
        var page = await Search("antigen=CD19&facets=true&countTotal=true&pageSize=1");
        var total = page.TotalCount!.Value;
        var withoutStatus = await api.App.CountAsync("SELECT count(*) FROM trials t WHERE t.status IS NULL AND EXISTS (SELECT 1 FROM trial_target_antigens x JOIN target_antigens a ON a.id = x.target_antigen_id WHERE x.trial_id = t.id AND a.symbol = 'CD19')");
        Assert.Equal(total, page.Facets!.Status.Sum(f => f.Count) + withoutStatus);
        Assert.Equal(total, page.Facets.Antigen.Single(f => f.Value == "CD19").Count);
        foreach (var phase in page.Facets.Phase.Take(3))
        {
            Assert.Equal(phase.Count, (await Search($"antigen=CD19&phase={phase.Value}&countTotal=true&pageSize=1")).TotalCount);
        }

        // With a status filter, the status facet still counts the other statuses (for "any of" choices).
        var recruiting = await Search("antigen=CD19&status=RECRUITING&facets=true&countTotal=true&pageSize=1");
        Assert.Equal(recruiting.TotalCount, recruiting.Facets!.Status.Single(f => f.Value == "RECRUITING").Count);
        Assert.True(recruiting.Facets.Status.Length > 1);
        Assert.Equal(page.Facets.Status.Select(f => (f.Value, f.Count)), recruiting.Facets.Status.Select(f => (f.Value, f.Count)));
        var country = recruiting.Facets.Country.First();
        Assert.Equal(country.Count, (await Search($"antigen=CD19&status=RECRUITING&country={Uri.EscapeDataString(country.Value)}&countTotal=true&pageSize=1")).TotalCount);
    }

    [Fact]
    public async Task Csv_export_has_the_json_field_names_and_the_same_rows()
    {
        var json = await Search("antigen=CD70&pageSize=20");
        var response = await api.Client.GetAsync("/api/v1/trials?antigen=CD70&pageSize=20&format=csv", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("registryId,title,status,phases,targetAntigens,modality,productType,conditions,routes,doseLevels,enrollmentCount,startDate,lastUpdated,minAgeYears,maxAgeYears,sex,leadSponsor,products,countries", lines[0]);
        Assert.Equal(json.Trials.Select(t => t.RegistryId), lines.Skip(1).Select(l => l.Split(',')[0]));
        var seed = lines.Single(l => l.StartsWith("NCT06586658,", StringComparison.Ordinal));
        Assert.Contains("3000000 CELLS_PER_KG|10000000 CELLS_PER_KG|20000000 CELLS_PER_KG", seed, StringComparison.Ordinal);
        Assert.EndsWith(",18,70,ALL,Shanghai Changzheng Hospital,,China", seed, StringComparison.Ordinal);
        Assert.Equal(json.NextPageToken is null, !response.Headers.Contains("X-Next-Page-Token"));
    }

    [Theory]
    [InlineData("phase=PHASE9", "phase", "EARLY_PHASE1")]
    [InlineData("phase=1;DROP TABLE trials", "phase", "PHASE1")]
    [InlineData("status=OPEN", "status", "RECRUITING")]
    [InlineData("route=ORAL", "route", "INTRAVENOUS")]
    [InlineData("doseMin=lots", "doseMin", "3x10^6")]
    [InlineData("doseMin=-5", "doseMin", "3x10^6")]
    [InlineData("doseMin=1e7&doseMax=1e6", "doseMax", "below")]
    [InlineData("doseMax=1e999", "doseMax", "number of cells")]
    [InlineData("doseUnit=mg", "doseUnit", "CELLS_PER_KG")]
    [InlineData("sex=X", "sex", "FEMALE")]
    [InlineData("age=old", "age", "0 to 130")]
    [InlineData("age=-1", "age", "0 to 130")]
    [InlineData("age=99999999999999999999", "age", "0 to 130")]
    [InlineData("pageSize=0", "pageSize", "1 to 1000")]
    [InlineData("pageSize=1001", "pageSize", "1 to 1000")]
    [InlineData("pageSize=-3", "pageSize", "1 to 1000")]
    [InlineData("pageSize=ten", "pageSize", "1 to 1000")]
    [InlineData("sort=popularity", "sort", "lastUpdated")]
    [InlineData("countTotal=perhaps", "countTotal", "true")]
    [InlineData("facets=2", "facets", "true")]
    [InlineData("format=xml", "format", "csv")]
    [InlineData("modality=CAR", "modality", "CAR_T")]
    [InlineData("productType=donor", "productType", "ALLOGENEIC")]
    [InlineData("pageToken=not-a-token", "pageToken", "nextPageToken")]
    [InlineData("near=Atlantis", "near", "postal code")]
    [InlineData("category=cancer", "category", "SOLID_TUMOR")]
    [InlineData("near=Boston&distanceKm=0", "distanceKm", "kilometres")]
    [InlineData("sort=distance", "sort", "near")]
    [InlineData("sort=startDate:up", "sort", "startDate:asc")]
    [InlineData("sort=relevance:asc", "sort", "best match first")]
    [InlineData("sort=distance:desc&near=Boston", "sort", "nearest first")]
    [InlineData("sort=lastUpdated:asc:desc", "sort", "lastUpdated:asc")]
    public async Task Bad_parameters_get_a_problem_details_naming_the_parameter_and_allowed_values(string query, string parameter, string hint)
    {
        var response = await api.Client.GetAsync("/api/v1/trials?" + query, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(parameter, out var messages), $"errors: {errors}");
        Assert.Contains(hint, messages[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_token_of_another_query_is_refused()
    {
        var page = await Search("antigen=CD19&pageSize=5");
        var response = await api.Client.GetAsync($"/api/v1/trials?antigen=BCMA&pageSize=5&pageToken={Uri.EscapeDataString(page.NextPageToken!)}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("another query", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("q=%27%3B%20DROP%20TABLE%20trials%3B--")]
    [InlineData("q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("q=%26%7C%21%3A%2A%28%29")]
    [InlineData("condition=%25_%5C")]
    [InlineData("antigen=%27%20OR%201%3D1--")]
    [InlineData("country=%00")]
    public async Task Injection_strings_are_just_text(string query)
    {
        var response = await api.Client.GetAsync("/api/v1/trials?" + query, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{query}: {(int)response.StatusCode}");
        Assert.True(await api.App.CountAsync("SELECT count(*) FROM trials") >= 2274);
        var count = (int)response.StatusCode == 200 ? JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("trials").GetArrayLength() : 0;
        Assert.True(count <= 50, count.ToString(CultureInfo.InvariantCulture));
    }
}
