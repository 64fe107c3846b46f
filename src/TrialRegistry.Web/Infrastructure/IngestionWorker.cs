using TrialRegistry.Data.Infrastructure;
using Microsoft.Extensions.Options;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>Settings of the background ingestion (section <c>Ingestion</c>).</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    public bool Enabled { get; set; } = true;
    public int Workers { get; set; } = 1;
    public double IdleSeconds { get; set; } = 1;
}

/// <summary>Works through the ingestion queue; several instances (and several apps) share it safely.</summary>
public sealed class IngestionWorker(IServiceProvider services, IOptions<IngestionOptions> settings, ILogger<IngestionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = settings.Value;
        if (!options.Enabled)
        {
            logger.LogInformation("Background ingestion is disabled (Ingestion:Enabled=false)");
            return;
        }

        await Task.WhenAll(Enumerable.Range(0, options.Workers).Select(_ => RunAsync(options, stoppingToken)));
    }

    private async Task RunAsync(IngestionOptions options, CancellationToken stoppingToken)
    {
        var database = services.GetRequiredService<RegistryDataSource>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var worked = false;
                if (database.IsInitialized)
                {
                    await using var scope = services.CreateAsyncScope();
                    worked = await scope.ServiceProvider.GetRequiredService<IngestionQueue>().ProcessNextAsync(stoppingToken);
                }

                if (!worked)
                {
                    await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Ingestion worker could not reach the database; retrying");
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}
