using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.LocalDatabase;
using TrialRegistry.Data.Store;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>Settings of the sample documents loaded into an empty registry (section <c>Seeds</c>).</summary>
public sealed class SeedOptions
{
    public const string Section = "Seeds";

    /// <summary>The folder of sample documents; relative paths are taken from the repository root.</summary>
    public string Path { get; set; } = "../shared/seeds";

    public bool LoadWhenEmpty { get; set; } = true;
}

/// <summary>At start-up: settle the database, apply migrations, and load the seed documents into an empty registry.</summary>
public sealed class DatabaseInitializer(IServiceProvider services, IConfiguration configuration, Microsoft.Extensions.Options.IOptions<SeedOptions> seedOptions, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var dataSource = services.GetRequiredService<RegistryDataSource>();
        string connectionString;
        try
        {
            connectionString = await RegistryConnection.ResolveAsync(configuration, logger, cancellationToken);
        }
        catch (LocalPostgresUnavailableException ex)
        {
            logger.LogCritical("No database for the registry: {Reason}", ex.Message);
            throw;
        }

        var reads = configuration.GetConnectionString(RegistryDataSource.ReadConnectionStringName);
        dataSource.Initialize(connectionString, reads);
        if (dataSource.HasReplicas)
        {
            logger.LogInformation("Public reads (search, facets, trial records) go to ConnectionStrings:{Name}", RegistryDataSource.ReadConnectionStringName);
        }

        await RegistryConnection.MigrateAsync(connectionString, cancellationToken);
        logger.LogInformation("Database schema is up to date");

        await BootstrapAdminAsync(cancellationToken);
        var seeds = seedOptions.Value;
        if (seeds.LoadWhenEmpty)
        {
            await LoadSeedsAsync(seeds, cancellationToken);
        }
    }

    /// <summary>The first admin from configuration (Admin:BootstrapUser and Admin:BootstrapPassword), when that admin does not exist yet.</summary>
    private async Task BootstrapAdminAsync(CancellationToken cancellationToken)
    {
        var user = configuration["Admin:BootstrapUser"];
        var password = configuration["Admin:BootstrapPassword"];
        if (string.IsNullOrWhiteSpace(user) || string.IsNullOrEmpty(password))
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
        if (await db.AdminUsers.AnyAsync(u => u.UserName == user, cancellationToken))
        {
            return;
        }

        await scope.ServiceProvider.GetRequiredService<Data.Admins.AdminAccounts>().CreateAsync(user, password, cancellationToken);
        logger.LogInformation("Created the admin {UserName} from configuration", user);
    }

    private async Task LoadSeedsAsync(SeedOptions seeds, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
        if (await db.Trials.AnyAsync(cancellationToken))
        {
            return;
        }

        var folder = RepositoryRoot.Resolve(seeds.Path);
        if (!Directory.Exists(folder))
        {
            logger.LogWarning(
                "The registry is empty and the seed folder {SeedFolder} does not exist. Import documents with " +
                "'dotnet run --project src/TrialRegistry.Cli -- import PATH...' or set Seeds:Path (Seeds__Path) to a folder of trial documents",
                folder);
            return;
        }

        var importer = scope.ServiceProvider.GetRequiredService<DocumentImporter>();
        int trials = 0, failed = 0;
        foreach (var file in DocumentImporter.ExpandPaths([folder]))
        {
            var result = await importer.ImportFileAsync(file, new Data.Store.AdminAction("system", "seed load"), cancellationToken);
            trials += result.Records.Count;
            if (result.Error is not null)
            {
                failed++;
                logger.LogWarning("Seed document {File} could not be read: {Reason}", file, result.Error);
            }
        }

        logger.LogInformation("Loaded {Trials} trials from the seed folder {SeedFolder} ({Failed} documents unreadable)", trials, folder, failed);
    }
}
