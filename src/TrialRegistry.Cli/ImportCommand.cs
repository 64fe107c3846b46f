using Microsoft.Extensions.Logging;
using Npgsql;
using Spectre.Console;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Store;

namespace TrialRegistry.Cli;

/// <summary><c>import PATH... [--connection CS]</c>: stores documents, with a progress bar and a summary.</summary>
public static class ImportCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? connection = null;
        var bulk = false;
        var paths = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--connection" && i + 1 < args.Length)
            {
                connection = args[++i];
            }
            else if (args[i] == "--bulk")
            {
                bulk = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                return await CliApp.UsageErrorAsync(stderr, $"unknown option '{args[i]}'");
            }
            else
            {
                paths.Add(args[i]);
            }
        }

        if (paths.Count == 0)
        {
            return await CliApp.UsageErrorAsync(stderr, $"import needs at least one PATH");
        }

        var missing = paths.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            await stderr.WriteLineAsync($"error: no such file or folder: {string.Join(", ", missing)}");
            return 2;
        }

        using var loggerFactory = CliDatabase.Logging();
        var connectionString = await CliDatabase.ConnectAsync(connection, loggerFactory, stderr);
        if (connectionString is null)
        {
            return 1;
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        if (bulk)
        {
            return await BulkAsync(dataSource, DocumentImporter.ExpandPaths(paths), loggerFactory, stdout, stderr);
        }

        var importer = new DocumentImporter(new TrialStore(dataSource, loggerFactory.CreateLogger<TrialStore>()));
        var files = DocumentImporter.ExpandPaths(paths);
        var results = new List<(string File, DocumentImportResult? Result, string? Error)>();

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"Importing {files.Count} file(s)", maxValue: files.Count);
                foreach (var file in files)
                {
                    task.Description = $"Importing {Markup.Escape(Path.GetFileName(file))}";
                    try
                    {
                        results.Add((file, await importer.ImportFileAsync(file, new AdminAction(CliApp.Actor, "cli import")), null));
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NpgsqlException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException)
                    {
                        results.Add((file, null, ex.Message));
                    }

                    task.Increment(1);
                }

                task.Description = $"Imported {files.Count} file(s)";
            });

        var records = results.Where(r => r.Result is not null).SelectMany(r => r.Result!.Records).ToList();
        var failed = results.Where(r => r.Error is not null || r.Result!.Error is not null).ToList();
        var table = new Table().AddColumns("", "trials");
        table.AddRow("new", records.Count(r => r.Outcome == ImportOutcome.New).ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("updated", records.Count(r => r.Outcome == ImportOutcome.Updated).ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("unchanged", records.Count(r => r.Outcome == ImportOutcome.Unchanged).ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("failed documents", failed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        console.Write(table);
        foreach (var (file, result, error) in failed)
        {
            console.MarkupLine($"[red]failed[/] {Markup.Escape(file)}: {Markup.Escape(error ?? result!.Error!)}{(result is null ? string.Empty : " (the document is kept)")}");
        }

        // A plain line for scripts.
        await stdout.WriteLineAsync(
            $"imported {files.Count} files: {records.Count(r => r.Outcome == ImportOutcome.New)} new, {records.Count(r => r.Outcome == ImportOutcome.Updated)} updated, " +
            $"{records.Count(r => r.Outcome == ImportOutcome.Unchanged)} unchanged, {failed.Count} failed");
        return failed.Count == 0 ? 0 : 1;
    }

    private static async Task<int> BulkAsync(NpgsqlDataSource dataSource, IReadOnlyList<string> files, ILoggerFactory loggerFactory, TextWriter stdout, TextWriter stderr)
    {
        var reported = 0;
        var progress = new Progress<BulkImportProgress>(p =>
        {
            var tenth = p.Documents * 10 / Math.Max(1, files.Count);
            if (tenth > reported)
            {
                reported = tenth;
                stderr.WriteLine($"  {p.Documents:N0} / {files.Count:N0} documents, {p.Trials:N0} trials");
            }
        });
        var result = await new BulkImporter(dataSource, loggerFactory.CreateLogger<BulkImporter>()).ImportAsync(files, progress: progress);
        foreach (var (file, error) in result.Failed)
        {
            await stdout.WriteLineAsync($"failed {file}: {error} (the document is kept)");
        }

        var merged = result.Merged.SelectMany(r => r.Records).ToList();
        var trials = result.NewTrials + merged.Count;
        // One audit row for the load (its documents were written by COPY, not one by one).
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await AuditLog.WriteAsync(connection, null, CliApp.Actor, "bulk-import", $"{result.Documents} files", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"via cli import --bulk: {result.NewTrials + merged.Count(r => r.Outcome == ImportOutcome.New)} new, {merged.Count(r => r.Outcome == ImportOutcome.Updated)} updated, {merged.Count(r => r.Outcome == ImportOutcome.Unchanged)} unchanged, {result.Failed.Count} failed"), CancellationToken.None);
        }

        var indexes = result.RebuiltIndexes ? $"; indexes built in {result.IndexTime.TotalSeconds:F1} s" : string.Empty;
        await stdout.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"bulk imported {result.Documents} files in {result.Elapsed.TotalSeconds:F1} s ({trials / result.Elapsed.TotalSeconds:F0} trials/s): {result.NewTrials + merged.Count(r => r.Outcome == ImportOutcome.New)} new, {merged.Count(r => r.Outcome == ImportOutcome.Updated)} updated, {merged.Count(r => r.Outcome == ImportOutcome.Unchanged)} unchanged, {result.Failed.Count} failed{indexes}"));
        await stdout.WriteLineAsync("writer time per step: " + string.Join(", ", result.WriterTimings.OrderByDescending(t => t.Value)
            .Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Key} {t.Value.TotalSeconds:F1} s"))));
        return result.Failed.Count == 0 ? 0 : 1;
    }
}
