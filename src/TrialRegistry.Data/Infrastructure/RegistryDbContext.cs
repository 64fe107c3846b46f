using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Model;

namespace TrialRegistry.Data.Infrastructure;

public sealed class RegistryDbContext(DbContextOptions<RegistryDbContext> options) : DbContext(options)
{
    public DbSet<Trial> Trials => Set<Trial>();
    public DbSet<Arm> Arms => Set<Arm>();
    public DbSet<Intervention> Interventions => Set<Intervention>();
    public DbSet<DoseLevel> DoseLevels => Set<DoseLevel>();
    public DbSet<TargetAntigen> TargetAntigens => Set<TargetAntigen>();
    public DbSet<Condition> Conditions => Set<Condition>();
    public DbSet<Eligibility> Eligibilities => Set<Eligibility>();
    public DbSet<EligibilityCriterion> EligibilityCriteria => Set<EligibilityCriterion>();
    public DbSet<Sponsor> Sponsors => Set<Sponsor>();
    public DbSet<Location> Locations => Set<Location>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Outcome> Outcomes => Set<Outcome>();
    public DbSet<SourceDocument> SourceDocuments => Set<SourceDocument>();
    public DbSet<TrialDocument> TrialDocuments => Set<TrialDocument>();
    public DbSet<TrialVersion> TrialVersions => Set<TrialVersion>();
    public DbSet<Correction> Corrections => Set<Correction>();
    public DbSet<ValueFlag> ValueFlags => Set<ValueFlag>();
    public DbSet<AdminUser> AdminUsers => Set<AdminUser>();
    public DbSet<AdminSession> AdminSessions => Set<AdminSession>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Sync.SyncRun> SyncRuns => Set<Sync.SyncRun>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Upload> Uploads => Set<Upload>();
    public DbSet<UploadBatch> UploadBatches => Set<UploadBatch>();
    public DbSet<IngestionJob> IngestionJobs => Set<IngestionJob>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(RegistryDbContext).Assembly);
        modelBuilder.HasDbFunction(typeof(RegistryDbContext).GetMethod(nameof(TextDistance))!).HasName("text_distance").HasSchema("public");
    }

    /// <summary>
    /// How far a trial's text is from a full-text query (the RUM extension's <c>&lt;=&gt;</c>: the inverse of its rank, so
    /// the nearest is the most relevant). An SQL function the RankedFullText migration creates only where RUM is
    /// installed; PostgreSQL inlines it, so ordering by it is the RUM index's ordered scan. Only in LINQ queries.
    /// </summary>
    public static float TextDistance(NpgsqlTypes.NpgsqlTsVector vector, NpgsqlTypes.NpgsqlTsQuery query) =>
        throw new InvalidOperationException("TextDistance is translated to SQL; it cannot run in memory.");
}
