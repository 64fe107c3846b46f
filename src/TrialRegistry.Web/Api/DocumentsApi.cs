using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
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
    /// <summary>
    /// Documents and batches, grouped by resource: <c>/documents</c> (preview for anyone; store and re-read for
    /// admins), <c>/batches</c> (admins follow their uploads), and the admin actions on <c>/trials</c> (withdraw,
    /// restore). The admin endpoints need an API key.
    /// </summary>
    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        var documents = app.MapGroup("/api/v1/documents").WithTags("Documents").RequireRateLimiting(TrialsApi.RateLimitPolicy);
        documents.ProducesProblem(StatusCodes.Status429TooManyRequests);
        documents.MapPost("/preview", PreviewAsync).WithName("PreviewDocument")
            .WithSummary("Parse a document and return what was understood, without storing it")
            .WithDescription("Send the document as multipart/form-data (field 'file') or as the raw request body (fileName in the query). The answer is the parse contract: one object per trial record. Nothing is stored.")
            .Accepts<IFormFile>("multipart/form-data", "*/*")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .DisableAntiforgery();

        var adminDocuments = documents.MapAdminGroup();
        adminDocuments.MapPost("", StoreAsync).WithName("StoreDocuments")
            .WithSummary("Store documents (admin): files or a zip; answers 202 with the batch to follow")
            .WithDescription("A curator's documents are queued for ingestion at once (unless Admin:TwoPersonConfirm asks another curator to confirm them on the batch page); an uploader's wait there for a curator.")
            .Accepts<IFormFileCollection>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithUploadBodyLimit(app)
            .RequireRateLimiting(RateLimiting.UploadPolicy)
            .DisableAntiforgery();
        documents.MapAdminGroup(AdminAuthentication.CuratorApiPolicy).MapPost("/reread", RereadAsync).WithName("RereadDocuments")
            .WithSummary("Read stored documents again with today's parser (admin): apply=false says what would change, apply=true stores it as new versions")
            .WithDescription("Scope: format (as stored; 'unknown' for documents that could not be read), registryId (a trial's documents), limit (at most 5000). A record the new reading no longer gives stays; admins' corrections still win.")
            .RequireRateLimiting(RateLimiting.UploadPolicy);

        var batches = app.MapGroup("/api/v1/batches").WithTags("Documents").RequireRateLimiting(TrialsApi.RateLimitPolicy).MapAdminGroup();
        batches.MapGet("/{id:long}", BatchAsync).WithName("GetBatch").WithSummary("Progress and report of an ingestion batch (admin)");

        var sync = app.MapGroup("/api/v1/sync").WithTags("Sync").RequireRateLimiting(TrialsApi.RateLimitPolicy).MapAdminGroup(AdminAuthentication.CuratorApiPolicy);
        sync.MapGet("/runs", async (RegistryDbContext db, CancellationToken cancellationToken) =>
                TypedResults.Ok(await db.SyncRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(100).ToListAsync(cancellationToken)))
            .WithName("ListSyncRuns").WithSummary("The runs of the sync from ClinicalTrials.gov, newest first (curator)");
        sync.MapPost("/runs", async Task<Results<Ok<Data.Sync.SyncRun>, ProblemHttpResult>> (
                IServiceProvider services, IHttpClientFactory httpClients, Microsoft.Extensions.Options.IOptions<Data.Sync.SyncOptions> options, HttpContext http, CancellationToken cancellationToken) =>
            {
                if (string.IsNullOrWhiteSpace(options.Value.BaseUrl))
                {
                    return TypedResults.Problem(statusCode: 409, title: "The sync is off", detail: "Set Sync:BaseUrl (e.g. https://clinicaltrials.gov) to turn it on.");
                }

                return await SyncWorker.RunOnceAsync(services, httpClients, http.User.Identity!.Name!, cancellationToken) is { } run
                    ? TypedResults.Ok(run)
                    : TypedResults.Problem(statusCode: 409, title: "A run is under way", detail: "Another sync run is under way; see GET /api/v1/sync/runs.");
            })
            .WithName("RunSync").WithSummary("Run the sync now and answer with the run as it ended (curator)");

        var trials = app.MapGroup("/api/v1/trials").WithTags("Curation").RequireRateLimiting(TrialsApi.RateLimitPolicy).MapAdminGroup(AdminAuthentication.CuratorApiPolicy);
        trials.MapPost("/{id}/withdraw", WithdrawAsync).WithName("WithdrawTrial")
            .WithSummary("Mark a trial withdrawn (admin); it stays, with its history. Optional body: {\"reason\": \"…\"}, kept in the audit log");
        trials.MapPost("/{id}/restore", RestoreAsync).WithName("RestoreTrial")
            .WithSummary("Undo a withdrawal (admin): the trial is searchable again. Optional body: {\"reason\": \"…\"}, kept in the audit log");
        return app;
    }

    /// <summary>
    /// The part of a group only admins reach, with an API key (401 without one, 403 with one that may not):
    /// any admin by default, curators only with <see cref="AdminAuthentication.CuratorApiPolicy"/>.
    /// </summary>
    internal static RouteGroupBuilder MapAdminGroup(this RouteGroupBuilder group, string policy = AdminAuthentication.ApiPolicy)
    {
        var admin = group.MapGroup("").RequireAuthorization(policy);
        admin.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return admin;
    }

    private static async Task<Results<Accepted<BatchAccepted>, ProblemHttpResult>> StoreAsync(
        HttpRequest request, UploadIntake intake, UploadLimits limits, IngestionQueue queue, HttpContext http,
        Microsoft.Extensions.Options.IOptions<AdminSessionOptions> admin, CancellationToken cancellationToken)
    {
        // Refused from its announced length, before a byte of the body is read (a client that sent Expect: 100-continue never sends it).
        if (request.ContentLength > limits.MaxBodyBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The upload is too large",
                detail: $"An upload may be at most {limits.MaxRequestBytes / 1024 / 1024} MB in all.");
        }

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
            // An uploader's documents, or any when two people must agree, wait on the batch page for a curator's confirm.
            if (http.User.IsInRole(AdminAuthentication.CuratorRole) && !admin.Value.TwoPersonConfirm)
            {
                await queue.EnqueueAsync(batchId, cancellationToken: cancellationToken, by: new AdminAction(user, "api"));
            }

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
            u.Id, u.FileName, VocabularyNames.ToName(u.Status), u.Job?.Status,
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

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PreviewAsync(
        HttpRequest request, Data.Uploads.UploadLimits limits, CancellationToken cancellationToken, string? fileName = null)
    {
        var maxPreviewBytes = limits.MaxPreviewBytes;
        if (request.ContentLength > maxPreviewBytes)
        {
            return TooLarge(maxPreviewBytes);
        }

        byte[] bytes;
        if (request.HasFormContentType)
        {
            var form = await FormFiles.ReadFormAsync(request, cancellationToken);
            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
            if (file is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No document",
                    detail: "Send the document in a multipart field named 'file'.");
            }

            if (file.Length > maxPreviewBytes)
            {
                return TooLarge(maxPreviewBytes);
            }

            fileName = Path.GetFileName(file.FileName);
            bytes = await FormFiles.BytesAsync(file, cancellationToken);
        }
        else
        {
            using var buffer = new MemoryStream();
            var read = new byte[81920];
            int n;
            while ((n = await request.Body.ReadAsync(read, cancellationToken)) > 0)
            {
                if (buffer.Length + n > maxPreviewBytes)
                {
                    return TooLarge(maxPreviewBytes);
                }

                buffer.Write(read, 0, n);
            }

            bytes = buffer.ToArray();
            fileName = fileName is null ? null : Path.GetFileName(fileName);
        }

        if (bytes.Length == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No document",
                detail: "The request holds no document: send it as the body or in a multipart field named 'file'.");
        }

        var parsed = DocumentParser.Default.Parse(bytes, fileName);
        return TypedResults.Content(ParseOutput.ToJson(parsed.Records), "application/json");
    }

    private static ProblemHttpResult TooLarge(long maxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Document too large",
        detail: $"A document sent to the preview may be at most {maxBytes / 1024 / 1024} MB.");
}
