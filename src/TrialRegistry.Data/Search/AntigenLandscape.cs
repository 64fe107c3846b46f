using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Data.Search;

/// <summary>One dose level of one trial, with the route it is given by (the arm's, else the trial's).</summary>
public sealed record DosePoint(string RegistryId, string? Title, string Route, string Unit, double Value, string Text);

public sealed record AntigenLandscapeResult(
    string Symbol,
    string Name,
    IReadOnlyList<string> Synonyms,
    int TrialCount,
    IReadOnlyList<FacetValue> TrialsByPhase,
    IReadOnlyList<DosePoint> Doses);

/// <summary>Every dose level of every trial targeting one antigen, for the dose landscape page.</summary>
public sealed class AntigenLandscape(RegistryDbContext db)
{
    public const string UnknownRoute = "ROUTE_NOT_STATED";

    /// <summary>The landscape of an antigen given by symbol or synonym; null when no antigen has that name.</summary>
    public async Task<AntigenLandscapeResult?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var wanted = AntigenVocabulary.Normalize(name);
        var antigens = await db.TargetAntigens.AsNoTracking().ToListAsync(cancellationToken);
        var antigen = antigens.FirstOrDefault(a => AntigenVocabulary.Normalize(a.Symbol) == wanted)
            ?? antigens.FirstOrDefault(a => a.Synonyms.Append(a.Name).Any(s => AntigenVocabulary.Normalize(s) == wanted));
        if (antigen is null)
        {
            return null;
        }

        var trials = db.Trials.AsNoTracking().Where(t => !t.Withdrawn && t.TargetAntigens.Any(a => a.Id == antigen.Id));
        var trialCount = await trials.CountAsync(cancellationToken);
        var phases = (await trials.SelectMany(t => t.Phases).GroupBy(p => p).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            .Select(p => new FacetValue(p.Key, p.Count))
            .OrderBy(p => Array.IndexOf(PhaseOrder, p.Value))
            .ToList();

        var rows = await trials
            .SelectMany(t => t.DoseLevels.Select(d => new
            {
                t.RegistryId,
                t.Title,
                TrialRoutes = t.Routes,
                ArmRoutes = d.ArmId == null ? null : t.Arms.Where(a => a.Id == d.ArmId).Select(a => a.Routes).FirstOrDefault(),
                d.Unit,
                d.Value,
                d.Text,
            }))
            .ToListAsync(cancellationToken);
        var doses = rows
            .SelectMany(r => (r.ArmRoutes is { Count: > 0 } arm ? arm : r.TrialRoutes is { Count: > 0 } trial ? trial : [UnknownRoute])
                .Select(route => new DosePoint(r.RegistryId, r.Title, route, r.Unit, r.Value, r.Text)))
            .Distinct()
            .OrderBy(d => d.Unit, StringComparer.Ordinal).ThenBy(d => d.Route, StringComparer.Ordinal).ThenBy(d => d.Value)
            .ToList();

        return new AntigenLandscapeResult(antigen.Symbol, antigen.Name, antigen.Synonyms, trialCount, phases, doses);
    }

    private static readonly string[] PhaseOrder = ["EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA"];
}
