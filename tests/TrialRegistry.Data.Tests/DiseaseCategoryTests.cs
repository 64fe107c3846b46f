using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>Trials carry the kinds of disease of their conditions, also those stored before the column existed.</summary>
public sealed class DiseaseCategoryTests(PostgresServer server) : DatabaseTestBase(server)
{
    [Fact]
    public async Task Stored_trials_have_their_categories_and_migrating_fills_those_without()
    {
        foreach (var seed in Directory.GetFiles(SharedPaths.Seeds))
        {
            await ImportFileAsync(seed);
        }

        async Task<Dictionary<string, (List<string>? Categories, List<string> Conditions)>> ReadAsync()
        {
            await using var db = Db();
            var rows = await db.Trials.AsNoTracking().Select(t => new { t.RegistryId, t.DiseaseCategories, Conditions = t.Conditions.OrderBy(c => c.Ordinal).Select(c => c.Name).ToList() })
                .ToListAsync(TestContext.Current.CancellationToken);
            return rows.ToDictionary(r => r.RegistryId, r => (r.DiseaseCategories, r.Conditions));
        }

        var stored = await ReadAsync();
        Assert.All(stored.Values, t => Assert.Equal(DiseaseCategories.Of(t.Conditions), t.Categories));
        Assert.Contains(stored.Values, t => t.Categories!.Contains("SOLID_TUMOR"));

        // As a registry from before: no categories; the next start of the app (or CLI) fills them in.
        await using (var db = Db())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE trials SET disease_categories = NULL", TestContext.Current.CancellationToken);
        }

        await RegistryConnection.MigrateAsync(ConnectionString, TestContext.Current.CancellationToken);
        Assert.Equal(stored.Select(s => (s.Key, string.Join('|', s.Value.Categories!))).Order(),
            (await ReadAsync()).Select(s => (s.Key, string.Join('|', s.Value.Categories!))).Order());
    }
}
