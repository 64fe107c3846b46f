using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;

namespace TrialRegistry.Web.Pages.Admin;

/// <summary>
/// Upload one or many documents (or a zip); nothing is stored in the registry until each is reviewed and confirmed.
/// The request size limit comes from the upload limits (<see cref="Infrastructure.UploadLimitsSetup"/>).
/// </summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Infrastructure.RateLimiting.UploadPolicy)]
public sealed class UploadModel(UploadIntake intake, RegistryDbContext db) : PageModel
{
    public sealed record BatchLine(long Id, DateTimeOffset CreatedAt, string CreatedBy, int Files, int Pending);

    public string? Error { get; private set; }
    public IReadOnlyList<BatchLine> Recent { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(List<IFormFile> files, CancellationToken cancellationToken)
    {
        var incoming = await Infrastructure.FormFiles.ReadAsync(files, cancellationToken);

        try
        {
            var (batchId, _) = await intake.ReceiveAsync(incoming, User.Identity!.Name!, cancellationToken);
            return Redirect($"/admin/batches/{batchId}");
        }
        catch (UploadRejectedException ex)
        {
            Error = ex.Message;
            Response.StatusCode = ex.Status;
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Recent = await db.UploadBatches.AsNoTracking().OrderByDescending(b => b.Id).Take(10)
            .Select(b => new BatchLine(b.Id, b.CreatedAt, b.CreatedBy,
                db.Uploads.Count(u => u.BatchId == b.Id), db.Uploads.Count(u => u.BatchId == b.Id && u.Status == UploadStatus.Pending)))
            .ToListAsync(cancellationToken);
}
