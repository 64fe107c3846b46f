using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;

namespace TrialRegistry.Web.Pages.Admin;

/// <summary>The audit log: who did what, when and to what; filtered by admin, action and trial, newest first, 100 a page.</summary>
public sealed class AuditModel(RegistryDbContext db) : PageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Target { get; set; }

    /// <summary>Entries older than this id (the next page).</summary>
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public IReadOnlyList<string> Actions { get; private set; } = [];
    public long? Next { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Actions = await db.AuditEntries.AsNoTracking().Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Actor))
        {
            entries = entries.Where(a => a.Actor == Actor.Trim());
        }

        if (!string.IsNullOrWhiteSpace(Action))
        {
            entries = entries.Where(a => a.Action == Action);
        }

        if (!string.IsNullOrWhiteSpace(Target))
        {
            var target = Target.Trim().ToUpperInvariant();
            entries = entries.Where(a => a.Target != null && a.Target.ToUpper() == target);
        }

        if (Before is { } before)
        {
            entries = entries.Where(a => a.Id < before);
        }

        var page = await entries.OrderByDescending(a => a.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        Next = page.Count > PageSize ? page[PageSize - 1].Id : null;
        Entries = page.Take(PageSize).ToList();
    }

    /// <summary>This page's filters with another starting point, as a query string.</summary>
    public string Link(long? before) => "/admin/audit" + new Microsoft.AspNetCore.Http.Extensions.QueryBuilder(
        new[] { ("actor", Actor), ("action", Action), ("target", Target), ("before", before?.ToString(System.Globalization.CultureInfo.InvariantCulture)) }
            .Where(p => !string.IsNullOrWhiteSpace(p.Item2)).Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2!))).ToQueryString();
}
