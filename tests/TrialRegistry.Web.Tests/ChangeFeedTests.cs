using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TrialRegistry.Data.Store;
using TrialRegistry.Testing;

namespace TrialRegistry.Web.Tests;

/// <summary>The change feed: every change once, in order, across pages, and never one slipped in behind a token.</summary>
[Collection(ApiCollection.Name)]
public sealed class ChangeFeedTests(ApiFixture api)
{

    private async Task<(List<JsonElement> Changes, string Token)> ReadToEndAsync(string? since, int limit = 500)
    {
        var changes = new List<JsonElement>();
        var token = since;
        while (true)
        {
            var page = JsonDocument.Parse(await api.Client.GetStringAsync($"/api/v1/changes?limit={limit}" + (token is null ? "" : "&since=" + token), TestContext.Current.CancellationToken)).RootElement;
            changes.AddRange(page.GetProperty("changes").EnumerateArray().Select(c => c.Clone()));
            token = page.GetProperty("nextToken").GetString()!;
            if (!page.GetProperty("hasMore").GetBoolean())
            {
                return (changes, token);
            }
        }
    }

    /// <summary>
    /// Reads from <paramref name="since"/> until at least <paramref name="count"/> changes are visible. Transaction ids
    /// are the cluster's: while a transaction in another database of the same server is open (the other test
    /// projects share it), changes that committed after it began are held back, so the feed may lag; it never skips.
    /// </summary>
    private async Task<(List<JsonElement> Changes, string Token)> ReadAtLeastAsync(string? since, long count)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var read = await ReadToEndAsync(since);
            if (read.Changes.Count >= count || DateTime.UtcNow > deadline)
            {
                return read;
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    private async Task<string> ImportAsync(string registryId)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{registryId}-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, $"{registryId}\n\nCD19 CAR-T Cells for Relapsed Lymphoma ({registryId})\n\nThis phase 1 study will enrol 20 patients with relapsed lymphoma. It is recruiting.\n", TestContext.Current.CancellationToken);
        try
        {
            await using var scope = api.App.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DocumentImporter>().ImportFileAsync(path, TestContext.Current.CancellationToken);
        }
        finally
        {
            File.Delete(path);
        }

        return registryId;
    }

    private async Task WithdrawAsync(string registryId)
    {
        await using var scope = api.App.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<TrialStore>().WithdrawAsync(registryId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Every_change_appears_once_in_order_and_a_late_commit_never_slips_behind_a_token()
    {
        // From the beginning, in small pages: every version of every trial, once.
        var versions = await api.App.CountAsync("SELECT count(*) FROM trial_versions");
        await ReadAtLeastAsync(null, versions);
        var (all, token) = await ReadToEndAsync(null, limit: 333);
        Assert.Equal(versions, all.Count);
        Assert.Equal(all.Count, all.Select(c => (c.GetProperty("registryId").GetString(), c.GetProperty("version").GetInt32())).Distinct().Count());
        Assert.Equal(all.Count(c => c.GetProperty("version").GetInt32() == 1), all.Count(c => c.GetProperty("change").GetString() == "CREATED"));

        // Nothing new: an empty page that keeps its token.
        var (none, same) = await ReadToEndAsync(token);
        Assert.Empty(none);
        Assert.Equal(token, same);

        // New trials and a withdrawal come after the token, in the order they were written.
        var a = await ImportAsync("NCT09990001");
        var b = await ImportAsync("NCT09990002");
        await WithdrawAsync(a);
        var (fresh, afterFresh) = await ReadAtLeastAsync(token, 3);
        Assert.Equal([(a, "CREATED"), (b, "CREATED"), (a, "WITHDRAWN")], fresh.Select(c => (c.GetProperty("registryId").GetString()!, c.GetProperty("change").GetString()!)));

        // A transaction that began first but commits last: while it runs, the later one is held back.
        await using var connection = new NpgsqlConnection(api.App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await using (var write = new NpgsqlCommand("""
                UPDATE trials SET version = version + 1, withdrawn = true WHERE registry_id = @id;
                INSERT INTO trial_versions (trial_id, version, snapshot, changed_fields, created_at)
                SELECT t.id, t.version, (SELECT v.snapshot FROM trial_versions v WHERE v.trial_id = t.id ORDER BY v.version DESC LIMIT 1), ARRAY['withdrawn'], now()
                FROM trials t WHERE t.registry_id = @id
                """, connection, transaction))
            {
                write.Parameters.AddWithValue("id", b);
                await write.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            var c = await ImportAsync("NCT09990003"); // commits while the first is still open
            var (heldBack, stillThere) = await ReadToEndAsync(afterFresh);
            Assert.Empty(heldBack);
            Assert.Equal(afterFresh, stillThere);

            await transaction.CommitAsync(TestContext.Current.CancellationToken);
            var (both, _) = await ReadAtLeastAsync(afterFresh, 2);
            Assert.Equal([(b, "WITHDRAWN"), (c, "CREATED")], both.Select(x => (x.GetProperty("registryId").GetString()!, x.GetProperty("change").GetString()!)));
            await WithdrawAsync(c);
        }
    }

    [Theory]
    [InlineData("/api/v1/changes?since=bogus", "since")]
    [InlineData("/api/v1/changes?limit=0", "limit")]
    [InlineData("/api/v1/changes?limit=many", "limit")]
    [InlineData("/api/v1/changes?from=1", "from")]
    public async Task A_bad_token_limit_or_parameter_is_a_400_naming_it(string path, string parameter)
    {
        var response = await api.Client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(parameter, out _));
    }
}

/// <summary>The export: every current trial once, as the record endpoint gives it, streamed as NDJSON.</summary>
[Collection(ApiCollection.Name)]
public sealed class ExportTests(ApiFixture api)
{
    [Fact]
    public async Task The_export_streams_every_current_trial_once_as_its_record()
    {
        using var response = await api.Client.GetAsync("/api/v1/export", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var ids = new List<string>();
        JsonElement? sample = null;
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken)))
        {
            while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                var trial = JsonDocument.Parse(line).RootElement;
                ids.Add(trial.GetProperty("registryId").GetString()!);
                if (ids[^1] == "NCT06586658")
                {
                    sample = trial.Clone();
                }
            }
        }

        Assert.Equal(await api.App.CountAsync("SELECT count(*) FROM trials WHERE NOT withdrawn AND merged_into IS NULL"), ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var record = JsonDocument.Parse(await api.Client.GetStringAsync("/api/v1/trials/NCT06586658", TestContext.Current.CancellationToken)).RootElement;
        Assert.NotNull(sample);
        foreach (var field in new[] { "title", "status", "targetAntigens", "phases", "conditions", "doseLevels", "eligibility", "version" })
        {
            Assert.Equal(record.GetProperty(field).GetRawText(), sample.Value.GetProperty(field).GetRawText());
        }
    }
}
