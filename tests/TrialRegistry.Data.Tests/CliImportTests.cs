using TrialRegistry.Cli;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary><c>trialregistry import</c> stores the whole CSV corpus in one command, and a second run changes nothing.</summary>
public sealed class CliImportTests(PostgresServer server) : DatabaseTestBase(server)
{
    [Fact]
    public async Task The_csv_corpus_imports_in_one_command_and_reimporting_changes_nothing()
    {
        var csv = Path.Combine(SharedPaths.Corpus, "ctgov-csv", "oncology-car-t-trials.csv");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["import", csv, "--connection", ConnectionString], stdout, stderr);
        Assert.True(exit == 0, stderr.ToString());
        Assert.Contains("2274 new, 0 updated, 0 unchanged, 0 failed", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(2274, await CountAsync("trials"));
        await using (var command = DataSource.CreateCommand("SELECT count(*) FROM trials WHERE title IS NULL OR status IS NULL"))
        {
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }

        using var again = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["import", csv, "--connection", ConnectionString], again, stderr));
        Assert.Contains("0 new, 0 updated, 2274 unchanged, 0 failed", again.ToString(), StringComparison.Ordinal);
        Assert.Equal(2274, await CountAsync("trial_versions"));

        // Each run is in the audit log, named as the command line's and saying what it did.
        await using var audit = DataSource.CreateCommand("SELECT actor, details FROM audit_entries WHERE action = 'import' AND target = 'oncology-car-t-trials.csv' ORDER BY id");
        await using var rows = await audit.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var entries = new List<(string Actor, string Details)>();
        while (await rows.ReadAsync(TestContext.Current.CancellationToken))
        {
            entries.Add((rows.GetString(0), rows.GetString(1)));
        }

        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal($"cli:{Environment.UserName}", e.Actor));
        Assert.Contains("via cli import", entries[0].Details, StringComparison.Ordinal);
        Assert.Contains("2274 new", entries[0].Details, StringComparison.Ordinal);
        Assert.Contains("2274 unchanged", entries[1].Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_import_reports_unreadable_files_and_keeps_them()
    {
        var folder = Directory.CreateTempSubdirectory("tr-import-");
        try
        {
            File.Copy(SharedPaths.Seed("002"), Path.Combine(folder.FullName, "002.txt"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "junk.txt"), "lorem ipsum\n");
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await CliApp.RunAsync(["import", folder.FullName, "--connection", ConnectionString], stdout, stderr);
            Assert.Equal(1, exit);
            Assert.Contains("1 new, 0 updated, 0 unchanged, 1 failed", stdout.ToString(), StringComparison.Ordinal);
            Assert.Contains("junk.txt", stdout.ToString(), StringComparison.Ordinal);
            Assert.Equal(2, await CountAsync("source_documents"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
