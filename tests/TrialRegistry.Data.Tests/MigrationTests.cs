using Microsoft.EntityFrameworkCore;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

public sealed class MigrationTests(PostgresServer server) : DatabaseTestBase(server)
{
    [Fact]
    public async Task Migrations_apply_on_an_empty_database_and_match_the_model()
    {
        await using var db = Db();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no migration covers: run dotnet ef migrations add");

        foreach (var table in new[] { "trials", "arms", "interventions", "arm_interventions", "dose_levels", "target_antigens", "trial_target_antigens",
                     "conditions", "eligibilities", "eligibility_criteria", "sponsors", "locations", "contacts", "outcomes",
                     "source_documents", "trial_documents", "trial_versions" })
        {
            await using var exists = DataSource.CreateCommand($"SELECT to_regclass('public.{table}')::text");
            Assert.Equal(table, await exists.ExecuteScalarAsync());
            if (table != "target_antigens")
            {
                Assert.Equal(0, await CountAsync(table));
            }
        }

        Assert.Equal(AntigenVocabulary.All.Count, await CountAsync("target_antigens"));
    }

    [Fact]
    public async Task The_search_indexes_exist()
    {
        await using var command = DataSource.CreateCommand("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'");
        var indexes = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                indexes.Add(reader.GetString(0));
            }
        }

        // Full text: RUM where the server has it (the RankedFullText migration), GIN where it has not.
        await using var rum = DataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')");
        var textIndex = (bool)(await rum.ExecuteScalarAsync())! ? "ON public.trials USING rum (search_vector)" : "ON public.trials USING gin (search_vector)";
        Assert.Contains(indexes, i => i.Contains(textIndex, StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.trials USING gin (phases)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.trials USING btree (status)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.conditions USING gin (name gin_trgm_ops)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.dose_levels USING btree (unit, value, trial_id)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.trial_target_antigens USING btree (target_antigen_id, trial_id)", StringComparison.Ordinal));
    }
}
