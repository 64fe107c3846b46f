using System.Text.Json.Nodes;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Testing;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>
/// Merging the records several sources give for one trial: a source that states less never erases one that states
/// more; sites merge site by site; the merge keeps every field (a field added to the record cannot be forgotten in
/// the merger); the real sites and trials exports give the same sites in either order.
/// </summary>
public sealed class MergeTests
{
    private static TrialRecord Record(string format, string? lastUpdated = null) => new()
    {
        Source = new SourceInfo(format + ".txt", format, format),
        RegistryId = "NCT01234567",
        LastUpdated = lastUpdated,
    };

    [Fact]
    public void A_country_list_does_not_replace_the_sites_of_that_country()
    {
        var sites = Record("ctgov-sites-csv") with
        {
            Title = "A study",
            Locations =
            [
                new Location("Hospital Clínic de Barcelona", "Barcelona", null, "Spain", TrialStatus.Recruiting),
                new Location("Hospital Universitario 12 de Octubre", "Madrid", null, "Spain", null),
                new Location("Charité", "Berlin", null, "Germany", TrialStatus.NotYetRecruiting),
            ],
        };
        var trials = Record("ctgov-csv", "2025-06-01") with
        {
            Title = "A study of CAR-T cells",
            Locations = [new Location(null, null, null, "Spain", null), new Location(null, null, null, "Germany", null), new Location(null, null, null, "France", null)],
        };

        foreach (var order in new[] { new[] { sites, trials }, [trials, sites] })
        {
            var (merged, sources) = RecordMerger.Merge(order);
            Assert.Equal(["Barcelona", "Madrid", "Berlin", null], merged.Locations.Select(l => l.City).OrderBy(c => c is null).ToList());
            // France is known only as a country: it stays, as a country.
            Assert.Single(merged.Locations, l => l.Country == "France" && l.Facility is null);
            Assert.Equal("ctgov-sites-csv", sources["locations"].Format);
        }
    }

    [Fact]
    public void One_site_from_two_sources_is_one_row_with_what_each_gives_and_the_newest_status()
    {
        var older = Record("page", "2024-01-01") with { Locations = [new Location("Changzheng hospital", "Shanghai", null, "China", TrialStatus.NotYetRecruiting)] };
        var newer = Record("json", "2025-01-01") with { Locations = [new Location("CHANGZHENG HOSPITAL", null, "Shanghai Municipality", "China", TrialStatus.Recruiting)] };

        var site = Assert.Single(RecordMerger.Merge([older, newer]).Merged.Locations);
        Assert.Equal("Shanghai", site.City);
        Assert.Equal("Shanghai Municipality", site.State);
        Assert.Equal(TrialStatus.Recruiting, site.Status);
    }

    [Fact]
    public void Described_arms_are_not_replaced_by_a_list_of_names_and_criteria_come_from_the_source_that_has_them()
    {
        var registry = Record("ctgov-json", "2024-01-01") with
        {
            Arms = [new Arm { Label = "Dose escalation", Type = ArmType.Experimental, Description = "3+3 design", Interventions = ["XY-1"] }],
            Interventions = [new Intervention { Name = "XY-1", Type = InterventionType.Biological, Description = "Autologous CD19 CAR-T cells" }],
            Eligibility = new Eligibility { MinAgeYears = 18, Sex = Sex.All, Inclusion = [new Criterion("Relapsed disease", [])] },
        };
        var scrape = Record("aggregator-page", "2025-01-01") with
        {
            Interventions = [new Intervention { Name = "XY-1" }],
            Eligibility = new Eligibility { MaxAgeYears = 75 },
            Status = TrialStatus.Recruiting,
        };

        var merged = RecordMerger.Merge([registry, scrape]).Merged;
        Assert.Equal("Autologous CD19 CAR-T cells", Assert.Single(merged.Interventions).Description);
        Assert.Single(merged.Arms);
        Assert.Equal("Relapsed disease", Assert.Single(merged.Eligibility!.Inclusion).Text);
        Assert.Equal((18, 75), (merged.Eligibility.MinAgeYears, merged.Eligibility.MaxAgeYears));
        Assert.Equal(TrialStatus.Recruiting, merged.Status);
    }

    [Fact]
    public void A_value_read_from_a_label_is_not_replaced_by_one_inferred_from_prose()
    {
        var registry = Record("ctgov-json", "2024-01-01") with { Phases = [TrialPhase.Phase2], TargetAntigens = ["BCMA"] };
        var press = Record("free-text", "2025-01-01") with { Phases = [TrialPhase.Phase1], TargetAntigens = ["CD19"], Inferred = ["phases", "targetAntigens"] };

        var merged = RecordMerger.Merge([registry, press]).Merged;
        Assert.Equal([TrialPhase.Phase2], merged.Phases);
        Assert.Equal(["BCMA"], merged.TargetAntigens);
        Assert.DoesNotContain("phases", merged.Inferred);

        // Where only prose says it, the value is kept and still marked inferred.
        var alone = RecordMerger.Merge([Record("ctgov-json", "2024-01-01"), press]).Merged;
        Assert.Equal([TrialPhase.Phase1], alone.Phases);
        Assert.Contains("phases", alone.Inferred);
    }

    [Fact]
    public void Warnings_stay_with_their_document_and_secondary_ids_are_all_kept()
    {
        var a = Record("ctgov-csv", "2025-01-01") with { SecondaryIds = ["ABC-1"], Warnings = [ParseWarning.Missing("eligibility", "no eligibility criteria found")] };
        var b = Record("ctgov-json", "2024-01-01") with { SecondaryIds = ["2019-001234-56", "abc-1"] };

        var merged = RecordMerger.Merge([b, a]).Merged;
        Assert.Empty(merged.Warnings);
        Assert.Equal(["2019-001234-56", "ABC-1"], merged.SecondaryIds.Order(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Any two parsed records of the corpus merged as if they were one trial's: every field either states is stated
    /// in the merge (compared generically over the record's JSON, so a new field cannot be left out of the merger),
    /// and a scalar field the newer record states, not only inferred, is the newer record's value.
    /// </summary>
    [Fact]
    public void Merging_any_two_records_keeps_every_field_either_states()
    {
        var records = new[] { "ctgov-json/ctg-studies-5.json", "ctgov-json/NCT05594173.json", "ctgov-xml" }
            .SelectMany(p => Directory.Exists(Path.Combine(SharedPaths.Corpus, p))
                ? Directory.GetFiles(Path.Combine(SharedPaths.Corpus, p)).Take(15)
                : [Path.Combine(SharedPaths.Corpus, p)])
            .SelectMany(f => Documents.ParseFile(f).Records)
            .Concat(Directory.GetFiles(SharedPaths.Seeds).SelectMany(f => Documents.ParseFile(f).Records))
            .Concat(Directory.GetFiles(Path.Combine(SharedPaths.Corpus, "labelled", "docs")).SelectMany(f => Documents.ParseFile(f).Records))
            .ToList();
        Assert.True(records.Count >= 40, "expected corpus records");

        var random = new Random(20261201);
        for (var n = 0; n < 400; n++)
        {
            var older = records[random.Next(records.Count)];
            var newer = records[random.Next(records.Count)];
            var merged = RecordMerger.Merge([older, newer]).Merged;
            var (a, b, m) = (Json(older), Json(newer), Json(merged));
            foreach (var (field, _) in a.Concat(b).DistinctBy(p => p.Key))
            {
                if (field is "source" or "inferred" or "warnings")
                {
                    continue;
                }

                var stated = Stated(a[field]) || Stated(b[field]);
                Assert.True(!stated || Stated(m[field]), $"{field} of {older.RegistryId} / {newer.RegistryId} lost in the merge");
                if (Stated(b[field]) && b[field] is JsonValue && (!newer.Inferred.Contains(field) || older.Inferred.Contains(field) || !Stated(a[field])))
                {
                    Assert.True(JsonNode.DeepEquals(b[field], m[field]), $"{field}: the newer record's value should win");
                }
            }
        }
    }

    [Fact]
    public void The_sites_and_trials_exports_give_the_same_sites_in_either_order()
    {
        var sites = Documents.ParseFile(Path.Combine(SharedPaths.Corpus, "ctgov-csv", "oncology-car-t-sites.csv")).Records.ToDictionary(r => r.RegistryId!);
        var trials = Documents.ParseFile(Path.Combine(SharedPaths.Corpus, "ctgov-csv", "oncology-car-t-trials.csv")).Records.ToDictionary(r => r.RegistryId!);
        var both = sites.Keys.Where(trials.ContainsKey).ToList();
        Assert.True(both.Count > 500);

        foreach (var id in both)
        {
            var one = RecordMerger.Merge([sites[id], trials[id]]).Merged.Locations;
            var other = RecordMerger.Merge([trials[id], sites[id]]).Merged.Locations;
            Assert.Equal(Keys(one), Keys(other));
            // Every site of the sites file survives, with its facility and city.
            foreach (var site in sites[id].Locations.Where(l => l.Facility is not null))
            {
                // The same site written twice ("St Jude", "St. Jude") is one row.
                Assert.True(one.Any(l => Fold(l.Facility) == Fold(site.Facility) && l.City == site.City),
                    $"{id}: {site} missing from [{string.Join("; ", one)}]");
            }
        }
    }

    private static string Fold(string? name) => new((name ?? string.Empty).Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static List<string> Keys(IEnumerable<Location> sites) =>
        sites.Select(l => $"{l.Facility}|{l.City}|{l.State}|{l.Country}|{l.Status}").Order(StringComparer.Ordinal).ToList();

    private static JsonObject Json(TrialRecord r) => System.Text.Json.JsonSerializer.SerializeToNode(r, RecordJson.Options)!.AsObject();

    private static bool Stated(JsonNode? node) => node switch
    {
        null => false,
        JsonArray array => array.Count > 0,
        JsonObject obj => obj.Any(p => Stated(p.Value)),
        _ => true,
    };
}
