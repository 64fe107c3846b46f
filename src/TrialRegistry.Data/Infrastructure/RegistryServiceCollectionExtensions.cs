using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
        services.AddSingleton<Search.FacetIndex>();
        services.AddScoped<Search.TrialSearch>();
        services.AddScoped<Search.RawSearch>();
        services.AddScoped<Search.TrialReader>();
        services.AddSingleton<Search.ChangeFeed>();
        services.AddSingleton<Search.RegistryExport>();
        services.AddScoped<Search.AntigenLandscape>();
        services.AddScoped<Ingestion.IngestionQueue>();
        services.AddScoped<Ingestion.UploadIntake>();
        services.AddScoped<Ingestion.AdminAccounts>();
        return services;
    }
}
