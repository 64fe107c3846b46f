using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TrialRegistry.Data.Search;

namespace TrialRegistry.Web.Pages.Antigens;

/// <summary>The dose landscape of one antigen: every trial's dose levels on a log scale, a row per route, a chart per unit.</summary>
public sealed class LandscapeModel(AntigenLandscape landscape) : PageModel
{
    public const double Width = 760;
    public const double Left = 180;
    public const double Right = 24;
    public const double Top = 16;
    public const double RowHeight = 48;
    public const double Bottom = 44;

    public sealed record Point(double X, double Y, bool Highlight, DosePoint Dose);

    public sealed record Chart(string Unit, int MinExponent, int MaxExponent, IReadOnlyList<string> Routes, IReadOnlyList<Point> Points)
    {
        public double Height => Top + Routes.Count * RowHeight + Bottom;
        public double PlotWidth => Width - Left - Right;
        public double XOf(double exponent) => Left + (exponent - MinExponent) / (MaxExponent - MinExponent) * PlotWidth;
        public double RowY(int row) => Top + row * RowHeight + RowHeight / 2;
    }

    public AntigenLandscapeResult? Result { get; private set; }
    public IReadOnlyList<Chart> Charts { get; private set; } = [];
    public string Symbol { get; private set; } = string.Empty;
    public string? Trial { get; private set; }

    public async Task OnGetAsync(string symbol, string? trial, CancellationToken cancellationToken)
    {
        Symbol = symbol;
        Trial = string.IsNullOrWhiteSpace(trial) ? null : TrialReader.NormalizeId(trial);
        Result = await landscape.GetAsync(symbol, cancellationToken);
        if (Result is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var units = new[] { "CELLS_PER_KG", "CELLS", "CELLS_PER_M2" };
        Charts = Result.Doses.Where(d => d.Value > 0).GroupBy(d => d.Unit)
            .OrderBy(g => Array.IndexOf(units, g.Key))
            .Select(g => Build(g.Key, g.ToList()))
            .ToList();
    }

    private Chart Build(string unit, IReadOnlyList<DosePoint> doses)
    {
        var min = (int)Math.Floor(Math.Log10(doses.Min(d => d.Value)));
        var max = (int)Math.Ceiling(Math.Log10(doses.Max(d => d.Value)));
        if (max <= min)
        {
            max = min + 1;
        }

        var routes = doses.Select(d => d.Route).Distinct().OrderBy(r => r == AntigenLandscape.UnknownRoute).ThenBy(r => r, StringComparer.Ordinal).ToList();
        var chart = new Chart(unit, min, max, routes, []);
        var points = doses.Select(d =>
        {
            // Spread points of one row vertically by trial, so that trials at the same dose stay apart.
            var jitter = ((uint)StableHash(d.RegistryId) % 29) - 14.0;
            return new Point(
                Math.Round(chart.XOf(Math.Log10(d.Value)), 1),
                Math.Round(chart.RowY(routes.IndexOf(d.Route)) + jitter * 0.9, 1),
                Trial is not null && d.RegistryId == Trial,
                d);
        }).OrderBy(p => p.Highlight).ToList();
        return chart with { Points = points };
    }

    private static int StableHash(string text)
    {
        unchecked
        {
            var hash = 17;
            foreach (var c in text)
            {
                hash = hash * 31 + c;
            }

            return hash;
        }
    }

    public static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
