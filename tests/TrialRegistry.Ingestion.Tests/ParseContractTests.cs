using System.Text.Json;
using TrialRegistry.Cli;
using TrialRegistry.Testing;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>The CLI's <c>parse</c> prints the JSON of shared/docs/parse-output.md: names, order, vocabularies.</summary>
public sealed class ParseContractTests
{
    private static readonly string[] TopLevel =
    [
        "source", "registryId", "secondaryIds", "title", "briefSummary", "status", "phases", "studyType", "enrollment",
        "startDate", "completionDate", "lastUpdated", "conditions", "targetAntigens", "modality", "productType", "products", "routes", "lymphodepletion",
        "doseLevels", "arms", "interventions", "eligibility", "sponsors", "locations", "outcomes", "inferred", "warnings", "warningDetails",
    ];

    private static readonly HashSet<string?> Statuses =
        ["NOT_YET_RECRUITING", "RECRUITING", "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING", "SUSPENDED", "TERMINATED", "COMPLETED", "WITHDRAWN", "UNKNOWN", null];

    private static readonly string[] Phases = ["EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA"];
    private static readonly string[] Routes = ["INTRAVENOUS", "INTRAPERITONEAL", "INTRAPLEURAL", "INTRATUMORAL", "INTRATHECAL", "INTRAVENTRICULAR", "INTRA_ARTERIAL", "OTHER"];

    private static async Task<(int Exit, string Out, string Err)> RunCli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task One_file_prints_one_object_with_the_contract_properties_in_order()
    {
        var (exit, output, _) = await RunCli("parse", SharedPaths.Seed("000"));
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(TopLevel, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["fileName", "format", "sha256"], root.GetProperty("source").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["count", "type"], root.GetProperty("enrollment").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["text", "value", "unit"], root.GetProperty("doseLevels")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["label", "type", "description", "routes", "interventions", "doseLevels"], root.GetProperty("arms")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["name", "type", "description", "otherNames"], root.GetProperty("interventions")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["minAgeYears", "maxAgeYears", "sex", "healthyVolunteers", "inclusion", "exclusion"], root.GetProperty("eligibility").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["name", "role", "class"], root.GetProperty("sponsors")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["facility", "city", "state", "country", "status"], root.GetProperty("locations")[0].EnumerateObject().Select(p => p.Name));

        Assert.Equal("3×10^6 cells/Kg", root.GetProperty("doseLevels")[0].GetProperty("text").GetString());
        Assert.Equal(3000000, root.GetProperty("doseLevels")[0].GetProperty("value").GetDouble());
        Assert.Equal(JsonValueKind.String, root.GetProperty("eligibility").GetProperty("inclusion")[0].ValueKind);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(SharedPaths.Seed("000"))));
        Assert.Equal(sha, root.GetProperty("source").GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Several_files_print_an_array_in_the_order_given()
    {
        var (exit, output, _) = await RunCli("parse", SharedPaths.Seed("004"), SharedPaths.Seed("000"));
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(["NCT07181720", "NCT06586658"], json.RootElement.EnumerateArray().Select(r => r.GetProperty("registryId").GetString()));
    }

    [Fact]
    public async Task Every_seed_and_corpus_record_uses_only_the_vocabularies()
    {
        var files = Directory.GetFiles(SharedPaths.Seeds)
            .Concat(Directory.GetFiles(Path.Combine(SharedPaths.Corpus, "ctgov-json")))
            .Concat(Directory.GetFiles(Path.Combine(SharedPaths.Corpus, "ctgov-xml")).Take(20)).ToArray();
        var (exit, output, error) = await RunCli(["parse", .. files]);
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        foreach (var r in json.RootElement.EnumerateArray())
        {
            Assert.Contains(r.GetProperty("status").GetString(), Statuses);
            var phases = r.GetProperty("phases").EnumerateArray().Select(p => p.GetString()!).ToList();
            Assert.All(phases, p => Assert.Contains(p, Phases));
            Assert.Equal(phases.OrderBy(p => Array.IndexOf(Phases, p)), phases);
            var routes = r.GetProperty("routes").EnumerateArray().Select(p => p.GetString()!).ToList();
            Assert.All(routes, p => Assert.Contains(p, Routes));
            var antigens = r.GetProperty("targetAntigens").EnumerateArray().Select(p => p.GetString()!).ToList();
            Assert.Equal(antigens.Order(StringComparer.Ordinal), antigens);
            var agents = r.GetProperty("lymphodepletion").EnumerateArray().Select(p => p.GetString()!).ToList();
            Assert.Equal(agents.Order(StringComparer.Ordinal), agents);
            foreach (var dose in r.GetProperty("doseLevels").EnumerateArray())
            {
                Assert.Contains(dose.GetProperty("unit").GetString(), (string?[])["CELLS_PER_KG", "CELLS", "CELLS_PER_M2"]);
                Assert.True(dose.GetProperty("value").GetDouble() >= 1e3);
            }

            if (r.GetProperty("enrollment").ValueKind == JsonValueKind.Object)
            {
                Assert.Contains(r.GetProperty("enrollment").GetProperty("type").GetString(), (string?[])["ESTIMATED", "ACTUAL", null]);
            }

            Assert.All(r.GetProperty("sponsors").EnumerateArray(), s => Assert.Contains(s.GetProperty("role").GetString(), (string?[])["LEAD", "COLLABORATOR"]));
            Assert.All(r.GetProperty("outcomes").EnumerateArray(), o => Assert.Contains(o.GetProperty("kind").GetString(), (string?[])["PRIMARY", "SECONDARY", "OTHER"]));
        }
    }

    [Fact]
    public async Task An_unreadable_document_is_reported_as_unknown_with_a_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"notes-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, "Shopping list\n\neggs\nmilk\n");
        try
        {
            var (exit, output, error) = await RunCli("parse", path);
            Assert.Equal(0, exit);
            using var json = JsonDocument.Parse(output);
            Assert.Equal("unknown", json.RootElement.GetProperty("source").GetProperty("format").GetString());
            Assert.Contains("describes no trial", json.RootElement.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
            Assert.Equal("unreadable", json.RootElement.GetProperty("warningDetails")[0].GetProperty("code").GetString());
            Assert.Contains("describes no trial", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_missing_file_is_an_error_and_usage_errors_exit_2()
    {
        var (exit, _, error) = await RunCli("parse", "/nonexistent/file.txt");
        Assert.Equal(1, exit);
        Assert.Contains("no such file", error, StringComparison.Ordinal);
        Assert.Equal(2, (await RunCli("parse")).Exit);
        Assert.Equal(2, (await RunCli("frobnicate")).Exit);
    }
}
