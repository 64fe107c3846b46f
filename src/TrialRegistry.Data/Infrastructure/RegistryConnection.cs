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
        await BackfillConditionKindsAsync(db, cancellationToken);
        await BackfillEligibilityChecksAsync(db, cancellationToken);
    }

    /// <summary>
    /// Each trial's structured eligibility checks are read from its criteria when it is stored. Trials stored before
    /// the reader existed, or read by another version of it (<c>knowledge_fingerprints</c>), get them again from their
    /// stored criteria, a thousand trials a batch.
    /// </summary>
    private static async Task BackfillEligibilityChecksAsync(RegistryDbContext db, CancellationToken cancellationToken)
    {
        var fingerprint = global::TrialRegistry.Ingestion.Extraction.EligibilityChecks.Version;
        var stored = await db.Database.SqlQuery<string>($"SELECT fingerprint AS \"Value\" FROM knowledge_fingerprints WHERE name = 'eligibility-checks'").ToListAsync(cancellationToken);
        if (stored.Count > 0 && stored[0] != fingerprint)
        {
            await db.Database.ExecuteSqlAsync($"UPDATE eligibilities SET checks = NULL", cancellationToken);
        }

        while (true)
        {
            var ids = await db.Set<Model.Eligibility>().AsNoTracking().Where(e => e.Checks == null).OrderBy(e => e.TrialId).Take(1000).Select(e => e.TrialId).ToArrayAsync(cancellationToken);
            if (ids.Length == 0)
            {
                break;
            }

            var criteria = (await db.EligibilityCriteria.AsNoTracking().Where(c => ids.Contains(c.TrialId)).OrderBy(c => c.TrialId).ThenBy(c => c.Ordinal)
                .Select(c => new { c.TrialId, c.Kind, c.Text, c.SubItems }).ToListAsync(cancellationToken)).ToLookup(c => c.TrialId);
            // Reading criteria is the slow part (a few hundred microseconds a criterion): both cores read.
            IEnumerable<global::TrialRegistry.Ingestion.Model.Criterion> Of(long id, string kind) =>
                criteria[id].Where(c => c.Kind == kind).Select(c => new global::TrialRegistry.Ingestion.Model.Criterion(c.Text, c.SubItems));
            var checks = ids.AsParallel().AsOrdered()
                .Select(id => global::TrialRegistry.Ingestion.Extraction.EligibilityChecks.ToJson(global::TrialRegistry.Ingestion.Extraction.EligibilityChecks.From(Of(id, "INCLUSION"), Of(id, "EXCLUSION"))))
                .ToArray();
            await db.Database.ExecuteSqlAsync($"""
                UPDATE eligibilities e SET checks = u.checks::jsonb
                FROM unnest({ids}, {checks}) AS u(id, checks)
                WHERE e.trial_id = u.id
                """, cancellationToken);
        }

        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO knowledge_fingerprints (name, fingerprint) VALUES ('eligibility-checks', {fingerprint})
            ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint
            """, cancellationToken);
    }

    /// <summary>
    /// The kinds of disease and the disease concepts of each trial's conditions are derived from the knowledge files
    /// (Knowledge/disease-categories.json, diseases.json). Trials stored before these existed, or under another
    /// version of the files (the fingerprints in <c>knowledge_fingerprints</c> differ), get them again from their
    /// conditions, a few thousand rows a batch, so the filters and facets know every trial by today's vocabulary.
    /// </summary>
    private static async Task BackfillConditionKindsAsync(RegistryDbContext db, CancellationToken cancellationToken)
    {
        var fingerprint = global::TrialRegistry.Ingestion.Extraction.DiseaseCategories.Fingerprint + "-" + global::TrialRegistry.Ingestion.Extraction.DiseaseConcepts.Fingerprint;
        var stored = await db.Database.SqlQuery<string>($"SELECT fingerprint AS \"Value\" FROM knowledge_fingerprints WHERE name = 'conditions'").ToListAsync(cancellationToken);
        if (stored.Count > 0 && stored[0] != fingerprint)
        {
            await db.Database.ExecuteSqlAsync($"UPDATE trials SET disease_categories = NULL, condition_concepts = NULL", cancellationToken);
        }

        while (true)
        {
            var batch = await db.Trials.AsNoTracking().Where(t => t.DiseaseCategories == null || t.ConditionConcepts == null).OrderBy(t => t.Id).Take(2000)
                .Select(t => new { t.Id, Conditions = t.Conditions.Select(c => c.Name).ToList() })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var ids = batch.Select(b => b.Id).ToArray();
            var categories = batch.Select(b => string.Join('|', global::TrialRegistry.Ingestion.Extraction.DiseaseCategories.Of(b.Conditions))).ToArray();
            var concepts = batch.Select(b => string.Join('|', global::TrialRegistry.Ingestion.Extraction.DiseaseConcepts.Of(b.Conditions))).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                UPDATE trials t
                SET disease_categories = CASE WHEN u.categories = '' THEN ARRAY[]::text[] ELSE string_to_array(u.categories, '|') END,
                    condition_concepts = CASE WHEN u.concepts = '' THEN ARRAY[]::text[] ELSE string_to_array(u.concepts, '|') END
                FROM unnest({ids}, {categories}, {concepts}) AS u(id, categories, concepts)
                WHERE t.id = u.id
                """, cancellationToken);
        }

        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO knowledge_fingerprints (name, fingerprint) VALUES ('conditions', {fingerprint})
            ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint
            """, cancellationToken);
    }
}
