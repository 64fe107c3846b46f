using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Search;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>
/// A trial's record is one SQL statement that builds it as JSON: every part must say what the stored rows say, and
/// reading it must take one round trip however many lists the trial has.
/// </summary>
public sealed class TrialRecordTests(PostgresServer server) : DatabaseTestBase(server)
{
    [Fact]
    public async Task Every_trial_reads_as_its_rows_say()
    {
        await FacetIndexTests.LoadCorpusAsync(DataSource);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(SharedPaths.Corpus, "ctgov-json")).Order(StringComparer.Ordinal).Take(40))
        {
            await ImportFileAsync(file);
        }

        await using var db = Db();
        var ids = await db.Trials.Select(t => t.RegistryId).ToListAsync(TestContext.Current.CancellationToken);
        var corrected = ids[ids.Count / 2];
        Assert.True((await Store.CorrectAsync(corrected, "title", "\"A corrected title\"", "typo", "curator", "test", TestContext.Current.CancellationToken)).Outcome == TrialRegistry.Data.Store.CurationOutcome.Corrected);
        Assert.True((await Store.CorrectAsync(corrected, "modality", null, "not stated", "curator", "test", TestContext.Current.CancellationToken)).Outcome == TrialRegistry.Data.Store.CurationOutcome.Corrected);

        var parts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var read = await new TrialReader(db).GetAsync(id, TestContext.Current.CancellationToken);
            var expected = await FromEntitiesAsync(db, id);
            Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(read));
            Count(parts, "arms", read!.Arms.Count);
            Count(parts, "arm doses", read.Arms.Sum(a => a.DoseLevels.Count));
            Count(parts, "arm interventions", read.Arms.Sum(a => a.Interventions.Count));
            Count(parts, "criteria", read.Eligibility?.Inclusion.Count ?? 0);
            Count(parts, "locations with coordinates", read.Locations.Count(l => l.Latitude is not null));
            Count(parts, "contacts", read.Contacts.Count);
            Count(parts, "outcomes", read.Outcomes.Count);
            Count(parts, "document warnings", read.SourceDocuments.Sum(d => d.WarningDetails.Count));
            Count(parts, "corrections", read.Corrections.Count);
        }

        // The corpus exercises every part (a part no trial has would be compared as empty lists only).
        Assert.All(parts, p => Assert.True(p.Value > 0, $"no trial has {p.Key}"));
        Assert.Null(await new TrialReader(db).GetAsync("NCT00000000", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_record_is_one_round_trip()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(SharedPaths.Corpus, "ctgov-json")).Order(StringComparer.Ordinal).Take(5))
        {
            await ImportFileAsync(file);
        }

        var commands = new CommandCounter();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(commands));
        var builder = new NpgsqlDataSourceBuilder(ConnectionString);
        builder.UseLoggerFactory(loggers);
        await using var counted = builder.Build();
        var options = new DbContextOptionsBuilder<RegistryDbContext>();
        RegistryDatabase.Configure(options, counted);
        await using var db = new RegistryDbContext(options.Options);
        var id = await db.Trials.OrderBy(t => t.Id).Select(t => t.RegistryId).FirstAsync(TestContext.Current.CancellationToken);

        var before = commands.Count;
        var record = await new TrialReader(db).GetAsync(id, TestContext.Current.CancellationToken);
        Assert.NotNull(record);
        Assert.NotEmpty(record.Locations);
        Assert.Equal(1, commands.Count - before);
    }

    private static void Count(Dictionary<string, int> parts, string part, int count) => parts[part] = parts.GetValueOrDefault(part) + count;

    /// <summary>The record as the entities give it, read through EF Core (the way the reader read it before it was one statement).</summary>
    private static async Task<TrialDetail> FromEntitiesAsync(RegistryDbContext db, string registryId)
    {
        var t = await db.Trials.AsNoTracking()
            .Include(x => x.Arms).ThenInclude(a => a.Interventions)
            .Include(x => x.Arms).ThenInclude(a => a.DoseLevels)
            .Include(x => x.Interventions).Include(x => x.DoseLevels).Include(x => x.TargetAntigens).Include(x => x.Conditions)
            .Include(x => x.Eligibility).Include(x => x.Criteria).Include(x => x.Sponsors).Include(x => x.Locations)
            .Include(x => x.Contacts).Include(x => x.Outcomes)
            .SingleAsync(x => x.RegistryId == registryId, TestContext.Current.CancellationToken);
        var documents = await db.TrialDocuments.AsNoTracking().Where(d => d.TrialId == t.Id).OrderBy(d => d.ReceivedAt).ThenBy(d => d.Id)
            .Select(d => new { d.SourceDocumentId, d.SourceDocument.FileName, d.Format, d.SourceDocument.Sha256, d.ReceivedAt, d.RecordKey, d.Superseded, d.Record })
            .ToListAsync(TestContext.Current.CancellationToken);
        var corrections = await db.Corrections.AsNoTracking().Where(c => c.TrialId == t.Id && c.ReleasedAt == null)
            .ToListAsync(TestContext.Current.CancellationToken);

        static List<DoseSummary> Doses(IEnumerable<Model.DoseLevel> doses) => [.. doses.OrderBy(d => d.Ordinal).ThenBy(d => d.Id).Select(d => new DoseSummary(d.Text, d.Value, d.Unit))];
        List<CriterionDetail> Criteria(string kind) => [.. t.Criteria.Where(c => c.Kind == kind).OrderBy(c => c.Ordinal).ThenBy(c => c.Id).Select(c => new CriterionDetail(c.Text, c.SubItems))];
        static List<ParseWarning> Warnings(string record)
        {
            using var json = JsonDocument.Parse(record);
            return json.RootElement.TryGetProperty("warnings", out var w) && w.ValueKind == JsonValueKind.Array
                ? JsonSerializer.Deserialize<List<ParseWarning>>(w, RecordJson.Options)!
                : [];
        }

        return new TrialDetail
        {
            RegistryId = t.RegistryId, SecondaryIds = t.SecondaryIds, Title = t.Title, OfficialTitle = t.OfficialTitle, BriefSummary = t.BriefSummary,
            DetailedDescription = t.DetailedDescription, Status = t.Status, Phases = t.Phases, StudyType = t.StudyType,
            Enrollment = t.EnrollmentCount is null && t.EnrollmentType is null ? null : new EnrollmentDetail(t.EnrollmentCount, t.EnrollmentType),
            StartDate = t.StartDate, CompletionDate = t.CompletionDate, LastUpdated = t.LastUpdated,
            Conditions = [.. t.Conditions.OrderBy(c => c.Ordinal).ThenBy(c => c.Id).Select(c => c.Name)],
            TargetAntigens = [.. t.TargetAntigens.OrderBy(a => a.Symbol, StringComparer.Ordinal).Select(a => new AntigenRef(a.Symbol, a.Name))],
            Modality = t.Modality, ProductType = t.ProductType, Products = t.Products, Routes = t.Routes, Lymphodepletion = t.Lymphodepletion,
            DoseLevels = Doses(t.DoseLevels),
            Arms = [.. t.Arms.OrderBy(a => a.Ordinal).ThenBy(a => a.Id).Select(a => new ArmDetail(a.Label, a.Type, a.Description, a.Routes,
                [.. a.Interventions.OrderBy(i => i.Ordinal).ThenBy(i => i.Id).Select(i => i.Name)], Doses(a.DoseLevels)))],
            Interventions = [.. t.Interventions.OrderBy(i => i.Ordinal).ThenBy(i => i.Id).Select(i => new InterventionDetail(i.Name, i.Type, i.Description, i.OtherNames))],
            Eligibility = t.Eligibility is not { } e ? null
                : new EligibilityDetail(e.MinAgeYears, e.MaxAgeYears, e.Sex, e.HealthyVolunteers, Criteria("INCLUSION"), Criteria("EXCLUSION"), e.CriteriaText),
            Sponsors = [.. t.Sponsors.OrderBy(s => s.Ordinal).ThenBy(s => s.Id).Select(s => new SponsorDetail(s.Name, s.Role, s.Class))],
            Locations = [.. t.Locations.OrderBy(l => l.Ordinal).ThenBy(l => l.Id).Select(l => new LocationDetail(l.Facility, l.City, l.State, l.Country, l.Status, l.Latitude, l.Longitude))],
            Contacts = [.. t.Contacts.OrderBy(c => c.Ordinal).ThenBy(c => c.Id).Select(c => new ContactDetail(c.Name, c.Role, c.Phone, c.Email))],
            Outcomes = [.. t.Outcomes.OrderBy(o => o.Ordinal).ThenBy(o => o.Id).Select(o => new OutcomeDetail(o.Kind, o.Measure, o.Description, o.TimeFrame))],
            Inferred = t.Inferred, Completeness = t.Completeness, NotStated = t.NotStated, Warnings = t.Warnings,
            SourceDocuments = [.. documents.Select(d => new SourceDocumentRef(d.SourceDocumentId, d.FileName, d.Format, d.Sha256, d.ReceivedAt, d.RecordKey, d.Superseded)
            {
                WarningDetails = Warnings(d.Record),
            })],
            FieldSources = t.FieldSources,
            Corrections = [.. corrections.OrderBy(c => c.Field, StringComparer.Ordinal).Select(c => new CorrectionDetail(
                c.Field, c.Value is null ? null : JsonDocument.Parse(c.Value).RootElement.Clone(), c.Reason, c.CorrectedBy, c.CorrectedAt))],
            Version = t.Version, Withdrawn = t.Withdrawn, MergedInto = t.MergedInto, UpdatedAt = t.UpdatedAt, ContentHash = t.ContentHash,
        };
    }

    /// <summary>Counts the commands Npgsql executes (its "Command execution completed" debug events).</summary>
    private sealed class CommandCounter : ILoggerProvider, ILogger
    {
        private int _count;

        public int Count => _count;

        public ILogger CreateLogger(string categoryName) => categoryName == "Npgsql.Command" ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).StartsWith("Command execution completed", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }

        public void Dispose()
        {
        }
    }
}
