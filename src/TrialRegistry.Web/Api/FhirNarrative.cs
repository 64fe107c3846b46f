using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using TrialRegistry.Data.Search;
using TrialRegistry.Web.Pages.Shared;

namespace TrialRegistry.Web.Api;

/// <summary>
/// The human-readable summary every FHIR resource should carry (R4 dom-6): the trial's title, identifier, status,
/// phase, conditions, targets, products, lead sponsor and countries, as XHTML built only from the record's values
/// (escaped, control characters dropped, so the div is always well-formed), with status "generated".
/// </summary>
public static class FhirNarrative
{
    public static Narrative Of(TrialDetail trial)
    {
        var html = new StringBuilder("<div xmlns=\"http://www.w3.org/1999/xhtml\">");
        html.Append("<p><b>").Append(Text(trial.Title ?? trial.OfficialTitle ?? trial.RegistryId)).Append("</b></p><ul>");
        Item(html, "Identifier", trial.RegistryId);
        Item(html, "Status", trial.Status is null ? null : Display.Name(trial.Status));
        Item(html, "Phase", trial.Phases.Count == 0 ? null : Display.Names(trial.Phases));
        Item(html, "Conditions", Join(trial.Conditions));
        Item(html, "Target antigens", Join(trial.TargetAntigens.Select(a => a.Symbol)));
        Item(html, "Products", Join(trial.Products));
        Item(html, "Lead sponsor", trial.Sponsors.FirstOrDefault(s => s.Role == "LEAD")?.Name);
        Item(html, "Countries", Join(trial.Locations.Select(l => l.Country).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)));
        html.Append("</ul></div>");
        return new Narrative { Status = Narrative.NarrativeStatus.Generated, Div = html.ToString() };
    }

    private static string? Join(IEnumerable<string> values) => values.ToList() is { Count: > 0 } list ? string.Join(", ", list) : null;

    private static void Item(StringBuilder html, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            html.Append("<li>").Append(label).Append(": ").Append(Text(value)).Append("</li>");
        }
    }

    /// <summary>Escaped for XHTML, without the characters XML 1.0 cannot hold.</summary>
    private static string Text(string value) => WebUtility.HtmlEncode(ResponseText.XmlSafe(value));
}
