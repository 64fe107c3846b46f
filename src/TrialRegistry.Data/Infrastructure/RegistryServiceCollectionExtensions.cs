using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrialRegistry.Data.Store;

namespace TrialRegistry.Data.Infrastructure;

public static class RegistryServiceCollectionExtensions
{
    /// <summary>The DbContext, the data source and the store, all on the connection settled at start-up.</summary>
    public static IServiceCollection AddRegistryData(this IServiceCollection services)
    {
        services.AddSingleton<RegistryDataSource>();
        services.AddSingleton(sp => sp.GetRequiredService<RegistryDataSource>().DataSource);
        services.AddDbContext<RegistryDbContext>((sp, options) =>
            RegistryDatabase.Configure(options, sp.GetRequiredService<RegistryDataSource>().DataSource));
        services.AddScoped<TrialStore>();
        services.AddScoped<ValueFlags>();
        services.AddScoped<DocumentImporter>();
        // Public reads: on the replicas when ConnectionStrings:RegistryRead is set (RegistryReads).
        services.AddScoped<RegistryReads>();
        services.AddSingleton(sp => new Search.FacetIndex(
            sp.GetRequiredService<RegistryDataSource>().ReadDataSource, sp.GetRequiredService<ILogger<Search.FacetIndex>>()));
        services.AddScoped(sp => new Search.TrialSearch(sp.GetRequiredService<RegistryReads>().Db, sp.GetRequiredService<Search.FacetIndex>()));
        services.AddScoped(sp => new Search.Prescreener(sp.GetRequiredService<RegistryReads>().Db, sp.GetRequiredService<Search.TrialSearch>(), sp.GetRequiredService<Search.FacetIndex>()));
        services.AddScoped<Search.TrialReader>();
        services.AddKeyedScoped(RegistryReads.Key, (sp, _) => new Search.TrialReader(sp.GetRequiredService<RegistryReads>().Db));
        services.AddSingleton<Search.ChangeFeed>();
        services.AddSingleton<Search.RegistryExport>();
        services.AddScoped(sp => new Search.AntigenLandscape(sp.GetRequiredService<RegistryReads>().Db));
        services.AddScoped<Uploads.IngestionQueue>();
        services.AddScoped<Uploads.UploadIntake>();
        services.AddScoped<Admins.AdminAccounts>();
        return services;
    }
}
