using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

public sealed class TrialStoreTests(PostgresServer server) : DatabaseTestBase(server)
{
    private static ParsedDocument Document(string fileName, string format, params TrialRecord[] records)
    {
        var decoded = DocumentDecoder.FromString($"{fileName} {Guid.NewGuid()}", fileName);
        return new ParsedDocument(decoded, format, [.. records.Select(r => r with { Source = new SourceInfo(fileName, format, decoded.Sha256) })], null);
    }

    private static TrialRecord FullRecord(string id = "NCT09990001") => new()
    {
        Source = new SourceInfo("x", "ctgov-json", "0"),
        RegistryId = id,
        SecondaryIds = ["ABC-1"],
        Title = "Anti-CD19 CAR-T in B-ALL",
        BriefSummary = "A phase 1 study of CD19-directed CAR T cells.",
        Status = TrialStatus.Recruiting,
        Phases = [TrialPhase.Phase1, TrialPhase.Phase2],
        StudyType = StudyType.Interventional,
        Enrollment = new Enrollment(40, EnrollmentType.Estimated),
        StartDate = "2025-01",
        LastUpdated = "2025-06-01",
        Conditions = ["B-cell Acute Lymphoblastic Leukemia", "Lymphoma"],
        TargetAntigens = ["CD19", "CD22"],
        Routes = [Route.Intravenous, Route.Intrathecal],
        Lymphodepletion = ["cyclophosphamide", "fludarabine"],
        DoseLevels = [new("1×10^6 cells/kg", 1e6, DoseUnit.CellsPerKg), new("3×10^6 cells/kg", 3e6, DoseUnit.CellsPerKg), new("1×10^8 cells", 1e8, DoseUnit.Cells)],
        Arms =
        [
            new Arm { Label = "Dose escalation", Type = ArmType.Experimental, Routes = [Route.Intravenous], Interventions = ["CD19/CD22 CAR-T"],
                      DoseLevels = [new("1×10^6 cells/kg", 1e6, DoseUnit.CellsPerKg), new("3×10^6 cells/kg", 3e6, DoseUnit.CellsPerKg)] },
            new Arm { Label = "Intrathecal", Type = ArmType.Experimental, Routes = [Route.Intrathecal], Interventions = ["CD19/CD22 CAR-T", "Fludarabine"] },
        ],
        Interventions =
        [
            new Intervention { Name = "CD19/CD22 CAR-T", Type = InterventionType.Biological, OtherNames = ["XY-001"] },
            new Intervention { Name = "Fludarabine", Type = InterventionType.Drug },
        ],
        Eligibility = new Eligibility
        {
            MinAgeYears = 3, MaxAgeYears = 70, Sex = Sex.All, HealthyVolunteers = false,
            Inclusion = [new Criterion("CD19-positive disease", []), new Criterion("Adequate organ function:", ["ALT ≤ 3×ULN", "Creatinine ≤ 1.5×ULN"])],
            Exclusion = [new Criterion("Active CNS involvement", [])],
            CriteriaText = "Inclusion Criteria: ...",
        },
        Sponsors = [new Sponsor("Some Hospital", SponsorRole.Lead, "OTHER"), new Sponsor("Bio Co", SponsorRole.Collaborator, "INDUSTRY")],
        Locations = [new Location("Some Hospital", "Boston", "Massachusetts", "United States", TrialStatus.Recruiting)],
        Contacts = [new Contact("Dr A", "CONTACT", "555", "a@example.org")],
        Outcomes = [new Outcome(OutcomeKind.Primary, "Dose-limiting toxicities", null, "28 days")],
    };

    [Fact]
    public async Task A_trial_with_arms_interventions_doses_antigens_and_criteria_round_trips()
    {
        var result = await Store.ImportAsync(Document("full.json", "ctgov-json", FullRecord()), TestContext.Current.CancellationToken);
        Assert.Equal(ImportOutcome.New, Assert.Single(result.Records).Outcome);

        await using var db = Db();
        var t = await db.Trials.AsNoTracking()
            .Include(x => x.Arms).ThenInclude(a => a.Interventions)
            .Include(x => x.Arms).ThenInclude(a => a.DoseLevels)
            .Include(x => x.Interventions).Include(x => x.DoseLevels).Include(x => x.TargetAntigens).Include(x => x.Conditions)
            .Include(x => x.Eligibility).Include(x => x.Criteria).Include(x => x.Sponsors).Include(x => x.Locations)
            .Include(x => x.Contacts).Include(x => x.Outcomes).Include(x => x.Documents).Include(x => x.Versions)
            .SingleAsync(x => x.RegistryId == "NCT09990001", TestContext.Current.CancellationToken);

        Assert.Equal(["ABC-1"], t.SecondaryIds);
        Assert.Equal(("RECRUITING", "INTERVENTIONAL", 40, "ESTIMATED"), (t.Status, t.StudyType, t.EnrollmentCount, t.EnrollmentType));
        Assert.Equal(["PHASE1", "PHASE2"], t.Phases);
        Assert.Equal(["INTRAVENOUS", "INTRATHECAL"], t.Routes);
        Assert.Equal(["CD19", "CD22"], t.TargetAntigens.Select(a => a.Symbol).Order());
        Assert.Contains("TNFRSF17", (await db.TargetAntigens.SingleAsync(a => a.Symbol == "BCMA", TestContext.Current.CancellationToken)).Synonyms);
        Assert.Equal(["B-cell Acute Lymphoblastic Leukemia", "Lymphoma"], t.Conditions.OrderBy(c => c.Ordinal).Select(c => c.Name));

        var arms = t.Arms.OrderBy(a => a.Ordinal).ToList();
        Assert.Equal(["Dose escalation", "Intrathecal"], arms.Select(a => a.Label));
        Assert.Equal(["CD19/CD22 CAR-T"], arms[0].Interventions.Select(i => i.Name));
        Assert.Equal(["CD19/CD22 CAR-T", "Fludarabine"], arms[1].Interventions.Select(i => i.Name).Order());
        Assert.Equal([1e6, 3e6], arms[0].DoseLevels.OrderBy(d => d.Ordinal).Select(d => d.Value));
        Assert.Equal(["INTRATHECAL"], arms[1].Routes);
        // every dose once: two on the arm, the flat dose on the trial only
        Assert.Equal([(1e6, "CELLS_PER_KG"), (3e6, "CELLS_PER_KG"), (1e8, "CELLS")], t.DoseLevels.OrderBy(d => d.Ordinal).Select(d => (d.Value, d.Unit)));
        Assert.Null(t.DoseLevels.Single(d => d.Unit == "CELLS").ArmId);
        Assert.Equal(["XY-001"], t.Interventions.Single(i => i.Name == "CD19/CD22 CAR-T").OtherNames);

        Assert.Equal((3, 70, "ALL", false), (t.Eligibility!.MinAgeYears, t.Eligibility.MaxAgeYears, t.Eligibility.Sex, t.Eligibility.HealthyVolunteers));
        var inclusion = t.Criteria.Where(c => c.Kind == "INCLUSION").OrderBy(c => c.Ordinal).ToList();
        Assert.Equal(["CD19-positive disease", "Adequate organ function:"], inclusion.Select(c => c.Text));
        Assert.Equal(["ALT ≤ 3×ULN", "Creatinine ≤ 1.5×ULN"], inclusion[1].SubItems);
        Assert.Equal("Active CNS involvement", t.Criteria.Single(c => c.Kind == "EXCLUSION").Text);
        Assert.Equal([("Some Hospital", "LEAD"), ("Bio Co", "COLLABORATOR")], t.Sponsors.OrderBy(s => s.Ordinal).Select(s => (s.Name, s.Role)));
        Assert.Equal(("Boston", "United States", "RECRUITING"), (t.Locations[0].City, t.Locations[0].Country, t.Locations[0].Status));
        Assert.Equal("a@example.org", t.Contacts[0].Email);
        Assert.Equal(("PRIMARY", "28 days"), (t.Outcomes[0].Kind, t.Outcomes[0].TimeFrame));

        Assert.Equal(1, t.Version);
        var version = Assert.Single(t.Versions);
        Assert.Equal(result.SourceDocumentId, version.SourceDocumentId);
        Assert.Equal(result.SourceDocumentId, Assert.Single(t.Documents).SourceDocumentId);
        Assert.Equal(result.SourceDocumentId, t.FieldSources["title"]);
        Assert.Equal("NCT09990001", RecordMergerSnapshot(version.Snapshot).RegistryId);
    }

    private static TrialRecord RecordMergerSnapshot(string json) => RecordJson.Deserialize(json);

    [Fact]
    public async Task The_five_seeds_are_stored_and_found_by_antigen_and_full_text()
    {
        foreach (var file in Directory.GetFiles(SharedPaths.Seeds).Order())
        {
            var result = await ImportFileAsync(file);
            Assert.Null(result.Error);
            Assert.Equal(ImportOutcome.New, Assert.Single(result.Records).Outcome);
        }

        await using var db = Db();
        var cd70 = await db.Trials.Where(t => t.TargetAntigens.Any(a => a.Symbol == "CD70")).Select(t => t.RegistryId).OrderBy(x => x).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, cd70.Count);
        Assert.Contains("NCT06586658", cd70);
        Assert.Contains("NCT07181720", cd70);
        Assert.Equal(["NCT06101082"], await db.Trials.Where(t => t.TargetAntigens.Any(a => a.Synonyms.Contains("ERBB2"))).Select(t => t.RegistryId).ToListAsync(TestContext.Current.CancellationToken));

        var phase1 = await db.Trials.Where(t => t.Phases.Contains("PHASE1")).CountAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, phase1); // 001 (inferred), 002, 004

        var inRange = await db.Trials.Where(t => t.DoseLevels.Any(d => d.Unit == "CELLS_PER_KG" && d.Value >= 1e6 && d.Value <= 1e7))
            .Select(t => t.RegistryId).OrderBy(x => x).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["NCT06101082", "NCT06586658"], inRange);

        var renal = await db.Trials.Where(t => t.Conditions.Any(c => EF.Functions.ILike(c.Name, "%renal%"))).CountAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, renal);

        // Full text over summaries and criteria: the CD7 scrape has no title but is found by its text.
        var fullText = await db.Trials.Where(t => t.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("english", "echocardiography LVSF")))
            .Select(t => t.RegistryId).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Single(fullText);
        Assert.StartsWith("TR-", fullText[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Importing_the_same_documents_twice_changes_nothing()
    {
        foreach (var file in Directory.GetFiles(SharedPaths.Seeds))
        {
            await ImportFileAsync(file);
        }

        var tables = new[] { "trials", "trial_versions", "trial_documents", "source_documents", "dose_levels", "eligibility_criteria", "arms" };
        var before = new List<long>();
        foreach (var table in tables)
        {
            before.Add(await CountAsync(table));
        }

        foreach (var file in Directory.GetFiles(SharedPaths.Seeds))
        {
            var again = await ImportFileAsync(file);
            Assert.All(again.Records, r => Assert.Equal(ImportOutcome.Unchanged, r.Outcome));
        }

        var after = new List<long>();
        foreach (var table in tables)
        {
            after.Add(await CountAsync(table));
        }

        Assert.Equal(before, after);
    }

    [Fact]
    public async Task An_edited_document_makes_version_2_and_keeps_version_1()
    {
        var path = SharedPaths.Seed("000");
        var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        await ImportTextAsync(text, "000.txt");
        var edited = text.Replace("\nRECRUITING\n", "\nACTIVE_NOT_RECRUITING\n", StringComparison.Ordinal);
        Assert.NotEqual(text, edited);

        var result = await ImportTextAsync(edited, "000.txt");
        var record = Assert.Single(result.Records);
        Assert.Equal(ImportOutcome.Updated, record.Outcome);
        Assert.Equal(2, record.Version);
        Assert.Equal(["status"], record.ChangedFields);

        await using var db = Db();
        var trial = await db.Trials.Include(t => t.Versions).Include(t => t.Documents).SingleAsync(t => t.RegistryId == "NCT06586658", TestContext.Current.CancellationToken);
        Assert.Equal("ACTIVE_NOT_RECRUITING", trial.Status);
        Assert.Equal([1, 2], trial.Versions.Select(v => v.Version).Order());
        Assert.Equal(TrialStatus.Recruiting, RecordJson.Deserialize(trial.Versions.Single(v => v.Version == 1).Snapshot).Status);
        Assert.Equal(2, trial.Documents.Count);
        Assert.Single(trial.Documents, d => d.Superseded); // the older record from the same file is kept, superseded
        Assert.Equal(2, await CountAsync("source_documents"));
    }

    [Fact]
    public async Task Documents_from_different_sources_merge_into_one_trial_and_each_value_knows_its_source()
    {
        var registry = FullRecord("NCT09990002") with { LastUpdated = "2025-01-01", Status = TrialStatus.NotYetRecruiting };
        var scrape = new TrialRecord
        {
            Source = new SourceInfo("x", "aggregator-page", "0"),
            RegistryId = "NCT09990002",
            Status = TrialStatus.Recruiting,
            LastUpdated = "2025-09-01",
            Locations = [new Location("New Site", "Paris", null, "France", TrialStatus.Recruiting)],
        };
        var first = await Store.ImportAsync(Document("registry.json", "ctgov-json", registry), TestContext.Current.CancellationToken);
        var second = await Store.ImportAsync(Document("scrape.txt", "aggregator-page", scrape), TestContext.Current.CancellationToken);
        Assert.Equal(ImportOutcome.Updated, Assert.Single(second.Records).Outcome);

        await using var db = Db();
        var trial = await db.Trials.Include(t => t.Locations).Include(t => t.Arms).SingleAsync(t => t.RegistryId == "NCT09990002", TestContext.Current.CancellationToken);
        Assert.Equal("Anti-CD19 CAR-T in B-ALL", trial.Title);   // only the registry record has it
        Assert.Equal("RECRUITING", trial.Status);                // the newer record says so
        // A site the scrape adds joins the registry's sites; it does not replace them.
        Assert.Equal(["Boston", "Paris"], trial.Locations.Select(l => l.City).Order(StringComparer.Ordinal));
        Assert.Equal(2, trial.Arms.Count);                      // the scrape's empty arms do not erase the registry's
        Assert.Equal(first.SourceDocumentId, trial.FieldSources["title"]);
        Assert.Equal(second.SourceDocumentId, trial.FieldSources["status"]);
        Assert.Equal(first.SourceDocumentId, trial.FieldSources["locations"]);   // the list that details its sites most
        Assert.Equal(1, await CountAsync("trials"));
    }

    [Fact]
    public async Task An_unreadable_document_is_kept_with_its_reason_and_stores_no_trial()
    {
        var result = await ImportTextAsync("Meeting notes\n\nnothing about trials here\n", "notes.txt");
        Assert.NotNull(result.Error);
        Assert.Empty(result.Records);
        await using var db = Db();
        var kept = await db.SourceDocuments.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(("notes.txt", "unknown"), (kept.FileName, kept.Format));
        Assert.Contains("nothing about trials", kept.RawText, StringComparison.Ordinal);
        Assert.Equal(result.Error, kept.Error);
        Assert.Equal(0, await CountAsync("trials"));
    }

    [Fact]
    public async Task A_document_is_stored_whole_or_not_at_all()
    {
        var good = FullRecord("NCT09990003");
        var bad = FullRecord(new string('9', 100)); // longer than a registry id may be: the database refuses it
        await Assert.ThrowsAnyAsync<Exception>(() => Store.ImportAsync(Document("batch.json", "ctgov-json", good, bad), TestContext.Current.CancellationToken));
        Assert.Equal(0, await CountAsync("trials"));
        Assert.Equal(0, await CountAsync("source_documents"));
        Assert.Equal(0, await CountAsync("trial_versions"));
    }

    [Fact]
    public async Task An_older_copy_of_a_document_coming_back_after_a_newer_one_changes_nothing()
    {
        // Two copies of one record from the same place (as a sync might bring them): the older, then the newer, then the older again.
        var older = $"NCT01234568\nA Phase 1 Study of CD19 CAR-T Cells in Lymphoma\nOverall Status: RECRUITING\n";
        var newer = older.Replace("RECRUITING", "COMPLETED", StringComparison.Ordinal);
        await ImportTextAsync(older, "NCT01234568.txt");
        var second = await ImportTextAsync(newer, "NCT01234568.txt");
        Assert.Equal(ImportOutcome.Updated, Assert.Single(second.Records).Outcome);

        var again = await ImportTextAsync(older, "NCT01234568.txt");
        var record = Assert.Single(again.Records);
        Assert.Equal(ImportOutcome.Unchanged, record.Outcome);
        Assert.Equal(2, record.Version);
        await using var db = Db();
        Assert.Equal("COMPLETED", db.Trials.Single(t => t.RegistryId == "NCT01234568").Status);
    }
}
