using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>
/// A document without a registry id (a scrape, an editorial summary) that describes a registered trial is stored as
/// that trial, not beside it; a doubtful likeness is left for an admin; copies stored before their registration are
/// merged by the dedupe step. The registered trials are the corpus's ClinicalTrials.gov JSON records.
/// </summary>
public sealed class TrialMatchingTests(PostgresServer server) : DatabaseTestBase(server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IReadOnlyList<TrialRecord> Registered() =>
        [.. Directory.GetFiles(Path.Combine(SharedPaths.Corpus, "ctgov-json"), "*.json").Order(StringComparer.Ordinal)
            .Select(f => DocumentParser.Default.Parse(File.ReadAllBytes(f), Path.GetFileName(f)))
            .SelectMany(p => p.Records)
            .Where(r => r.Title is not null && r.BriefSummary is { Length: > 200 })
            .DistinctBy(r => r.RegistryId)];

    /// <summary>What an aggregator without the registration number says of a trial: its texts, one site, no ids.</summary>
    private static TrialRecord Copy(TrialRecord registered, string suffix = "") => registered with
    {
        RegistryId = "TR-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(registered.RegistryId + suffix)))[..10],
        SecondaryIds = [],
        Locations = [new Location("Aggregator Listed Hospital " + suffix, "Springfield", null, "United States", TrialStatus.Recruiting)],
        Contacts = [],
    };

    private static ParsedDocument Document(string fileName, string format, params TrialRecord[] records)
    {
        var decoded = DocumentDecoder.FromString($"{fileName} {Guid.NewGuid()}", fileName);
        return new ParsedDocument(decoded, format, [.. records.Select(r => r with { Source = new SourceInfo(fileName, format, decoded.Sha256) })], null);
    }

    private async Task StoreRegisteredAsync(IEnumerable<TrialRecord> records)
    {
        foreach (var record in records)
        {
            Assert.Null((await Store.ImportAsync(Document(record.RegistryId + ".json", "ctgov-json", record), Ct)).Error);
        }
    }

    private async Task<List<string>> TrialIdsAsync()
    {
        await using var db = Db();
        return await db.Trials.AsNoTracking().Where(t => !t.Withdrawn).Select(t => t.RegistryId).OrderBy(i => i).ToListAsync(Ct);
    }

    [Fact]
    public async Task A_copy_without_the_registration_number_is_stored_as_the_registered_trial()
    {
        var registered = Registered();
        Assert.True(registered.Count >= 10, $"{registered.Count} corpus records with a title and a summary");
        await StoreRegisteredAsync(registered);
        var before = await TrialIdsAsync();

        foreach (var trial in registered)
        {
            var copy = Copy(trial);
            var preview = Assert.Single(await Store.PreviewAsync(Document("aggregator.txt", "aggregator", copy), null, Ct));
            Assert.Equal(trial.RegistryId, preview.Match?.Certain?.RegistryId);
            Assert.NotEqual(ImportOutcome.New, preview.Outcome);

            var stored = Assert.Single((await Store.ImportAsync(Document("aggregator.txt", "aggregator", copy), Ct)).Records);
            Assert.Equal(trial.RegistryId, stored.RegistryId);
            Assert.Contains(copy.RegistryId!, stored.MatchedAs, StringComparison.Ordinal);
        }

        // No trial beside the registered ones, and what the copies added (their site) is on the registered trials.
        Assert.Equal(before, await TrialIdsAsync());
        await using var db = Db();
        var withSite = await db.Trials.CountAsync(t => t.Locations.Any(l => l.Facility!.StartsWith("Aggregator Listed Hospital")), Ct);
        Assert.Equal(registered.Count, withSite);
    }

    [Fact]
    public async Task Twin_registrations_are_only_probable_and_an_admin_decides_which_one_it_is()
    {
        var trial = Registered()[0];
        var twin = trial with { RegistryId = "NCT09990002", SecondaryIds = [] };
        await StoreRegisteredAsync([trial, twin]);
        var copy = Copy(trial);

        var preview = Assert.Single(await Store.PreviewAsync(Document("aggregator.txt", "aggregator", copy), null, Ct));
        Assert.Null(preview.Match?.Certain);
        Assert.Equal([trial.RegistryId!, "NCT09990002"], preview.Match!.Probable.Select(p => p.RegistryId).Order(StringComparer.Ordinal));
        Assert.Equal(ImportOutcome.New, preview.Outcome);

        // Undecided, the copy is a trial of its own; an admin's decision stores the next copy as the trial named.
        Assert.Equal(copy.RegistryId, Assert.Single((await Store.ImportAsync(Document("aggregator.txt", "aggregator", copy), Ct)).Records).RegistryId);
        var decisions = new Dictionary<string, string> { [copy.RegistryId!] = "NCT09990002" };
        var decided = Assert.Single(await Store.PreviewAsync(Document("aggregator-2.txt", "aggregator", copy), decisions, Ct));
        Assert.Equal("NCT09990002", decided.Match?.Certain?.RegistryId);

        await using var connection = await DataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        var stored = Assert.Single((await Store.ImportAsync(Document("aggregator-2.txt", "aggregator", copy), connection, transaction, decisions, Ct)).Records);
        await transaction.CommitAsync(Ct);
        Assert.Equal("NCT09990002", stored.RegistryId);
    }

    [Fact]
    public async Task A_title_alone_is_a_lead_not_proof()
    {
        var trial = Registered()[0];
        await StoreRegisteredAsync([trial]);
        var other = Copy(trial) with
        {
            BriefSummary = "A different study of a different product that happens to share a generic title with a registered trial, for other patients.",
            Conditions = ["Systemic Lupus Erythematosus"],
            Sponsors = [new Sponsor("Another Sponsor", SponsorRole.Lead, "INDUSTRY")],
        };

        var preview = Assert.Single(await Store.PreviewAsync(Document("press.txt", "press-release", other), null, Ct));
        Assert.Null(preview.Match?.Certain);
        Assert.Equal(trial.RegistryId, Assert.Single(preview.Match!.Probable).RegistryId);
        Assert.Equal(other.RegistryId, Assert.Single((await Store.ImportAsync(Document("press.txt", "press-release", other), Ct)).Records).RegistryId);
    }

    [Fact]
    public async Task An_untitled_page_with_the_summary_word_for_word_is_the_trial()
    {
        var trial = Registered()[1];
        await StoreRegisteredAsync([trial]);
        var page = Copy(trial) with { Title = null, Conditions = [], Sponsors = [], BriefSummary = trial.BriefSummary!.ToUpperInvariant().Replace(" ", "  ", StringComparison.Ordinal) };

        var stored = Assert.Single((await Store.ImportAsync(Document("page.txt", "aggregator-page", page), Ct)).Records);
        Assert.Equal(trial.RegistryId, stored.RegistryId);
    }

    [Fact]
    public async Task Another_registrys_number_named_by_both_is_certain_whatever_the_texts()
    {
        var trial = Registered()[0] with { SecondaryIds = ["ChiCTR2400081234"] };
        await StoreRegisteredAsync([trial]);
        var synopsis = Copy(trial) with { Title = "Protocol synopsis", BriefSummary = null, Conditions = [], SecondaryIds = ["chictr2400081234"] };

        var stored = Assert.Single((await Store.ImportAsync(Document("synopsis.txt", "synopsis", synopsis), Ct)).Records);
        Assert.Equal(trial.RegistryId, stored.RegistryId);
    }

    [Fact]
    public async Task A_document_imported_again_stays_where_it_was_stored()
    {
        var registered = Registered()[2];
        var scrape = Document("early-scrape.txt", "aggregator", Copy(registered, "early"));
        var first = Assert.Single((await Store.ImportAsync(scrape, Ct)).Records);
        await StoreRegisteredAsync([registered]);

        // The same bytes again: no new trial and no second copy of the record under the registered trial.
        var again = Assert.Single((await Store.ImportAsync(scrape, Ct)).Records);
        Assert.Equal((first.RegistryId, ImportOutcome.Unchanged), (again.RegistryId, again.Outcome));
        Assert.Equal(2, await CountAsync("trial_documents"));

        // Once merged by dedupe, the same bytes are the registered trial's, unchanged.
        await Store.MergeIntoAsync(first.RegistryId, registered.RegistryId!, Ct);
        var afterMerge = Assert.Single((await Store.ImportAsync(scrape, Ct)).Records);
        Assert.Equal((registered.RegistryId, ImportOutcome.Unchanged), (afterMerge.RegistryId, afterMerge.Outcome));
    }

    [Fact]
    public async Task A_copy_stored_before_its_registration_is_merged_by_dedupe_and_keeps_its_documents()
    {
        var registered = Registered().Take(3).ToList();
        var copy = Copy(registered[1], "early");
        Assert.Equal(copy.RegistryId, Assert.Single((await Store.ImportAsync(Document("early-scrape.txt", "aggregator", copy), Ct)).Records).RegistryId);
        await StoreRegisteredAsync(registered);

        var duplicates = await Store.FindDuplicatesAsync(Ct);
        var (id, _, match) = Assert.Single(duplicates);
        Assert.Equal(copy.RegistryId, id);
        Assert.Equal(registered[1].RegistryId, match.Certain?.RegistryId);

        var merged = await Store.MergeIntoAsync(id, match.Certain!.RegistryId, Ct);
        Assert.Equal(registered[1].RegistryId, merged?.RegistryId);
        Assert.Empty(await Store.FindDuplicatesAsync(Ct));

        await using var db = Db();
        var duplicate = await db.Trials.AsNoTracking().Include(t => t.Versions).Include(t => t.Documents).SingleAsync(t => t.RegistryId == id, Ct);
        Assert.True(duplicate.Withdrawn);
        Assert.Equal(registered[1].RegistryId, duplicate.MergedInto);
        Assert.Equal(["mergedInto"], duplicate.Versions.MaxBy(v => v.Version)!.ChangedFields);
        Assert.Single(duplicate.Documents);

        var target = await db.Trials.AsNoTracking().Include(t => t.Documents).ThenInclude(d => d.SourceDocument).Include(t => t.Locations)
            .SingleAsync(t => t.RegistryId == registered[1].RegistryId, Ct);
        Assert.Contains(target.Documents, d => d.SourceDocument.FileName == "early-scrape.txt" && !d.Superseded);
        Assert.Contains(target.Locations, l => l.Facility == "Aggregator Listed Hospital early");
        Assert.Equal(registered.Select(r => r.RegistryId!).Order(StringComparer.Ordinal), await TrialIdsAsync());
    }
}
