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
    public static readonly string[] Columns =
        ["registryId", "title", "status", "phases", "targetAntigens", "modality", "productType", "conditions", "routes", "doseLevels", "enrollmentCount", "startDate", "lastUpdated",
         "minAgeYears", "maxAgeYears", "sex", "leadSponsor", "products", "countries"];

    public static byte[] Trials(IReadOnlyList<TrialSummary> trials)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape }))
        {
            foreach (var column in Columns)
            {
                csv.WriteField(column);
            }

            csv.NextRecord();
            foreach (var t in trials)
            {
                csv.WriteField(t.RegistryId);
                csv.WriteField(t.Title);
                csv.WriteField(t.Status);
                csv.WriteField(string.Join('|', t.Phases));
                csv.WriteField(string.Join('|', t.TargetAntigens));
                csv.WriteField(t.Modality);
                csv.WriteField(t.ProductType);
                csv.WriteField(string.Join('|', t.Conditions));
                csv.WriteField(string.Join('|', t.Routes));
                csv.WriteField(string.Join('|', t.DoseLevels.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Value:R} {d.Unit}"))));
                csv.WriteField(t.EnrollmentCount?.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(t.StartDate);
                csv.WriteField(t.LastUpdated);
                csv.WriteField(t.MinAgeYears?.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(t.MaxAgeYears?.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(t.Sex);
                csv.WriteField(t.LeadSponsor);
                csv.WriteField(string.Join('|', t.Products));
                csv.WriteField(string.Join('|', t.Countries));
                csv.NextRecord();
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
