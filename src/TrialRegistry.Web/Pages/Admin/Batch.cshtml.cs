using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;
using TrialRegistry.Data.Model;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Web.Pages.Admin;

/// <summary>A batch of uploads: what each document says and would change, confirm or discard, then the ingestion's progress and report.</summary>
public sealed class BatchModel(RegistryDbContext db, TrialStore store, IngestionQueue queue, AdminAccounts accounts,
    Microsoft.Extensions.Options.IOptions<Infrastructure.AdminSessionOptions> admin) : PageModel
{
    /// <summary>Records a page of a document's preview lists.</summary>
    public const int PageSize = 25;

    /// <summary>
    /// One uploaded document: its preview (this page of it, after the filter), how many lines each filter holds,
    /// and once stored the job's report.
    /// </summary>
    public sealed record DocumentView(
        long UploadId, string FileName, UploadStatus Status, string Format, string? ParseError,
        IReadOnlyList<PreviewLine> Lines, int Page, int Pages, IReadOnlyDictionary<PreviewFilter, int> Counts, bool Truncated,
        string? JobStatus, string? JobError, DocumentImportResult? Result);

    /// <summary>Which preview lines to list: all, changes, new trials or those with warnings (<c>?show=</c>).</summary>
    [BindProperty(SupportsGet = true, Name = "show")]
    public PreviewFilter Show { get; set; } = PreviewFilter.All;

    public long Id { get; private set; }
    public BatchProgress? Progress { get; private set; }
    public IReadOnlyList<DocumentView> Documents { get; private set; } = [];
    public bool Found { get; private set; }

    /// <summary>Why this admin may not confirm this batch (an uploader; or its own batch when two people must agree); null when they may.</summary>
    public string? CannotConfirm { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        Id = id;
        Found = await db.UploadBatches.AnyAsync(b => b.Id == id, cancellationToken);
        if (!Found)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        CannotConfirm = await WhyNotConfirmAsync(id, cancellationToken);
        Progress = await queue.ProgressAsync(id, cancellationToken);
        var uploads = await db.Uploads.AsNoTracking().Where(u => u.BatchId == id).OrderBy(u => u.Id).ToListAsync(cancellationToken);
        var jobs = await db.IngestionJobs.AsNoTracking().Where(j => j.BatchId == id).ToDictionaryAsync(j => j.UploadId, cancellationToken);
        var views = new List<DocumentView>();
        foreach (var upload in uploads)
        {
            jobs.TryGetValue(upload.Id, out var job);
            var result = job?.Result is null ? null : System.Text.Json.JsonSerializer.Deserialize<DocumentImportResult>(job.Result, IngestionQueue.ResultJson);
            var preview = await UploadPreview.GetAsync(db, store, upload, cancellationToken);
            var lines = preview.Lines;
            var counts = Enum.GetValues<PreviewFilter>().ToDictionary(f => f, f => lines.Count(l => UploadPreview.Shows(l, f)));
            var shown = lines.Where(l => UploadPreview.Shows(l, Show)).ToList();
            var pages = Math.Max(1, (shown.Count + PageSize - 1) / PageSize);
            // Each document pages on its own: ?p{uploadId}=N.
            var page = int.TryParse(Request.Query[$"p{upload.Id}"].ToString(), System.Globalization.CultureInfo.InvariantCulture, out var asked) ? Math.Clamp(asked, 1, pages) : 1;
            var format = result?.Format ?? preview.Format;
            var error = result is null ? preview.Error : result.Error;
            views.Add(new DocumentView(upload.Id, upload.FileName, upload.Status, format, error,
                [.. shown.Skip((page - 1) * PageSize).Take(PageSize)], page, pages, counts, preview.Truncated, job?.Status, job?.Error, result));
        }

        Documents = views;
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(long id, long? uploadId, CancellationToken cancellationToken)
    {
        if (await WhyNotConfirmAsync(id, cancellationToken) is { } refusal)
        {
            await accounts.AuditAsync(User.Identity!.Name!, "confirm-refused", $"batch {id}", refusal, cancellationToken);
            return StatusCode(StatusCodes.Status403Forbidden, refusal);
        }

        // The preview each confirmed document is stored with: worked out now if the registry changed since it was shown.
        foreach (var upload in await db.Uploads.AsNoTracking().Where(u => u.BatchId == id && u.Status == UploadStatus.Pending && (uploadId == null || u.Id == uploadId)).ToListAsync(cancellationToken))
        {
            await UploadPreview.GetAsync(db, store, upload, cancellationToken);
        }

        await queue.EnqueueAsync(id, uploadId is null ? null : [uploadId.Value], new AdminAction(User.Identity!.Name!, "page"), cancellationToken);
        return Redirect($"/admin/batches/{id}");
    }

    /// <summary>An admin says which registered trial a record without a registry id is (one the matcher offered); it is stored as that trial when confirmed.</summary>
    public async Task<IActionResult> OnPostMatchAsync(long id, long uploadId, string record, string target, CancellationToken cancellationToken)
    {
        if (!User.IsInRole(Infrastructure.AdminAuthentication.CuratorRole))
        {
            return StatusCode(StatusCodes.Status403Forbidden, "Only a curator decides which trial a record is.");
        }

        var upload = await db.Uploads.FirstOrDefaultAsync(u => u.Id == uploadId && u.BatchId == id && u.Status == UploadStatus.Pending, cancellationToken);
        if (upload is null)
        {
            return NotFound();
        }

        var parsed = DocumentParser.Default.Parse(upload.Content, upload.FileName);
        var previews = await store.PreviewAsync(parsed with { Records = [.. parsed.Records.Where(r => r.RegistryId == record)] }, null, cancellationToken);
        if (!previews.Any(p => p.Match?.Probable.Any(m => m.RegistryId == target) == true))
        {
            return BadRequest($"{target} is not one of the trials offered for {record}.");
        }

        upload.MatchDecisions = new Dictionary<string, string>(upload.MatchDecisions) { [record] = target };
        upload.Preview = null; // worked out again with the decision
        db.AuditEntries.Add(new AuditEntry { Actor = User.Identity!.Name!, Action = "match", Target = $"upload {uploadId}", Details = $"{record} is {target}", At = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(cancellationToken); // the decision and its audit row together
        return Redirect($"/admin/batches/{id}");
    }

    public async Task<IActionResult> OnPostDiscardAsync(long id, long? uploadId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var discarded = await db.Uploads.Where(u => u.BatchId == id && u.Status == UploadStatus.Pending && (uploadId == null || u.Id == uploadId))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Status, UploadStatus.Discarded), cancellationToken);
        db.AuditEntries.Add(new AuditEntry { Actor = User.Identity!.Name!, Action = "discard", Target = uploadId is null ? $"batch {id}" : $"upload {uploadId}", Details = $"{discarded} discarded", At = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Redirect($"/admin/batches/{id}");
    }

    private async Task<string?> WhyNotConfirmAsync(long id, CancellationToken cancellationToken)
    {
        if (!User.IsInRole(Infrastructure.AdminAuthentication.CuratorRole))
        {
            return "You upload as an uploader: a curator confirms what goes into the registry.";
        }

        if (admin.Value.TwoPersonConfirm
            && await db.UploadBatches.AnyAsync(b => b.Id == id && b.CreatedBy == User.Identity!.Name, cancellationToken))
        {
            return "You uploaded this batch: another curator confirms it (two people must agree before documents reach the registry).";
        }

        return null;
    }
}
