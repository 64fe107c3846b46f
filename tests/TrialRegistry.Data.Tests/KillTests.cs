using System.Diagnostics;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>The importer killed with SIGKILL mid-document, then two importers of the same files at once.</summary>
[Trait("Speed", "Slow")]
public sealed class KillTests(PostgresServer server) : DatabaseTestBase(server)
{
    private Process StartImport(params string[] paths)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "trialregistry.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { cli, "import" }.Concat(paths).Concat(["--connection", ConnectionString]))
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    [Fact]
    public async Task A_killed_import_leaves_no_half_written_trial_and_concurrent_reruns_store_each_trial_once()
    {
        var csv = Path.Combine(SharedPaths.Corpus, "ctgov-csv", "oncology-car-t-trials.csv");
        using (var doomed = StartImport(csv))
        {
            // Wait until the import is writing: it holds its document's advisory lock inside the transaction.
            await using var locks = DataSource.CreateCommand("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()");
            for (var i = 0; i < 600 && (long)(await locks.ExecuteScalarAsync(TestContext.Current.CancellationToken))! == 0; i++)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken); // well into the 2,274 trials
            Assert.False(doomed.HasExited, "the import finished before it could be killed; the test proves nothing");
            doomed.Kill(entireProcessTree: true); // SIGKILL
            await doomed.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, await CountAsync("trials"));
        Assert.Equal(0, await CountAsync("source_documents"));
        Assert.Equal(0, await CountAsync("trial_versions"));

        // Two importers of the same documents at once.
        using var first = StartImport(csv, SharedPaths.Seeds);
        using var second = StartImport(SharedPaths.Seeds, csv);
        var outputs = new[] { first, second }.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToList();
        await Task.WhenAll(first.WaitForExitAsync(TestContext.Current.CancellationToken), second.WaitForExitAsync(TestContext.Current.CancellationToken));
        Assert.True(first.ExitCode == 0, await outputs[0].Out + await outputs[0].Err);
        Assert.True(second.ExitCode == 0, await outputs[1].Out + await outputs[1].Err);

        // The aggregator seed has no registry id: stored before the export, it is a trial of its own; after it, it is
        // stored as the export's trial it certainly is. Either way each document's record is stored once.
        await using var matched = DataSource.CreateCommand("SELECT count(*) FROM trial_documents d JOIN trials t ON t.id = d.trial_id JOIN source_documents s ON s.id = d.source_document_id WHERE s.format = 'aggregator-page' AND t.registry_id NOT LIKE 'TR-%'");
        var seedMatched = (long)(await matched.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal(2274 + 2 - seedMatched, await CountAsync("trials"));
        Assert.Equal(6, await CountAsync("source_documents"));
        Assert.Equal(2274 + 5, await CountAsync("trial_documents"));
        await using var duplicates = DataSource.CreateCommand("SELECT count(*) FROM (SELECT trial_id, version FROM trial_versions GROUP BY 1, 2 HAVING count(*) > 1) d");
        Assert.Equal(0L, await duplicates.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}
