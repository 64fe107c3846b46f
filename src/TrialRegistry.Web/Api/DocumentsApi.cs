using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Ingestion;
using TrialRegistry.Data.Store;
using TrialRegistry.Web.Infrastructure;

namespace TrialRegistry.Web.Api;

public sealed record BatchAccepted(long BatchId, IReadOnlyList<UploadSummary> Uploads, string Status);

public sealed record UploadReport(long Id, string FileName, string UploadStatus, string? JobStatus, DocumentImportResult? Result, string? Error);

/// <summary>Why a trial is withdrawn or restored, for the audit log.</summary>
public sealed record WithdrawalReason(string? Reason);

/// <summary>
/// Which stored documents to read again with today's parser (all; those stored as one format, <c>unknown</c> for the
/// unreadable ones; or those of one trial), at most <c>limit</c>; <c>apply</c> false only says what would change.
/// </summary>
public sealed record RereadRequest(string? Format, string? RegistryId, int? Limit, bool Apply);

/// <summary>How many documents were read again and changed, and the changed ones in detail.</summary>
public sealed record RereadReport(int Documents, int Changed, bool Applied, IReadOnlyList<RereadDocument> ChangedDocuments);

public sealed record BatchReport(long BatchId, int Total, int Queued, int Done, int Failed, bool Finished, IReadOnlyList<UploadReport> Uploads);

/// <summary>The write API, for admins with an API key: store documents (through the ingestion queue), follow batches, withdraw trials.</summary>
public static class DocumentsApi
{
    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1")
            .WithTags("Admin")
            .RequireAuthorization(AdminAuthentication.ApiPolicy)
            .RequireRateLimiting(TrialsApi.RateLimitPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/documents", StoreAsync).WithName("StoreDocuments")
            .WithSummary("Store documents (admin): files or a zip, queued for ingestion; answers 202 with the batch to follow")
            .Accepts<IFormFileCollection>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithMetadata(new RequestSizeLimitAttribute(200L * 1024 * 1024))
            .RequireRateLimiting(RateLimiting.UploadPolicy)
            .DisableAntiforgery();
        api.MapGet("/batches/{id:long}", BatchAsync).WithName("GetBatch").WithSummary("Progress and report of an ingestion batch (admin)");
        api.MapPost("/documents/reread", RereadAsync).WithName("RereadDocuments")
            .WithSummary("Read stored documents again with today's parser (admin): apply=false says what would change, apply=true stores it as new versions")
            .WithDescription("Scope: format (as stored; 'unknown' for documents that could not be read), registryId (a trial's documents), limit (at most 5000). A record the new reading no longer gives stays; admins' corrections still win.")
            .RequireRateLimiting(RateLimiting.UploadPolicy);
        api.MapPost("/trials/{id}/withdraw", WithdrawAsync).WithName("WithdrawTrial")
            .WithSummary("Mark a trial withdrawn (admin); it stays, with its history. Optional body: {\"reason\": \"…\"}, kept in the audit log");
        api.MapPost("/trials/{id}/restore", RestoreAsync).WithName("RestoreTrial")
            .WithSummary("Undo a withdrawal (admin): the trial is searchable again. Optional body: {\"reason\": \"…\"}, kept in the audit log");
        return app;
    }

    private static async Task<Results<Accepted<BatchAccepted>, ProblemHttpResult>> StoreAsync(
        HttpRequest request, UploadIntake intake, IngestionQueue queue, HttpContext http, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: 415, title: "Send the documents as multipart/form-data", detail: "One or more parts named 'file' (text, CSV, JSON, XML, or a zip of them).");
        }

        var form = await FormFiles.ReadFormAsync(request, cancellationToken);
        var files = await FormFiles.ReadAsync(form.Files, cancellationToken);

        try
        {
            var user = http.User.Identity!.Name!;
            var (batchId, uploads) = await intake.ReceiveAsync(files, user, cancellationToken);
            await queue.EnqueueAsync(batchId, cancellationToken: cancellationToken);
            return TypedResults.Accepted($"/api/v1/batches/{batchId}", new BatchAccepted(batchId, uploads, $"/api/v1/batches/{batchId}"));
        }
        catch (UploadRejectedException ex)
        {
            return TypedResults.Problem(statusCode: ex.Status, title: "The upload was refused", detail: ex.Message);
        }
    }

    private static async Task<Results<Ok<RereadReport>, ValidationProblem>> RereadAsync(RereadRequest body, TrialStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var formats = TrialRegistry.Ingestion.Formats.DocumentParser.Default.Formats.Append(TrialRegistry.Ingestion.Formats.DocumentParser.UnknownFormat).ToList();
        if (body.Format is { } format && !formats.Contains(format))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [$"'{format}' is not a format; the formats are: {string.Join(", ", formats)}."] });
        }

        if (body.Limit is < 1 or > RereadScope.MaxDocuments)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"Give a limit from 1 to {RereadScope.MaxDocuments}."] });
        }

        var scope = new RereadScope(body.Format, string.IsNullOrWhiteSpace(body.RegistryId) ? null : Data.Search.TrialReader.NormalizeId(body.RegistryId), body.Limit ?? RereadScope.MaxDocuments);
        var results = await store.RereadAsync(scope, http.User.Identity!.Name!, "api", body.Apply, cancellationToken);
        var changed = results.Where(r => r.Changes).ToList();
        return TypedResults.Ok(new RereadReport(results.Count, changed.Count, body.Apply, changed));
    }

    private static async Task<Results<Ok<BatchReport>, ProblemHttpResult>> BatchAsync(long id, RegistryDbContext db, IngestionQueue queue, CancellationToken cancellationToken)
    {
        var progress = await queue.ProgressAsync(id, cancellationToken);
        if (progress is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such batch", detail: $"There is no batch {id}.");
        }

        var uploads = await db.Uploads.AsNoTracking().Where(u => u.BatchId == id).OrderBy(u => u.Id)
            .Select(u => new { u.Id, u.FileName, u.Status, u.Error, Job = db.IngestionJobs.Where(j => j.UploadId == u.Id).Select(j => new { j.Status, j.Result, j.Error }).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var reports = uploads.Select(u => new UploadReport(
            u.Id, u.FileName, u.Status, u.Job?.Status,
            u.Job?.Result is null ? null : JsonSerializer.Deserialize<DocumentImportResult>(u.Job.Result, IngestionQueue.ResultJson),
            u.Job?.Error ?? u.Error)).ToList();
        return TypedResults.Ok(new BatchReport(id, progress.Total, progress.Queued, progress.Done, progress.Failed, progress.Finished, reports));
    }

    private static Task<Results<NoContent, ProblemHttpResult>> WithdrawAsync(string id, TrialStore store, HttpContext http, CancellationToken cancellationToken, WithdrawalReason? body = null) =>
        SetWithdrawnAsync(id, withdrawn: true, body?.Reason, store, http, cancellationToken);

    private static Task<Results<NoContent, ProblemHttpResult>> RestoreAsync(string id, TrialStore store, HttpContext http, CancellationToken cancellationToken, WithdrawalReason? body = null) =>
        SetWithdrawnAsync(id, withdrawn: false, body?.Reason, store, http, cancellationToken);

    private static async Task<Results<NoContent, ProblemHttpResult>> SetWithdrawnAsync(
        string id, bool withdrawn, string? reason, TrialStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (reason is { Length: > 500 })
        {
            return TypedResults.Problem(statusCode: 400, title: "The reason is too long", detail: "A reason is at most 500 characters.");
        }

        var registryId = Data.Search.TrialReader.NormalizeId(id);
        var by = new AdminAction(http.User.Identity!.Name!, "api", string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
        var done = withdrawn ? await store.WithdrawAsync(registryId, by, cancellationToken) : await store.RestoreAsync(registryId, by, cancellationToken);
        return done ? TypedResults.NoContent() : TypedResults.Problem(statusCode: 404, title: "No such trial", detail: $"No trial has the registry id '{id}'.");
    }
}
