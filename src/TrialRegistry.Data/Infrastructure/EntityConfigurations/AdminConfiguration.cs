using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TrialRegistry.Data.Model;

namespace TrialRegistry.Data.Infrastructure.EntityConfigurations;

public sealed class AdminUserConfiguration : IEntityTypeConfiguration<AdminUser>
{
    public void Configure(EntityTypeBuilder<AdminUser> builder)
    {
        builder.HasIndex(u => u.UserName).IsUnique();
        builder.Property(u => u.UserName).HasMaxLength(100);
        builder.Property(u => u.Role).HasConversion<string>().HasMaxLength(20);
        builder.Property(u => u.SecurityStamp).HasMaxLength(64);
    }
}

public sealed class AdminSessionConfiguration : IEntityTypeConfiguration<AdminSession>
{
    public void Configure(EntityTypeBuilder<AdminSession> builder)
    {
        builder.HasKey(s => s.TokenHash);
        builder.Property(s => s.TokenHash).HasMaxLength(64);
        builder.HasIndex(s => s.AdminUserId);
        // Removing an admin removes their sessions with them.
        builder.HasOne<AdminUser>().WithMany().HasForeignKey(s => s.AdminUserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.HasIndex(k => k.KeyHash).IsUnique();
        builder.HasIndex(k => k.AdminUserId);
        builder.Property(k => k.KeyHash).HasMaxLength(64);
        builder.Property(k => k.Name).HasMaxLength(100);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        // Removing an admin removes their keys with them.
        builder.HasOne<AdminUser>().WithMany().HasForeignKey(k => k.AdminUserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder) => builder.HasIndex(a => a.At);
}

public sealed class UploadConfiguration : IEntityTypeConfiguration<Upload>
{
    public void Configure(EntityTypeBuilder<Upload> builder)
    {
        builder.HasIndex(u => u.BatchId);
        // Stored by name, as every vocabulary value is (the SQL of the ingestion queue reads the same names).
        builder.Property(u => u.Status).HasConversion(
            v => TrialRegistry.Ingestion.Model.VocabularyNames.ToName(v),
            v => TrialRegistry.Ingestion.Model.VocabularyNames.Parse<UploadStatus>(v)!.Value);
        builder.Property(u => u.Preview).HasColumnType("jsonb");
        builder.HasOne<UploadBatch>().WithMany().HasForeignKey(u => u.BatchId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(u => u.MatchDecisions)
            .HasColumnType("jsonb")
            .HasDefaultValueSql("'{}'::jsonb")
            .HasConversion(
                v => System.Text.Json.JsonSerializer.Serialize(v, (System.Text.Json.JsonSerializerOptions?)null),
                v => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(v, (System.Text.Json.JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    v => v.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value)),
                    v => new Dictionary<string, string>(v)));
    }
}

public sealed class UploadBatchConfiguration : IEntityTypeConfiguration<UploadBatch>
{
    public void Configure(EntityTypeBuilder<UploadBatch> builder) => builder.HasIndex(b => b.CreatedAt);
}

public sealed class IngestionJobConfiguration : IEntityTypeConfiguration<IngestionJob>
{
    public void Configure(EntityTypeBuilder<IngestionJob> builder)
    {
        builder.Property(j => j.Result).HasColumnType("jsonb");
        builder.HasIndex(j => new { j.Status, j.Id });
        builder.HasIndex(j => j.BatchId);
        builder.HasIndex(j => j.UploadId).IsUnique(); // one job per upload: confirming twice queues nothing more
        builder.HasOne<Upload>().WithMany().HasForeignKey(j => j.UploadId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<UploadBatch>().WithMany().HasForeignKey(j => j.BatchId).OnDelete(DeleteBehavior.Restrict);
    }
}
