using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Web.Pages.Shared;

namespace TrialRegistry.Web.Pages.Admin;

/// <summary>One changed field as an admin reads it: the values before and after, as text.</summary>
public sealed record ReadableChange(string Field, string? Before, string? After);

/// <summary>
/// What storing one record of an upload would do, as the batch page shows it: the values read (not counts), each
/// changed field before and after, warnings, inferred fields, kept corrections and the matcher's answer.
/// </summary>
public sealed record PreviewLine(
    string? RegistryId, string? Title, ImportOutcome Outcome, IReadOnlyList<string> Facts, IReadOnlyList<ReadableChange> Changes,
    IReadOnlyList<string> Warnings, IReadOnlyList<string> Inferred, IReadOnlyList<string> KeptCorrections,
    TrialMatch? Certain, IReadOnlyList<TrialMatch> Probable);

/// <summary>
/// An upload's preview as kept with it: the format it was read as, why not if it was not, whether it held more
/// records than the preview covers, and the lines.
/// </summary>
public sealed record KeptPreview(string Format, string? Error, bool Truncated, IReadOnlyList<PreviewLine> Lines)
{
    public static KeptPreview None { get; } = new(string.Empty, null, false, []);
}

/// <summary>Which lines of a preview the page lists.</summary>
public enum PreviewFilter
{
    All,
    Changes,
    New,
    Warnings,
}

/// <summary>
/// The preview of an upload, every record of it (up to <see cref="MaxRecords"/>), worked out once per change of the
/// registry and kept with the upload: a pending upload's preview is worked out again when the registry changed since
/// (or an admin decided a match); a confirmed upload keeps the one it was confirmed with.
/// </summary>
public static class UploadPreview
{
    public const int MaxRecords = 5000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>
    /// The preview of an upload: the kept one when still current (or the upload is no longer pending), else worked
    /// out (the document read once) and kept. A kept preview that cannot be read back counts as none.
    /// </summary>
    public static async Task<KeptPreview> GetAsync(RegistryDbContext db, TrialStore store, Upload upload, CancellationToken cancellationToken)
    {
        var version = await db.Database.SqlQuery<long>($"SELECT version AS \"Value\" FROM trial_change_version").SingleAsync(cancellationToken);
        if (upload.Preview is { } kept && (upload.Status != UploadStatus.Pending || upload.PreviewVersion == version) && Read(kept) is { } preview)
        {
            return preview;
        }

        if (upload.Status != UploadStatus.Pending)
        {
            return KeptPreview.None;
        }

        var parsed = DocumentParser.Default.Parse(upload.Content, upload.FileName);
        var previews = await store.PreviewAsync(parsed with { Records = [.. parsed.Records.Take(MaxRecords)] }, upload.MatchDecisions, cancellationToken);
        var fresh = new KeptPreview(parsed.Format, parsed.Error, parsed.Records.Count > MaxRecords, [.. previews.Select(Line)]);
        var json = JsonSerializer.Serialize(fresh, Json);
        await db.Uploads.Where(u => u.Id == upload.Id && u.Status == UploadStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Preview, json).SetProperty(x => x.PreviewVersion, version), cancellationToken);
        return fresh;
    }

    private static KeptPreview? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<KeptPreview>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static bool Shows(PreviewLine line, PreviewFilter filter) => filter switch
    {
        PreviewFilter.Changes => line.Outcome is ImportOutcome.New or ImportOutcome.Updated,
        PreviewFilter.New => line.Outcome == ImportOutcome.New,
        PreviewFilter.Warnings => line.Warnings.Count > 0,
        _ => true,
    };

    private static PreviewLine Line(RecordPreview preview) => new(
        preview.Record.RegistryId, preview.Record.Title, preview.Outcome, Facts(preview.Record),
        [.. preview.Changes.Select(c => new ReadableChange(c.Field, Readable(c.Before), Readable(c.After)))],
        [.. preview.Record.Warnings.Select(w => w.Message + (w.Line is { } line ? $" (line {line})" : "") + (w.Raw is { } raw ? $": “{raw}”" : ""))],
        preview.Record.Inferred, preview.KeptCorrections, preview.Match?.Certain, preview.Match?.Probable ?? []);

    /// <summary>The record's values an admin checks first, as "label: values".</summary>
    public static IReadOnlyList<string> Facts(TrialRecord r)
    {
        var facts = new List<string>();
        void Add(string label, IEnumerable<string> values, int show = 6)
        {
            var all = values.Where(v => !string.IsNullOrWhiteSpace(v)).Distinct().ToList();
            if (all.Count > 0)
            {
                facts.Add($"{label}: {string.Join("; ", all.Take(show))}{(all.Count > show ? $" and {all.Count - show} more" : "")}");
            }
        }

        Add("Targets", r.TargetAntigens);
        Add("Phase", r.Phases.Select(p => Display.Name(VocabularyNames.ToName(p))));
        Add("Status", r.Status is { } status ? [Display.Name(VocabularyNames.ToName(status))] : []);
        Add("Conditions", r.Conditions, 4);
        Add("Products", r.Products);
        Add("Arms", r.Arms.Select(a => a.Label), 4);
        Add("Doses", r.DoseLevels.Select(d => d.Text), 5);
        Add("Routes", r.Routes.Select(x => Display.Name(VocabularyNames.ToName(x))));
        Add("Lymphodepletion", r.Lymphodepletion);
        if (r.Eligibility is { } e)
        {
            Add("Eligibility", [
                Display.Ages(e.MinAgeYears, e.MaxAgeYears),
                e.Sex is { } sex ? Display.Sex(VocabularyNames.ToName(sex)) : "",
                $"{e.Inclusion.Count} inclusion and {e.Exclusion.Count} exclusion criteria",
            ]);
        }

        Add("Lead sponsor", r.Sponsors.Where(s => s.Role == SponsorRole.Lead).Select(s => s.Name));
        var countries = r.Locations.Select(l => l.Country).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (r.Locations.Count > 0)
        {
            facts.Add(string.Create(CultureInfo.InvariantCulture, $"Sites: {r.Locations.Count}{(countries.Count > 0 ? " in " + string.Join(", ", countries.Take(5)) + (countries.Count > 5 ? $" and {countries.Count - 5} more countries" : "") : "")}"));
        }

        return facts;
    }

    /// <summary>
    /// A field's JSON as text: a value as itself, a list one item a line, an object by the parts that name it (a
    /// dose's text, an arm's label, a site's place) or else its fields as "name: value". Null stays null ("none").
    /// </summary>
    public static string? Readable(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return Text(document.RootElement) is { Length: > 0 } text ? text : null;
    }

    private static string Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.String => element.GetString() ?? "",
        JsonValueKind.Array => string.Join("\n", element.EnumerateArray().Select(Text).Where(t => t.Length > 0)),
        JsonValueKind.Object => Named(element),
        _ => element.GetRawText(),
    };

    private static string Named(JsonElement element)
    {
        foreach (var name in new[] { "text", "label", "name", "measure" })
        {
            if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString() ?? "";
            }
        }

        if (element.TryGetProperty("city", out _) || element.TryGetProperty("facility", out _))
        {
            return string.Join(", ", new[] { "facility", "city", "state", "country" }
                .Select(p => element.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null).OfType<string>());
        }

        return string.Join("; ", element.EnumerateObject().Select(p => (p.Name, Text: Text(p.Value))).Where(p => p.Text.Length > 0).Select(p => $"{p.Name}: {p.Text.Replace('\n', ',')}"));
    }
}
