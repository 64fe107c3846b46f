using Microsoft.Extensions.Logging;
using Npgsql;
using TrialRegistry.Data.Store;

namespace TrialRegistry.Cli;

/// <summary>
/// <c>dedupe [--apply] [--connection CS]</c>: finds trials stored under a content-derived id (documents without a
/// registry id) that are a registered trial. Without <c>--apply</c> it only lists them with the evidence; with it,
/// each certain match is merged into the registered trial (its documents and versions kept, the duplicate withdrawn
/// and pointing to the trial). Probable matches are listed for an admin, never merged here.
/// </summary>
public static class DedupeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? connection = null;
        var apply = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--apply":
                    apply = true;
                    break;
                case "--connection" when i + 1 < args.Length:
                    connection = args[++i];
                    break;
                default:
                    await stderr.WriteLineAsync($"error: unknown argument '{args[i]}'\n\n{CliApp.Usage}");
                    return 2;
            }
        }

        using var logging = CliDatabase.Logging();
        var connectionString = await CliDatabase.ConnectAsync(connection, logging, stderr);
        if (connectionString is null)
        {
            return 1;
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new TrialStore(dataSource, logging.CreateLogger<TrialStore>());
        var duplicates = await store.FindDuplicatesAsync();
        var certain = duplicates.Where(d => d.Match.Certain is not null).ToList();
        foreach (var (id, title, match) in duplicates)
        {
            var line = match.Certain is { } same
                ? $"{id} is {same.RegistryId} ({same.Reason})"
                : $"{id} may be {string.Join(" or ", match.Probable.Select(p => p.RegistryId))} ({match.Probable[0].Reason}): left for an admin";
            await stdout.WriteLineAsync($"{line}  — {title ?? "(untitled)"}");
        }

        if (!apply)
        {
            await stdout.WriteLineAsync($"{duplicates.Count} found, {certain.Count} certain; dry run: nothing changed (--apply merges the certain ones)");
            return 0;
        }

        var merged = 0;
        foreach (var (id, _, match) in certain)
        {
            if (await store.MergeIntoAsync(id, match.Certain!.RegistryId) is not null)
            {
                merged++;
            }
        }

        await stdout.WriteLineAsync($"{duplicates.Count} found, {merged} merged");
        return 0;
    }
}
