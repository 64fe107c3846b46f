using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialRegistry.Data.Model;

namespace TrialRegistry.Data.Infrastructure.EntityConfigurations;

public sealed class TrialConfiguration : IEntityTypeConfiguration<Trial>
{
    public void Configure(EntityTypeBuilder<Trial> builder)
    {
        builder.HasIndex(t => t.RegistryId).IsUnique();
        builder.Property(t => t.RegistryId).HasMaxLength(64);
        builder.Property(t => t.Status).HasMaxLength(40);
        builder.Property(t => t.StudyType).HasMaxLength(40);
        builder.Property(t => t.EnrollmentType).HasMaxLength(20);
        builder.Property(t => t.ContentHash).HasMaxLength(64);
        builder.HasIndex(t => t.Status);
        builder.HasIndex(t => t.UpdatedAt); // feeds: the trials changed last
        builder.HasIndex(t => t.Modality);
        builder.HasIndex(t => t.ProductType);
        builder.Property(t => t.Completeness).HasMaxLength(20).HasDefaultValue("FULL");
        builder.Property(t => t.NotStated).HasDefaultValueSql("'{}'::text[]");
        builder.Property(t => t.MergedInto).HasMaxLength(64);
        builder.HasIndex(t => t.Phases).HasMethod("gin");
        builder.HasIndex(t => t.Routes).HasMethod("gin");
        builder.HasIndex(t => t.SecondaryIds).HasMethod("gin");
        builder.HasIndex(t => t.DiseaseCategories).HasMethod("gin");
        builder.HasIndex(t => t.ConditionConcepts).HasMethod("gin");
        builder.HasIndex(t => t.LastUpdated);
        builder.HasIndex(t => t.StartDate);
        builder.Property(t => t.FieldSources)
            .HasColumnType("jsonb")
            .HasConversion(
                v => JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                v => JsonSerializer.Deserialize<Dictionary<string, long>>(v, (JsonSerializerOptions?)null) ?? new Dictionary<string, long>(),
                new ValueComparer<Dictionary<string, long>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
                    v => new Dictionary<string, long>(v)));
        builder.Property(t => t.SearchVector)
            .HasComputedColumnSql(
                "setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(search_text, '')), 'B')",
                stored: true);
        builder.HasIndex(t => t.SearchVector).HasMethod("gin");

        builder.HasMany(t => t.Arms).WithOne().HasForeignKey(a => a.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Interventions).WithOne().HasForeignKey(i => i.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.DoseLevels).WithOne().HasForeignKey(d => d.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Conditions).WithOne().HasForeignKey(c => c.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(t => t.Eligibility).WithOne().HasForeignKey<Eligibility>(e => e.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Criteria).WithOne().HasForeignKey(c => c.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Sponsors).WithOne().HasForeignKey(s => s.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Locations).WithOne().HasForeignKey(l => l.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Contacts).WithOne().HasForeignKey(c => c.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Outcomes).WithOne().HasForeignKey(o => o.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Documents).WithOne().HasForeignKey(d => d.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Versions).WithOne().HasForeignKey(v => v.TrialId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.TargetAntigens).WithMany(a => a.Trials)
            .UsingEntity("trial_target_antigens",
                r => r.HasOne(typeof(TargetAntigen)).WithMany().HasForeignKey("target_antigen_id").OnDelete(DeleteBehavior.Cascade),
                l => l.HasOne(typeof(Trial)).WithMany().HasForeignKey("trial_id").OnDelete(DeleteBehavior.Cascade),
                j =>
                {
                    j.HasKey("trial_id", "target_antigen_id");
                    j.HasIndex("target_antigen_id", "trial_id");
                });
    }
}

public sealed class ArmConfiguration : IEntityTypeConfiguration<Arm>
{
    public void Configure(EntityTypeBuilder<Arm> builder)
    {
        builder.HasIndex(a => new { a.TrialId, a.Ordinal });
        builder.HasMany(a => a.DoseLevels).WithOne().HasForeignKey(d => d.ArmId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.Interventions).WithMany(i => i.Arms)
            .UsingEntity("arm_interventions",
                r => r.HasOne(typeof(Intervention)).WithMany().HasForeignKey("intervention_id").OnDelete(DeleteBehavior.Cascade),
                l => l.HasOne(typeof(Arm)).WithMany().HasForeignKey("arm_id").OnDelete(DeleteBehavior.NoAction),
                j => j.HasKey("arm_id", "intervention_id"));
    }
}

public sealed class InterventionConfiguration : IEntityTypeConfiguration<Intervention>
{
    public void Configure(EntityTypeBuilder<Intervention> builder) => builder.HasIndex(i => new { i.TrialId, i.Ordinal });
}

public sealed class DoseLevelConfiguration : IEntityTypeConfiguration<DoseLevel>
{
    public void Configure(EntityTypeBuilder<DoseLevel> builder)
    {
        builder.Property(d => d.Unit).HasMaxLength(20);
        builder.HasIndex(d => new { d.Unit, d.Value, d.TrialId });
        builder.HasIndex(d => d.TrialId);
    }
}

public sealed class TargetAntigenConfiguration : IEntityTypeConfiguration<TargetAntigen>
{
    public void Configure(EntityTypeBuilder<TargetAntigen> builder)
    {
        builder.HasIndex(a => a.Symbol).IsUnique();
        builder.Property(a => a.Symbol).HasMaxLength(32);
    }
}

public sealed class ConditionConfiguration : IEntityTypeConfiguration<Condition>
{
    public void Configure(EntityTypeBuilder<Condition> builder)
    {
        builder.HasIndex(c => c.TrialId);
        builder.HasIndex(c => c.Name).HasMethod("gin").HasOperators("gin_trgm_ops");
    }
}

public sealed class EligibilityConfiguration : IEntityTypeConfiguration<Eligibility>
{
    public void Configure(EntityTypeBuilder<Eligibility> builder)
    {
        builder.HasKey(e => e.TrialId);
        builder.HasIndex(e => new { e.MinAgeYears, e.MaxAgeYears });
        builder.Property(e => e.Checks).HasColumnType("jsonb");
    }
}

public sealed class EligibilityCriterionConfiguration : IEntityTypeConfiguration<EligibilityCriterion>
{
    public void Configure(EntityTypeBuilder<EligibilityCriterion> builder) => builder.HasIndex(c => new { c.TrialId, c.Kind, c.Ordinal });
}

public sealed class SponsorConfiguration : IEntityTypeConfiguration<Sponsor>
{
    public void Configure(EntityTypeBuilder<Sponsor> builder) => builder.HasIndex(s => s.TrialId);
}

public sealed class LocationConfiguration : IEntityTypeConfiguration<Location>
{
    public void Configure(EntityTypeBuilder<Location> builder)
    {
        builder.HasIndex(l => l.TrialId);
        builder.HasIndex(l => new { l.Country, l.TrialId });
    }
}

public sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder) => builder.HasIndex(c => c.TrialId);
}

public sealed class OutcomeConfiguration : IEntityTypeConfiguration<Outcome>
{
    public void Configure(EntityTypeBuilder<Outcome> builder) => builder.HasIndex(o => o.TrialId);
}

public sealed class SourceDocumentConfiguration : IEntityTypeConfiguration<SourceDocument>
{
    public void Configure(EntityTypeBuilder<SourceDocument> builder)
    {
        builder.HasIndex(d => d.Sha256).IsUnique();
        builder.Property(d => d.Sha256).HasMaxLength(64);
    }
}

public sealed class TrialDocumentConfiguration : IEntityTypeConfiguration<TrialDocument>
{
    public void Configure(EntityTypeBuilder<TrialDocument> builder)
    {
        builder.Property(d => d.Record).HasColumnType("jsonb");
        builder.HasIndex(d => new { d.TrialId, d.SourceDocumentId, d.RecordKey }).IsUnique();
        builder.HasIndex(d => d.SourceDocumentId);
        builder.HasOne(d => d.SourceDocument).WithMany().HasForeignKey(d => d.SourceDocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class TrialVersionConfiguration : IEntityTypeConfiguration<TrialVersion>
{
    public void Configure(EntityTypeBuilder<TrialVersion> builder)
    {
        builder.Property(v => v.Snapshot).HasColumnType("jsonb");
        builder.HasIndex(v => new { v.TrialId, v.Version }).IsUnique();
    }
}

public sealed class CorrectionConfiguration : IEntityTypeConfiguration<Correction>
{
    public void Configure(EntityTypeBuilder<Correction> builder)
    {
        builder.Property(c => c.Value).HasColumnType("jsonb");
        builder.Property(c => c.Field).HasMaxLength(64);
        // One active correction a field: a new one releases the old.
        builder.HasIndex(c => new { c.TrialId, c.Field }).IsUnique().HasFilter("released_at IS NULL");
        builder.HasOne<Trial>().WithMany().HasForeignKey(c => c.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class ValueFlagConfiguration : IEntityTypeConfiguration<ValueFlag>
{
    public void Configure(EntityTypeBuilder<ValueFlag> builder)
    {
        builder.Property(f => f.Field).HasMaxLength(64);
        builder.Property(f => f.Message).HasMaxLength(1000);
        builder.HasIndex(f => f.CreatedAt).HasFilter("resolved_at IS NULL");
        builder.HasOne<Trial>().WithMany().HasForeignKey(f => f.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}
