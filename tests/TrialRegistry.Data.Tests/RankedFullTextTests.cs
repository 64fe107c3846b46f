using Microsoft.Extensions.Logging.Abstractions;
using TrialRegistry.Data.Search;
using TrialRegistry.Data.Store;
using TrialRegistry.Synthetic;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>
/// Full text ranked by the RUM index: where the server has RUM the migrations create its index, a page is cut from a
/// window of the nearest matches, and paging gives every match once in the same order whatever the window's size
/// (the edge of a window falling inside a run of equal distances included); without RUM the search ranks with
/// ts_rank and finds the same trials.
/// </summary>
public sealed class RankedFullTextTests(PostgresServer server) : DatabaseTestBase(server)
{
    private async Task LoadAsync()
    {
        var folder = Directory.CreateTempSubdirectory("tr-fulltext-");
        try
        {
            // Synthetic trials repeat their sentences, so many share a distance: the hard case for paging.
            CorpusWriter.Write(folder.FullName, 300, seed: 11);
            await new BulkImporter(DataSource).ImportAsync(DocumentImporter.ExpandPaths([folder.FullName]), new BulkImportOptions(), cancellationToken: TestContext.Current.CancellationToken);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private async Task<bool> ServerHasRumAsync()
    {
        await using var command = DataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')");
        return (bool)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private async Task<List<string>> AllAsync(FacetIndex index, string text, int window, int pageSize)
    {
        var found = new List<string>();
        var query = new TrialQuery { Text = text, PageSize = pageSize };
        while (true)
        {
            await using var db = Db();
            var result = await new TrialSearch(db, index) { TextWindow = window }.SearchAsync(query, TestContext.Current.CancellationToken);
            found.AddRange(result.Trials.Select(t => t.RegistryId));
            if (PageCursor.TryDecode(result.NextPageToken) is not { } next)
            {
                return found;
            }

            query = query with { After = next };
        }
    }

    [Fact]
    public async Task The_rum_index_ranks_full_text_where_the_server_has_rum()
    {
        using var index = new FacetIndex(DataSource, NullLogger<FacetIndex>.Instance);
        Assert.Equal(await ServerHasRumAsync(), await index.RankedTextAsync());
    }

    [Theory]
    [InlineData("cytokine release syndrome")]
    [InlineData("lymphoma")]
    public async Task Paging_gives_every_match_once_in_one_order_whatever_the_window(string text)
    {
        await LoadAsync();
        using var index = new FacetIndex(DataSource, NullLogger<FacetIndex>.Instance);
        await using var db = Db();
        var expected = await new TrialSearch(db, index).SearchAsync(new TrialQuery { Text = text, CountTotal = true, PageSize = 1 }, TestContext.Current.CancellationToken);
        Assert.True(expected.TotalCount > 40, $"'{text}' matches only {expected.TotalCount} synthetic trials");

        var wide = await AllAsync(index, text, TrialSearch.DefaultTextWindow, pageSize: 20);
        Assert.Equal(expected.TotalCount, wide.Count);
        Assert.Equal(wide.Count, wide.Distinct().Count());
        // Windows smaller than a page, than a run of equal distances, and of one row: the same trials in the same order.
        foreach (var window in new[] { 1, 7, 64 })
        {
            Assert.Equal(wide, await AllAsync(index, text, window, pageSize: 20));
        }

        Assert.Equal(wide, await AllAsync(index, text, 7, pageSize: 3));
    }

    [Fact]
    public async Task A_kept_result_gives_way_to_a_change()
    {
        await LoadAsync();
        using var index = new FacetIndex(DataSource, NullLogger<FacetIndex>.Instance);
        async Task<(int Page, int? Total)> FindAsync()
        {
            await using var db = Db();
            var result = await new TrialSearch(db, index).SearchAsync(new TrialQuery { Text = "axolotl", CountTotal = true }, TestContext.Current.CancellationToken);
            return (result.Trials.Count, result.TotalCount);
        }

        Assert.Equal((0, 0), await FindAsync());
        Assert.Equal((0, 0), await FindAsync());
        await using (var command = DataSource.CreateCommand("UPDATE trials SET title = coalesce(title, '') || ' axolotl' WHERE id = (SELECT min(id) FROM trials WHERE NOT withdrawn)"))
        {
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal((1, 1), await FindAsync());
    }

    [Fact]
    public async Task Without_rum_the_search_ranks_with_ts_rank_and_finds_the_same_trials()
    {
        await LoadAsync();
        using var ranked = new FacetIndex(DataSource, NullLogger<FacetIndex>.Instance);
        var before = await AllAsync(ranked, "cytokine release syndrome", TrialSearch.DefaultTextWindow, pageSize: 50);
        Assert.True(await ranked.RankedTextAsync() || !await ServerHasRumAsync());

        // The database as it is without RUM: no RUM index, no distance function, the GIN index back.
        await using (var command = DataSource.CreateCommand(
            "DROP INDEX IF EXISTS ix_trials_search_rum; DROP FUNCTION IF EXISTS text_distance(tsvector, tsquery); " +
            "CREATE INDEX IF NOT EXISTS ix_trials_search_vector ON trials USING gin (search_vector)"))
        {
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var plain = new FacetIndex(DataSource, NullLogger<FacetIndex>.Instance);
        Assert.False(await plain.RankedTextAsync());
        var after = await AllAsync(plain, "cytokine release syndrome", TrialSearch.DefaultTextWindow, pageSize: 50);
        Assert.Equal(before.Order(StringComparer.Ordinal), after.Order(StringComparer.Ordinal));
    }
}
