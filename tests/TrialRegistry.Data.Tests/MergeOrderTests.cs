using Microsoft.EntityFrameworkCore;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>
/// The corpus's sites export and trials export, stored in either order, give the same trials: every site of the sites
/// file with its facility and city (the trials file, newer, lists only countries), and the same merged record.
/// The files are the real ones, cut to the rows of a few dozen trials.
/// </summary>
public sealed class MergeOrderTests(PostgresServer server) : DatabaseTestBase(server)
{
    private static readonly string SitesFile = Path.Combine(SharedPaths.Corpus, "ctgov-csv", "oncology-car-t-sites.csv");
    private static readonly string TrialsFile = Path.Combine(SharedPaths.Corpus, "ctgov-csv", "oncology-car-t-trials.csv");

    [Fact]
    public async Task Sites_then_trials_and_trials_then_sites_store_the_same_trials_with_their_sites()
    {
        var (sites, trials, ids) = Excerpts(40);
        var first = await StoreAsync(sites, trials);
        var second = await StoreAsync(trials, sites);
        Assert.Equal(first, second);

        // Every facility of the sites rows is a site of its trial, with its city.
        var expected = File.ReadLines(SitesFile).Skip(1).Select(Csv).Where(f => ids.Contains(f[0]) && f[3].Length > 0).ToList();
        Assert.NotEmpty(expected);
        var stored = first.Values.SelectMany(v => v.Split('\n')).Select(l => l.Split('|')).Select(p => $"{p[0]}|{p[1]}|{Fold(p[2])}").ToHashSet();
        foreach (var row in expected)
        {
            Assert.Contains($"{row[0]}|{row[4]}|{Fold(row[3])}", stored);
        }
    }

    private static string Fold(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>Stores two files in a fresh database; per trial, its content hash and its sites (id|city lines).</summary>
    private async Task<Dictionary<string, string>> StoreAsync(string firstFile, string secondFile)
    {
        await using (var db = Db())
        {
            await db.Database.ExecuteSqlRawAsync("TRUNCATE trials, source_documents RESTART IDENTITY CASCADE", TestContext.Current.CancellationToken);
        }

        Assert.Null((await ImportFileAsync(firstFile)).Error);
        Assert.Null((await ImportFileAsync(secondFile)).Error);
        await using var read = Db();
        var trials = await read.Trials.AsNoTracking().Include(t => t.Locations).ToListAsync(TestContext.Current.CancellationToken);
        return trials.ToDictionary(
            t => $"{t.RegistryId}#{t.ContentHash}",
            t => string.Join('\n', t.Locations.OrderBy(l => l.Ordinal).Select(l => $"{t.RegistryId}|{l.City}|{l.Facility}|{l.Status}")));
    }

    /// <summary>The two exports cut to the trials of the first <paramref name="count"/> site rows' trials that both files hold.</summary>
    private static (string Sites, string Trials, HashSet<string> Ids) Excerpts(int count)
    {
        var trialLines = File.ReadAllLines(TrialsFile);
        var inTrials = CsvRecords(trialLines.Skip(1)).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]).ToHashSet();
        var siteLines = File.ReadAllLines(SitesFile);
        var ids = siteLines.Skip(1).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]).Where(inTrials.Contains).Distinct().Take(count).ToHashSet();
        var dir = Directory.CreateTempSubdirectory("merge-order-").FullName;
        var sites = Path.Combine(dir, "oncology-car-t-sites.csv");
        var trials = Path.Combine(dir, "oncology-car-t-trials.csv");
        File.WriteAllLines(sites, siteLines.Take(1).Concat(siteLines.Skip(1).Where(l => ids.Contains(l[..l.IndexOf(',', StringComparison.Ordinal)]))));
        File.WriteAllLines(trials, trialLines.Take(1).Concat(CsvRecords(trialLines.Skip(1)).Where(r => ids.Contains(r[..r.IndexOf(',', StringComparison.Ordinal)]))));
        return (sites, trials, ids);
    }

    /// <summary>Lines joined into CSV records where a quoted field spans lines.</summary>
    private static IEnumerable<string> CsvRecords(IEnumerable<string> lines)
    {
        string? pending = null;
        foreach (var line in lines)
        {
            pending = pending is null ? line : pending + "\n" + line;
            if (pending.Count(c => c == '"') % 2 == 0)
            {
                yield return pending;
                pending = null;
            }
        }
    }

    /// <summary>The fields of one simple CSV line (the sites file quotes no line breaks).</summary>
    private static string[] Csv(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"' && quoted && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }
}
