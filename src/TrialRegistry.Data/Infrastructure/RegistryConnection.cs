using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using TrialRegistry.Data.LocalDatabase;
using TrialRegistry.Data.Store;

namespace TrialRegistry.Data.Infrastructure;

/// <summary>Where the registry's database is: the configured connection string, else the project's own local cluster.</summary>
public static class RegistryConnection
{
    public static async Task<string> ResolveAsync(IConfiguration configuration, ILogger logger, CancellationToken cancellationToken = default)
    {
        var configured = configuration.GetConnectionString(RegistryDatabase.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            logger.LogInformation("Using the configured database (ConnectionStrings:{Name})", RegistryDatabase.ConnectionStringName);
            return configured;
        }

        var options = configuration.GetSection(LocalPostgresOptions.Section).Get<LocalPostgresOptions>() ?? new LocalPostgresOptions();
        var cluster = new LocalPostgresCluster(options, logger);
        logger.LogInformation("No ConnectionStrings:{Name} configured: using the local PostgreSQL cluster in {DataDirectory}", RegistryDatabase.ConnectionStringName, cluster.DataDirectory);
        return await cluster.EnsureStartedAsync(cancellationToken: cancellationToken);
    }

    /// <summary>Applies pending migrations and brings the antigen vocabulary up to date.</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var db = RegistryDatabase.CreateContext(connectionString);
        await db.Database.MigrateAsync(cancellationToken);
        await TrialStore.SyncAntigenVocabularyAsync(db, cancellationToken);
        await BackfillDiseaseCategoriesAsync(db, cancellationToken);
    }

    /// <summary>
    /// Trials stored before disease categories existed get them from their conditions (a few thousand rows a batch),
    /// so the category filter knows every trial.
    /// </summary>
    private static async Task BackfillDiseaseCategoriesAsync(RegistryDbContext db, CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = await db.Trials.AsNoTracking().Where(t => t.DiseaseCategories == null).OrderBy(t => t.Id).Take(2000)
                .Select(t => new { t.Id, Conditions = t.Conditions.Select(c => c.Name).ToList() })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return;
            }

            var ids = batch.Select(b => b.Id).ToArray();
            var categories = batch.Select(b => string.Join('|', global::TrialRegistry.Ingestion.Extraction.DiseaseCategories.Of(b.Conditions))).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                UPDATE trials t SET disease_categories = CASE WHEN u.categories = '' THEN ARRAY[]::text[] ELSE string_to_array(u.categories, '|') END
                FROM unnest({ids}, {categories}) AS u(id, categories)
                WHERE t.id = u.id
                """, cancellationToken);
        }
    }
}
