using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Search;
using TrialRegistry.Data.Store;
using TrialRegistry.Synthetic;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>
/// The bulk path writes what the one-document-at-a-time store writes, and hands documents about known trials to
/// that store, so a bulk load is a faster import, not a different one.
/// </summary>
public sealed class BulkImportTests(PostgresServer server) : DatabaseTestBase(server)
{
    private static readonly string[] Tables =
    [
        "source_documents", "trials", "arms", "interventions", "arm_interventions", "dose_levels", "conditions", "eligibilities",
        "eligibility_criteria", "sponsors", "locations", "contacts", "outcomes", "trial_target_antigens", "trial_documents", "trial_versions",
    ];

    [Fact]
    public async Task A_bulk_load_stores_exactly_what_importing_each_document_stores()
    {
        var folder = Directory.CreateTempSubdirectory("tr-bulk-");
        var bulkDatabase = await Server.CreateDatabaseAsync();
        try
        {
            CorpusWriter.Write(folder.FullName, 300, seed: 11);
            foreach (var seed in Directory.EnumerateFiles(SharedPaths.Seeds))
            {
                File.Copy(seed, Path.Combine(folder.FullName, Path.GetFileName(seed)));
            }

            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "junk.txt"), "nothing a parser reads\n", TestContext.Current.CancellationToken);
            var files = DocumentImporter.ExpandPaths([folder.FullName]);
            foreach (var file in files)
            {
                await ImportFileAsync(file);
            }

            await using var bulkSource = NpgsqlDataSource.Create(bulkDatabase);
            var result = await new BulkImporter(bulkSource).ImportAsync(files, new BulkImportOptions { BatchSize = 40 }, cancellationToken: TestContext.Current.CancellationToken);

            Assert.True(result.RebuiltIndexes);
            Assert.Equal(files.Count, result.Documents);
            Assert.Equal("junk.txt", Assert.Single(result.Failed).File.Split('/')[^1]);
            foreach (var table in Tables)
            {
                Assert.True(await CountAsync(table) == await CountIn(bulkSource, table), $"{table}: {await CountAsync(table)} stored one by one, {await CountIn(bulkSource, table)} in bulk");
            }

            Assert.Equal(await SchemaAsync(DataSource), await SchemaAsync(bulkSource));
            await using var one = Db();
            await using var bulk = RegistryDatabase.CreateContext(bulkDatabase);
            var ids = await IdsAsync(DataSource);
            Assert.True(ids.Count > 290, $"{ids.Count} trials");
            foreach (var id in ids)
            {
                var expected = Normalize(await new TrialReader(one).GetAsync(id, TestContext.Current.CancellationToken));
                var actual = Normalize(await new TrialReader(bulk).GetAsync(id, TestContext.Current.CancellationToken));
                Assert.Equal(expected, actual);
            }

            // Full-text search finds the same trials in the bulk-loaded vectors (ties in rank order by row id, which differ).
            var query = new TrialQuery { Text = "cytokine release syndrome", PageSize = 1000 };
            using var oneIndex = new FacetIndex(DataSource, NullLogger<FacetIndex>.Instance);
            using var bulkIndex = new FacetIndex(bulkSource, NullLogger<FacetIndex>.Instance);
            Assert.Equal(
                (await new TrialSearch(one, oneIndex).SearchAsync(query, TestContext.Current.CancellationToken)).Trials.Select(t => t.RegistryId).Order(),
                (await new TrialSearch(bulk, bulkIndex).SearchAsync(query, TestContext.Current.CancellationToken)).Trials.Select(t => t.RegistryId).Order());
        }
        finally
        {
            folder.Delete(recursive: true);
            await PostgresServer.DropDatabaseAsync(bulkDatabase);
        }
    }

    [Fact]
    public async Task A_second_load_merges_documents_about_known_trials_through_the_store()
    {
        var folder = Directory.CreateTempSubdirectory("tr-bulk-");
        try
        {
            CorpusWriter.Write(folder.FullName, 120, seed: 12);
            var files = DocumentImporter.ExpandPaths([folder.FullName]);
            var importer = new BulkImporter(DataSource);
            var first = await importer.ImportAsync(files, cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(first.RebuiltIndexes);
            var trials = await CountAsync("trials");

            // The same files again, one of them with a new status: nothing new, one trial updated, the rest unchanged.
            var changed = files.First(f => f.EndsWith(".json", StringComparison.Ordinal) && File.ReadAllText(f).Contains("\"overallStatus\": \"RECRUITING\"", StringComparison.Ordinal));
            await File.WriteAllTextAsync(changed, File.ReadAllText(changed).Replace("\"overallStatus\": \"RECRUITING\"", "\"overallStatus\": \"COMPLETED\"", StringComparison.Ordinal), TestContext.Current.CancellationToken);
            var second = await importer.ImportAsync(files, cancellationToken: TestContext.Current.CancellationToken);

            Assert.False(second.RebuiltIndexes);
            Assert.Equal(0, second.NewTrials);
            Assert.Equal(trials, await CountAsync("trials"));
            var records = second.Merged.SelectMany(r => r.Records).ToList();
            var updated = Assert.Single(records, r => r.Outcome == ImportOutcome.Updated);
            Assert.Equal(Path.GetFileNameWithoutExtension(changed), updated.RegistryId);
            Assert.Contains("status", updated.ChangedFields);
            Assert.Equal(2, updated.Version);
            Assert.All(records.Where(r => r != updated), r => Assert.Equal(ImportOutcome.Unchanged, r.Outcome));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<long> CountIn(NpgsqlDataSource source, string table)
    {
        await using var command = source.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> IdsAsync(NpgsqlDataSource source)
    {
        var ids = new List<string>();
        await using var command = source.CreateCommand("SELECT registry_id FROM trials ORDER BY registry_id");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Indexes and constraints of the registry's tables: a bulk load must leave every one as the migrations made it.</summary>
    private static async Task<string> SchemaAsync(NpgsqlDataSource source)
    {
        await using var command = source.CreateCommand(
            """
            SELECT string_agg(d, E'\n' ORDER BY d) FROM (
              SELECT indexdef AS d FROM pg_indexes WHERE schemaname = current_schema()
              UNION ALL
              SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
            ) s
            """);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A trial's record without what differs between two databases by nature: row ids and clocks.</summary>
    private static string Normalize(TrialDetail? detail)
    {
        Assert.NotNull(detail);
        var names = detail.SourceDocuments.ToDictionary(d => d.Id, d => d.FileName ?? d.Sha256);
        return JsonSerializer.Serialize(new
        {
            Trial = detail with { SourceDocuments = [], FieldSources = new Dictionary<string, long>(), UpdatedAt = default },
            Sources = detail.SourceDocuments.Select(d => d with { Id = 0, ReceivedAt = default }),
            FieldSources = detail.FieldSources.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={names.GetValueOrDefault(f.Value)}"),
        });
    }
}
