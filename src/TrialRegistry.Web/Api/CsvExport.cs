using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using TrialRegistry.Data.Search;

namespace TrialRegistry.Web.Api;

/// <summary>
/// Search results as CSV with the JSON field names; lists joined with '|', doses as "value unit". A cell that a
/// spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return: OWASP's CSV-injection rule)
/// is written with a leading apostrophe, CsvHelper's own escape, so it opens as text.
/// </summary>
public static class CsvExport
{
    /// <summary>Each column: its name (the JSON field's) and how a trial's value is written.</summary>
    private static readonly (string Name, Func<TrialSummary, string?> Value)[] Table =
    [
        ("registryId", t => t.RegistryId),
        ("title", t => t.Title),
        ("status", t => t.Status),
        ("phases", t => string.Join('|', t.Phases)),
        ("targetAntigens", t => string.Join('|', t.TargetAntigens)),
        ("modality", t => t.Modality),
        ("productType", t => t.ProductType),
        ("conditions", t => string.Join('|', t.Conditions)),
        ("routes", t => string.Join('|', t.Routes)),
        ("doseLevels", t => string.Join('|', t.DoseLevels.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Value:R} {d.Unit}")))),
        ("enrollmentCount", t => t.EnrollmentCount?.ToString(CultureInfo.InvariantCulture)),
        ("startDate", t => t.StartDate),
        ("lastUpdated", t => t.LastUpdated),
        ("minAgeYears", t => t.MinAgeYears?.ToString(CultureInfo.InvariantCulture)),
        ("maxAgeYears", t => t.MaxAgeYears?.ToString(CultureInfo.InvariantCulture)),
        ("sex", t => t.Sex),
        ("leadSponsor", t => t.LeadSponsor),
        ("products", t => string.Join('|', t.Products)),
        ("countries", t => string.Join('|', t.Countries)),
    ];

    public static IReadOnlyList<string> Columns { get; } = [.. Table.Select(c => c.Name)];

    /// <summary>The trials as CSV: every column, or those <paramref name="fields"/> names (registryId always first).</summary>
    public static byte[] Trials(IReadOnlyList<TrialSummary> trials, IReadOnlyCollection<string>? fields = null)
    {
        var columns = fields is { Count: > 0 }
            ? Table.Where(c => c.Name == "registryId" || fields.Contains(c.Name)).ToArray()
            : Table;
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape }))
        {
            foreach (var (name, _) in columns)
            {
                csv.WriteField(name);
            }

            csv.NextRecord();
            foreach (var t in trials)
            {
                foreach (var (_, value) in columns)
                {
                    csv.WriteField(value(t));
                }

                csv.NextRecord();
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
