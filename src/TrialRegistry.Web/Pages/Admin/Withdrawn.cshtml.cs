using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;

namespace TrialRegistry.Web.Pages.Admin;

/// <summary>The trials withdrawn by hand (not those merged into another), newest first, with who withdrew them and why.</summary>
public sealed class WithdrawnModel(RegistryDbContext db) : PageModel
{
    public sealed record Line(string RegistryId, string? Title, DateTimeOffset? At, string? Actor, string? Reason);

    public IReadOnlyList<Line> Trials { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Trials = await db.Trials.AsNoTracking()
            .Where(t => t.Withdrawn && t.MergedInto == null)
            .Select(t => new
            {
                t.RegistryId,
                t.Title,
                Last = db.TrialVersions.Where(v => v.TrialId == t.Id && v.ChangedFields.Contains("withdrawn")).OrderByDescending(v => v.Version)
                    .Select(v => new { v.CreatedAt, v.Actor, v.Reason }).FirstOrDefault(),
            })
            .OrderByDescending(x => x.Last!.CreatedAt)
            .Take(500)
            .Select(x => new Line(x.RegistryId, x.Title, x.Last == null ? null : x.Last.CreatedAt, x.Last == null ? null : x.Last.Actor, x.Last == null ? null : x.Last.Reason))
            .ToListAsync(cancellationToken);
}
