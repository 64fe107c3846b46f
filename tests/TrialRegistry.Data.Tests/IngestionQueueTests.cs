using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;
using TrialRegistry.Data.Store;
using TrialRegistry.Testing;

namespace TrialRegistry.Data.Tests;

/// <summary>The ingestion queue: a worker stopped mid-document loses nothing, and workers sharing a batch store each document once.</summary>
public sealed class IngestionQueueTests(PostgresServer server) : DatabaseTestBase(server)
{
    [Fact]
    public async Task A_batch_interrupted_mid_document_resumes_and_two_workers_store_each_trial_once()
    {
        var csv = Path.Combine(SharedPaths.Corpus, "ctgov-csv", "oncology-car-t-trials.csv");
        var files = new[] { csv }.Concat(Directory.GetFiles(SharedPaths.Seeds).Order())
            .Select(f => new IncomingFile(Path.GetFileName(f), File.ReadAllBytes(f))).ToList();
        long batchId;
        await using (var db = Db())
        {
            (batchId, _) = await new UploadIntake(db, new UploadLimits()).ReceiveAsync(files, "tester", TestContext.Current.CancellationToken);
        }

        var queue = new IngestionQueue(DataSource, Store);
        Assert.Equal(6, await queue.EnqueueAsync(batchId, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(0, await queue.EnqueueAsync(batchId, cancellationToken: TestContext.Current.CancellationToken)); // confirming twice queues nothing more

        // The first worker is stopped while it stores the 2,274-trial CSV: nothing of it remains, the job stays queued.
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.ProcessNextAsync(stop.Token));
        }

        Assert.Equal(0, await CountAsync("trials"));
        Assert.Equal(0, await CountAsync("trial_documents"));
        var progress = await queue.ProgressAsync(batchId, TestContext.Current.CancellationToken);
        Assert.Equal((6, 6, 0), (progress!.Total, progress.Queued, progress.Done));

        // Two workers (each its own connections, as two app instances would have) finish the batch together.
        async Task Work()
        {
            var worker = new IngestionQueue(DataSource, new TrialStore(DataSource));
            while (await worker.ProcessNextAsync(TestContext.Current.CancellationToken))
            {
            }
        }

        await Task.WhenAll(Work(), Work());
        progress = await queue.ProgressAsync(batchId, TestContext.Current.CancellationToken);
        Assert.Equal((6, 0, 6, 0), (progress!.Total, progress.Queued, progress.Done, progress.Failed));

        // Every trial once; every record of every document once.
        Assert.Equal(2274 + 2, await CountAsync("trials")); // the CSV's trials, plus the two seeds without an NCT id
        Assert.Equal(2274 + 5, await CountAsync("trial_documents"));
        Assert.Equal(6, await CountAsync("source_documents"));
        await using var command = DataSource.CreateCommand("SELECT count(*) FROM (SELECT registry_id FROM trials GROUP BY registry_id HAVING count(*) > 1) d");
        Assert.Equal(0L, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_document_that_stops_the_worker_each_time_is_given_up_after_the_limit_and_kept()
    {
        var csv = Path.Combine(SharedPaths.Corpus, "ctgov-csv", "oncology-car-t-trials.csv");
        long batchId;
        await using (var db = Db())
        {
            (batchId, _) = await new UploadIntake(db, new UploadLimits()).ReceiveAsync(
                [new IncomingFile("heavy.csv", File.ReadAllBytes(csv))], "tester", TestContext.Current.CancellationToken);
        }

        var queue = new IngestionQueue(DataSource, Store);
        Assert.Equal(1, await queue.EnqueueAsync(batchId, cancellationToken: TestContext.Current.CancellationToken));

        // The worker stops mid-document, as if the document killed it, as many times as the limit allows.
        for (var i = 0; i < IngestionQueue.MaxStarts; i++)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.ProcessNextAsync(stop.Token));
            Assert.Equal(1, (await queue.ProgressAsync(batchId, TestContext.Current.CancellationToken))!.Queued);
        }

        // The next claim gives it up: failed with the reason, nothing stored, the upload kept; the queue is then empty.
        Assert.True(await queue.ProcessNextAsync(TestContext.Current.CancellationToken));
        var progress = await queue.ProgressAsync(batchId, TestContext.Current.CancellationToken);
        Assert.Equal((1, 0, 0, 1), (progress!.Total, progress.Queued, progress.Done, progress.Failed));
        await using (var command = DataSource.CreateCommand("SELECT error, attempts FROM ingestion_jobs"))
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
            Assert.Contains($"stopped each of the {IngestionQueue.MaxStarts} times", reader.GetString(0), StringComparison.Ordinal);
            Assert.Equal(IngestionQueue.MaxStarts, reader.GetInt32(1));
        }

        Assert.Equal(0, await CountAsync("trials"));
        Assert.Equal(1, await CountAsync("uploads"));
        Assert.False(await queue.ProcessNextAsync(TestContext.Current.CancellationToken));
    }
}
