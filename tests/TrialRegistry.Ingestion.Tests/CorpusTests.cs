using System.Text.Json;
using System.Xml.Linq;
using Microsoft.VisualBasic.FileIO;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Testing;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>
/// Every real record in ../shared/corpus parses with sane results. Expected values are read from the raw files
/// independently of the parsers (a CSV field reader, System.Text.Json, LINQ to XML).
/// </summary>
public sealed class CorpusTests
{
    private static string CorpusFile(params string[] parts) => Path.Combine([SharedPaths.Corpus, .. parts]);

    [Fact]
    public void Every_corpus_file_parses_without_exception_and_every_record_has_id_and_title()
    {
        // The registry records (CSV, JSON, XML); the labelled set's expected values are not trial documents.
        var files = Directory.GetFiles(SharedPaths.Corpus, "*", System.IO.SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".json" or ".xml" or ".csv" && !f.Contains($"{Path.DirectorySeparatorChar}labelled{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();
        Assert.True(files.Count >= 80, $"expected the corpus at {SharedPaths.Corpus}");
        foreach (var file in files)
        {
            var parsed = Documents.ParseFile(file);
            Assert.True(parsed.Recognized, $"{Path.GetFileName(file)}: {parsed.Error}");
            Assert.NotEmpty(parsed.Records);
            Assert.All(parsed.Records, r => Assert.Matches("^NCT\\d{8}$", r.RegistryId));
            if (parsed.Format != "ctgov-sites-csv")
            {
                Assert.All(parsed.Records, r => Assert.False(string.IsNullOrWhiteSpace(r.Title), $"{Path.GetFileName(file)} {r.RegistryId}: no title"));
            }
        }
    }

    [Fact]
    public void No_document_of_the_shared_material_that_names_a_trial_is_read_as_unknown()
    {
        var documents = Directory.GetFiles(SharedPaths.Seeds)
            .Concat(Directory.GetFiles(Path.Combine(SharedPaths.Corpus, "labelled", "docs")))
            .ToList();
        Assert.True(documents.Count >= 29, $"expected the seeds and labelled documents under {SharedPaths.Corpus}");
        var unknown = documents.Select(f => (File: Path.GetFileName(f), Parsed: Documents.ParseFile(f)))
            .Where(d => !d.Parsed.Recognized)
            .Select(d => $"{d.File}: {d.Parsed.Error}")
            .ToList();
        Assert.Empty(unknown);
    }

    [Fact]
    public void Every_csv_row_yields_its_id_title_status_phases_and_conditions()
    {
        var path = CorpusFile("ctgov-csv", "oncology-car-t-trials.csv");
        var parsed = Documents.ParseFile(path);
        Assert.Equal("ctgov-csv", parsed.Format);
        var byId = parsed.Records.ToDictionary(r => r.RegistryId!);

        var rows = ReadCsv(path);
        Assert.Equal(2274, rows.Count);
        Assert.Equal(rows.Count, parsed.Records.Count);
        foreach (var row in rows)
        {
            var r = byId[row["NCTId"]];
            Assert.Equal(row["BriefTitle"].Trim(), r.Title);
            Assert.Equal(row["OverallStatus"], VocabularyNames.ToName(r.Status));
            if (row["Phase"] is "Unknown" or "")
            {
                // no phase field: only a phase stated in the summary, and then marked as inferred
                Assert.True(r.Phases.Count == 0 || r.Inferred.Contains("phases"), $"{r.RegistryId}: phase without source");
            }
            else
            {
                Assert.Equal(row["Phase"].Split('|'), r.Phases.Select(VocabularyNames.ToName));
            }
            Assert.Equal(row["Conditions"].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), r.Conditions);
            if (int.TryParse(row["EnrollmentCount"], out var enrollment))
            {
                Assert.Equal(enrollment, r.Enrollment?.Count);
            }

            Assert.Equal(row["LeadSponsor"], r.Sponsors.FirstOrDefault(s => s.Role == SponsorRole.Lead)?.Name ?? string.Empty);
        }

        // CAR-T trials name what they target: most rows yield an antigen.
        Assert.True(parsed.Records.Count(r => r.TargetAntigens.Count > 0) > parsed.Records.Count * 0.75);
        Assert.Contains(parsed.Records, r => r.TargetAntigens.Contains("HER2"));
        Assert.Contains(parsed.Records, r => r.TargetAntigens.Contains("BCMA"));
    }

    [Fact]
    public void The_sites_csv_gives_every_site_to_its_trial()
    {
        var path = CorpusFile("ctgov-csv", "oncology-car-t-sites.csv");
        var parsed = Documents.ParseFile(path);
        var rows = ReadCsv(path);
        Assert.Equal(rows.Select(r => r["NCTId"]).Distinct().Count(), parsed.Records.Count);
        Assert.Equal(rows.Count, parsed.Records.Sum(r => r.Locations.Count));
        var first = rows[0];
        var trial = parsed.Records.Single(r => r.RegistryId == first["NCTId"]);
        Assert.Contains(trial.Locations, l => l.City == NullIfEmpty(first["City"]) && l.Country == NullIfEmpty(first["Country"]));
    }

    [Theory]
    [InlineData("NCT00465816.json")]
    [InlineData("NCT04207047.json")]
    [InlineData("NCT05594173.json")]
    [InlineData("NCT06171568.json")]
    [InlineData("ctg-studies.json")]
    [InlineData("ctg-studies-5.json")]
    public void Api_v2_json_records_match_the_raw_fields(string file)
    {
        var path = CorpusFile("ctgov-json", file);
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var studies = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.EnumerateArray().ToList() : [json.RootElement];
        var parsed = Documents.ParseFile(path);
        Assert.Equal("ctgov-json", parsed.Format);
        Assert.Equal(studies.Count, parsed.Records.Count);
        foreach (var (study, record) in studies.Zip(parsed.Records))
        {
            var protocol = study.GetProperty("protocolSection");
            var id = protocol.GetProperty("identificationModule");
            Assert.Equal(id.GetProperty("nctId").GetString(), record.RegistryId);
            Assert.Equal(id.GetProperty("briefTitle").GetString(), record.Title);
            if (protocol.TryGetProperty("statusModule", out var status) && status.TryGetProperty("overallStatus", out var overall))
            {
                Assert.Equal(overall.GetString(), VocabularyNames.ToName(record.Status));
            }

            if (protocol.TryGetProperty("designModule", out var design) && design.TryGetProperty("phases", out var phases))
            {
                Assert.Equal(phases.EnumerateArray().Select(p => p.GetString()), record.Phases.Select(VocabularyNames.ToName));
            }

            if (protocol.TryGetProperty("conditionsModule", out var conditions) && conditions.TryGetProperty("conditions", out var list))
            {
                Assert.Equal(list.EnumerateArray().Select(c => c.GetString()!.Trim()), record.Conditions);
            }

            if (protocol.TryGetProperty("armsInterventionsModule", out var arms) && arms.TryGetProperty("armGroups", out var groups))
            {
                Assert.Equal(groups.EnumerateArray().Select(g => g.GetProperty("label").GetString()), record.Arms.Select(a => a.Label));
            }

            if (protocol.TryGetProperty("eligibilityModule", out var eligibility) && eligibility.TryGetProperty("eligibilityCriteria", out var criteria)
                && criteria.GetString()!.Contains("Inclusion", StringComparison.OrdinalIgnoreCase))
            {
                Assert.NotEmpty(record.Eligibility!.Inclusion);
            }
        }
    }

    [Fact]
    public void Legacy_xml_records_match_the_raw_fields()
    {
        foreach (var path in Directory.GetFiles(CorpusFile("ctgov-xml"), "*.xml"))
        {
            var xml = XDocument.Load(path, LoadOptions.None);
            var study = xml.Root!;
            var record = Assert.Single(Documents.ParseFile(path).Records);
            Assert.Equal(study.Element("id_info")!.Element("nct_id")!.Value.Trim(), record.RegistryId);
            Assert.Equal(Normalize(study.Element("brief_title")!.Value), Normalize(record.Title));
            var status = study.Element("overall_status")?.Value;
            if (status is not null)
            {
                var expected = status.Trim() switch
                {
                    "Unknown status" => "UNKNOWN",
                    "Withheld" => "WITHHELD_FROM_PUBLIC",
                    var s => s.ToUpperInvariant().Replace(", ", "_", StringComparison.Ordinal).Replace(' ', '_'),
                };
                Assert.Equal(expected, VocabularyNames.ToName(record.Status));
            }

            Assert.Equal(study.Elements("condition").Select(c => Normalize(c.Value)), record.Conditions.Select(Normalize));
            var enrollment = study.Element("enrollment")?.Value;
            if (int.TryParse(enrollment, out var count))
            {
                Assert.Equal(count, record.Enrollment?.Count);
            }
        }
    }

    private static string? Normalize(string? text) => text is null ? null : string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string? NullIfEmpty(string value) => value.Trim().Length == 0 ? null : value.Trim();

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var reader = new TextFieldParser(path, System.Text.Encoding.UTF8) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        reader.SetDelimiters(",");
        var header = reader.ReadFields()!;
        var rows = new List<Dictionary<string, string>>();
        while (!reader.EndOfData)
        {
            var fields = reader.ReadFields()!;
            rows.Add(header.Zip(fields).ToDictionary(p => p.First, p => p.Second));
        }

        return rows;
    }
}
