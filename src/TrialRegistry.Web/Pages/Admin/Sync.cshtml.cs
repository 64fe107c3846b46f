using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Sync;
using TrialRegistry.Web.Infrastructure;

namespace TrialRegistry.Web.Pages.Admin;

/// <summary>The sync from ClinicalTrials.gov (curators only): whether it is on, each run (when, from which day, pages, what it did), and "run now".</summary>
public sealed class SyncModel(RegistryDbContext db, IOptions<SyncOptions> options, IHttpClientFactory httpClients, IServiceProvider services) : PageModel
{
    public SyncOptions Options => options.Value;

    public IReadOnlyList<SyncRun> Runs { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Runs = await db.SyncRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(50).ToListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Options.BaseUrl))
        {
            Message = "The sync is off: set Sync:BaseUrl (e.g. https://clinicaltrials.gov) to turn it on.";
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        else
        {
            var run = await SyncWorker.RunOnceAsync(services, httpClients, User.Identity!.Name!, cancellationToken);
            Message = run is null ? "A run is under way already; see it below when it ends." : $"Run {run.Id}: {run.Status.ToLowerInvariant()}.";
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }
}
