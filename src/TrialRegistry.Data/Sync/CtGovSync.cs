using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;

namespace TrialRegistry.Data.Sync;

/// <summary>
/// Keeps the registry current from ClinicalTrials.gov API v2: asks <c>/api/v2/studies</c> for the configured query,
/// after the first run only for studies last updated since the last run that finished, follows <c>nextPageToken</c>,
/// and stores each study as a document of its own through the same path as an upload (source document, merge,
/// versions). Progress is kept after every page, so a run that dies resumes from its last page; 429 and 503 are
/// waited out (Retry-After) and a cut connection is tried again. A study the query no longer returns is left as it
/// is. A study that has not changed writes nothing. Each run is one audit row.
/// </summary>
public sealed class CtGovSync(NpgsqlDataSource dataSource, TrialStore store, SyncOptions options, ILogger<CtGovSync>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Runs once (resuming an unfinished run if there is one); returns the run as it ended.</summary>
    public async Task<SyncRun> RunAsync(HttpClient http, string trigger, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            throw new InvalidOperationException("No Sync:BaseUrl is set: the sync has nowhere to ask.");
        }

        var run = await StartAsync(trigger, cancellationToken);
        try
        {
            do
            {
                var page = await PageAsync(http, run, cancellationToken);
                foreach (var study in page.Studies)
                {
                    await StoreStudyAsync(study, run, cancellationToken);
                }

                run.Pages++;
                run.NextPageToken = page.NextPageToken;
                await SaveAsync(run, cancellationToken);
            }
            while (run.NextPageToken is not null);

            if (run.Full)
            {
                run.Missing = await MissingAsync(run, cancellationToken);
            }

            run.Status = "DONE";
            run.FinishedAt = DateTimeOffset.UtcNow;
            await SaveAsync(run, cancellationToken, audit: true);
            _logger.LogInformation("Sync run {Run} done: {Pages} pages, {Studies} studies, {New} new, {Updated} updated, {Unchanged} unchanged, {Failed} failed",
                run.Id, run.Pages, run.Studies, run.New, run.Updated, run.Unchanged, run.Failed);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SyncException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            run.Status = "FAILED";
            run.Error = ex.Message;
            run.FinishedAt = DateTimeOffset.UtcNow;
            await SaveAsync(run, CancellationToken.None, audit: true);
            _logger.LogWarning(ex, "Sync run {Run} failed after {Pages} pages; the next run resumes from there", run.Id, run.Pages);
        }

        return run;
    }

    /// <summary>An unfinished run to resume (its page token kept), else a new one from the last finished run's start day.</summary>
    private async Task<SyncRun> StartAsync(string trigger, CancellationToken cancellationToken)
    {
        await using var db = RegistryDatabase.CreateContext(await dataSource.OpenConnectionAsync(cancellationToken));
        var last = await db.SyncRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        if (last is { Status: "FAILED" or "RUNNING", NextPageToken: not null })
        {
            var resumed = await db.SyncRuns.FirstAsync(r => r.Id == last.Id, cancellationToken);
            resumed.Status = "RUNNING";
            resumed.Error = null;
            resumed.FinishedAt = null;
            await db.SaveChangesAsync(cancellationToken);
            _logger.LogInformation("Resuming sync run {Run} at page {Page}", resumed.Id, resumed.Pages + 1);
            return resumed;
        }

        // From the day the last finished run began (a day's overlap: the API filters by date, not by time); a full
        // run when none finished within Sync:FullEveryDays.
        var finished = await db.SyncRuns.AsNoTracking().Where(r => r.Status == "DONE").OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var lastFull = await db.SyncRuns.AsNoTracking().Where(r => r.Status == "DONE" && r.Full).OrderByDescending(r => r.Id).Select(r => (DateTimeOffset?)r.StartedAt).FirstOrDefaultAsync(cancellationToken);
        var full = finished is null || lastFull is null || DateTimeOffset.UtcNow - lastFull.Value >= TimeSpan.FromDays(options.FullEveryDays);
        var run = new SyncRun
        {
            StartedAt = DateTimeOffset.UtcNow,
            Status = "RUNNING",
            Trigger = trigger,
            Full = full,
            Since = full ? null : finished!.StartedAt.UtcDateTime.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        db.SyncRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    private sealed record Page(IReadOnlyList<JsonElement> Studies, string? NextPageToken);

    /// <summary>One page of studies, asked again after a 429 or 503 (waiting as Retry-After says) or a cut connection.</summary>
    private async Task<Page> PageAsync(HttpClient http, SyncRun run, CancellationToken cancellationToken)
    {
        var url = Url(run);
        for (var attempt = 0; ; attempt++)
        {
            TimeSpan wait;
            try
            {
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken);
                if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                {
                    wait = RetryAfter(response) ?? Backoff(attempt);
                }
                else if (!response.IsSuccessStatusCode)
                {
                    throw new SyncException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
                }
                else
                {
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
                    var root = json.RootElement;
                    var studies = root.TryGetProperty("studies", out var list) && list.ValueKind == JsonValueKind.Array
                        ? list.EnumerateArray().Select(s => s.Clone()).ToList()
                        : throw new SyncException($"{url} answered without a studies list");
                    var next = root.TryGetProperty("nextPageToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
                    return new Page(studies, string.IsNullOrEmpty(next) ? null : next);
                }
            }
            catch (Exception ex) when ((ex is HttpRequestException or IOException || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested) && attempt < options.MaxRetries)
            {
                _logger.LogInformation("Sync page {Page} cut off ({Reason}); asking again", run.Pages + 1, ex.Message);
                wait = Backoff(attempt);
            }

            if (attempt >= options.MaxRetries)
            {
                throw new SyncException($"{url} kept answering 429/503 after {options.MaxRetries} tries");
            }

            run.Retries++;
            await Task.Delay(wait, cancellationToken);
        }
    }

    private string Url(SyncRun run)
    {
        var query = new StringBuilder(options.BaseUrl!.TrimEnd('/')).Append("/api/v2/studies?format=json&countTotal=true")
            .Append("&pageSize=").Append(options.PageSize.ToString(CultureInfo.InvariantCulture));
        foreach (var part in options.Query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = part.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (part[..eq], part[(eq + 1)..]) : (part, "");
            query.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        if (run.Since is { } since)
        {
            query.Append("&filter.advanced=").Append(Uri.EscapeDataString($"AREA[LastUpdatePostDate]RANGE[{since},MAX]"));
        }

        if (run.NextPageToken is { } token)
        {
            query.Append("&pageToken=").Append(Uri.EscapeDataString(token));
        }

        return query.ToString();
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var after = response.Headers.RetryAfter;
        var wait = after?.Delta ?? (after?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } w ? TimeSpan.FromSeconds(Math.Clamp(w.TotalSeconds, 0, options.MaxWaitSeconds)) : null;
    }

    private TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(options.MaxWaitSeconds, Math.Pow(2, attempt)));

    /// <summary>The studies the previous full run found that this one did not: noted, nothing is deleted.</summary>
    private async Task<List<string>> MissingAsync(SyncRun run, CancellationToken cancellationToken)
    {
        await using var db = RegistryDatabase.CreateContext(await dataSource.OpenConnectionAsync(cancellationToken));
        var previous = await db.SyncRuns.AsNoTracking().Where(r => r.Status == "DONE" && r.Full && r.Id != run.Id).OrderByDescending(r => r.Id)
            .Select(r => r.Seen).FirstOrDefaultAsync(cancellationToken);
        var missing = (previous ?? []).Except(run.Seen, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            _logger.LogWarning("Sync run {Run}: {Count} studies the last full run had are no longer returned by the query (kept): {Studies}", run.Id, missing.Count, string.Join(", ", missing.Take(20)));
        }

        return missing;
    }

    /// <summary>One study as a document of its own (named by its NCT number), through the upload path.</summary>
    private async Task StoreStudyAsync(JsonElement study, SyncRun run, CancellationToken cancellationToken)
    {
        run.Studies++;
        var nct = study.TryGetProperty("protocolSection", out var protocol)
                  && protocol.TryGetProperty("identificationModule", out var identification)
                  && identification.TryGetProperty("nctId", out var id) ? id.GetString() : null;
        if (run.Full && nct is not null)
        {
            run.Seen.Add(nct);
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(study, new JsonSerializerOptions { WriteIndented = true });
        var parsed = DocumentParser.Default.Parse(bytes, $"{nct ?? "study"}.json");
        var result = await store.ImportAsync(parsed, cancellationToken);
        if (result.Error is not null)
        {
            run.Failed++;
            _logger.LogWarning("Sync: study {Nct} could not be read: {Reason} (kept)", nct, result.Error);
            return;
        }

        run.New += result.Count(ImportOutcome.New);
        run.Updated += result.Count(ImportOutcome.Updated);
        run.Unchanged += result.Count(ImportOutcome.Unchanged);
    }

    private async Task SaveAsync(SyncRun run, CancellationToken cancellationToken, bool audit = false)
    {
        await using var db = RegistryDatabase.CreateContext(await dataSource.OpenConnectionAsync(cancellationToken));
        db.SyncRuns.Update(run);
        if (audit)
        {
            db.AuditEntries.Add(new AuditEntry
            {
                Actor = run.Trigger,
                Action = "sync",
                Target = $"sync run {run.Id}",
                Details = string.Create(CultureInfo.InvariantCulture,
                    $"{run.Status.ToLowerInvariant()}: {(run.Full ? "full" : $"since {run.Since}")}, {run.Pages} pages, {run.Studies} studies, {run.New} new, {run.Updated} updated, {run.Unchanged} unchanged, {run.Failed} unreadable, {run.Retries} retries{(run.Missing.Count == 0 ? "" : $", {run.Missing.Count} no longer returned: {string.Join(" ", run.Missing.Take(50))}")}{(run.Error is null ? "" : "; " + run.Error)}"),
                At = DateTimeOffset.UtcNow,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>The API answered in a way the sync cannot go on from (an error status, a page without studies).</summary>
public sealed class SyncException(string message) : Exception(message);
