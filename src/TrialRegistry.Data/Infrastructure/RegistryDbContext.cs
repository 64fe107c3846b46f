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
    }
}
