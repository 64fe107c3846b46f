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
    }
}
