using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;

namespace TrialRegistry.Web.Pages;

public sealed class IndexModel(RegistryDbContext db) : PageModel
{
    public sealed record TrialLine(string RegistryId, string? Title, IReadOnlyList<string> Antigens, IReadOnlyList<string> Phases, string? Status);

    public int TrialCount { get; private set; }
    public int DocumentCount { get; private set; }
    public IReadOnlyList<TrialLine> Recent { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        TrialCount = await db.Trials.CountAsync(cancellationToken);
        DocumentCount = await db.SourceDocuments.CountAsync(cancellationToken);
        Recent = await db.Trials.AsNoTracking()
            .OrderByDescending(t => t.UpdatedAt).ThenBy(t => t.RegistryId)
            .Take(20)
            .Select(t => new TrialLine(t.RegistryId, t.Title, t.TargetAntigens.Select(a => a.Symbol).ToList(), t.Phases, t.Status))
            .ToListAsync(cancellationToken);
    }
}
