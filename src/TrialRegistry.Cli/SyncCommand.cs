using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using TrialRegistry.Data.Store;
using TrialRegistry.Data.Sync;

namespace TrialRegistry.Cli;

/// <summary>
/// <c>sync [--base-url URL] [--connection CS]</c>: one run of the sync from ClinicalTrials.gov API v2 (resuming an
/// unfinished one), with the settings of section <c>Sync</c> (environment variables Sync__BaseUrl, Sync__Query, …).
/// </summary>
public static class SyncCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? connection = null, baseUrl = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--connection" when i + 1 < args.Length: connection = args[++i]; break;
                case "--base-url" when i + 1 < args.Length && Uri.TryCreate(args[i + 1], UriKind.Absolute, out _): baseUrl = args[++i]; break;
                default: return await CliApp.UsageErrorAsync(stderr, $"sync: unknown or incomplete option '{args[i]}'");
            }
        }

        var options = new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(SyncOptions.Section).Get<SyncOptions>() ?? new SyncOptions();
        options.BaseUrl = baseUrl ?? options.BaseUrl;
        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            return await CliApp.UsageErrorAsync(stderr, "sync needs --base-url URL (e.g. https://clinicaltrials.gov) or Sync__BaseUrl");
        }

        using var loggerFactory = CliDatabase.Logging();
        var connectionString = await CliDatabase.ConnectAsync(connection, loggerFactory, stderr);
        if (connectionString is null)
        {
            return 1;
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("TrialRegistry-sync/1.0");
        var sync = new CtGovSync(dataSource, new TrialStore(dataSource, loggerFactory.CreateLogger<TrialStore>()), options, loggerFactory.CreateLogger<CtGovSync>());
        var run = await sync.RunAsync(http, CliApp.Actor);
        await stdout.WriteLineAsync(
            $"sync run {run.Id} {run.Status.ToLowerInvariant()}: {(run.Full ? "full" : $"since {run.Since}")}, {run.Pages} pages, {run.Studies} studies: " +
            $"{run.New} new, {run.Updated} updated, {run.Unchanged} unchanged, {run.Failed} unreadable, {run.Retries} retries" +
            $"{(run.Missing.Count == 0 ? "" : $", {run.Missing.Count} no longer returned (kept): {string.Join(" ", run.Missing.Take(20))}")}{(run.Error is null ? "" : $"; {run.Error}")}");
        return run.Status == "DONE" ? 0 : 1;
    }
}
