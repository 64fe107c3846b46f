using Microsoft.Extensions.Options;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Sync;

namespace TrialRegistry.Web.Infrastructure;

/// <summary>
/// Runs the sync from ClinicalTrials.gov on a schedule (Sync:EveryHours) while Sync:BaseUrl is set; off otherwise.
/// A run that fails is resumed by the next. Several app instances may run it: each run takes a lock in the
/// database, so only one runs at a time.
/// </summary>
public sealed class SyncWorker(IServiceProvider services, IOptions<SyncOptions> options, IHttpClientFactory httpClients, ILogger<SyncWorker> logger) : BackgroundService
{
    public const string HttpClientName = "ctgov";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.BaseUrl))
        {
            logger.LogInformation("The sync from ClinicalTrials.gov is off (no Sync:BaseUrl)");
            return;
        }

        var database = services.GetRequiredService<RegistryDataSource>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (database.IsInitialized)
                {
                    await RunOnceAsync(services, httpClients, "schedule", stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning(ex, "The sync could not run; it tries again at its next time");
            }

            await Task.Delay(TimeSpan.FromHours(Math.Max(0.01, options.Value.EveryHours)), stoppingToken);
        }
    }

    /// <summary>One run (the schedule's, or an admin's "run now"), unless another is under way: then null.</summary>
    public static async Task<SyncRun?> RunOnceAsync(IServiceProvider services, IHttpClientFactory httpClients, string trigger, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var dataSource = scope.ServiceProvider.GetRequiredService<Npgsql.NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended('trialregistry:sync', 0))", connection))
        {
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            {
                return null;
            }
        }

        try
        {
            var sync = scope.ServiceProvider.GetRequiredService<CtGovSync>();
            return await sync.RunAsync(httpClients.CreateClient(HttpClientName), trigger, cancellationToken);
        }
        finally
        {
            await using var release = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended('trialregistry:sync', 0))", connection);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }
}
