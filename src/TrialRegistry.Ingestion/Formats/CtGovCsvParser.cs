using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// A CSV file with a header row and one trial a row: the API-v2-flattened columns (<c>NCTId</c>,
/// <c>BriefTitle</c>, <c>OverallStatus</c>, <c>Phase</c>, …) or the website export's (<c>NCT Number</c>,
/// <c>Study Title</c>, …). A file of sites (one row a site, <c>Facility</c> but no <c>Phase</c>) yields one record
/// a trial holding its locations, to be merged with the trial's other documents. Reading uses CsvHelper
/// (RFC 4180 quoting, embedded newlines).
/// </summary>
public sealed class CtGovCsvParser : IDocumentParser
{
    public const string FormatName = "ctgov-csv";
    public const string SitesFormatName = "ctgov-sites-csv";

    // Each field and the header names that carry it in the known exports.
    private static readonly Dictionary<string, string[]> Columns = new()
    {
        ["id"] = ["NCTId", "NCT Number", "nct_id"],
        ["title"] = ["BriefTitle", "Study Title", "brief_title", "Title"],
        ["officialTitle"] = ["OfficialTitle", "Official Title"],
        ["status"] = ["OverallStatus", "Study Status", "overall_status", "Status"],
        ["phase"] = ["Phase", "Phases", "phase"],
        ["conditions"] = ["Conditions", "condition"],
        ["interventions"] = ["Interventions", "intervention"],
        ["start"] = ["StartDate", "Start Date", "start_date"],
        ["completion"] = ["CompletionDate", "Completion Date", "completion_date"],
        ["updated"] = ["LastUpdatePostDate", "Last Update Posted", "last_update_posted"],
        ["enrollment"] = ["EnrollmentCount", "Enrollment", "enrollment"],
        ["countries"] = ["Countries"],
        ["summary"] = ["BriefSummary", "Brief Summary", "brief_summary"],
        ["sponsor"] = ["LeadSponsor", "Sponsor", "lead_sponsor"],
        ["sponsorClass"] = ["LeadSponsorClass", "Funder Type"],
        ["collaborators"] = ["Collaborators"],
        ["minAge"] = ["MinAge", "MinimumAge", "minimum_age"],
        ["maxAge"] = ["MaxAge", "MaximumAge", "maximum_age"],
        ["age"] = ["Age"],
        ["sex"] = ["Sex", "Gender"],
        ["studyType"] = ["StudyType", "Study Type"],
        ["primary"] = ["PrimaryEndpoints", "Primary Outcome Measures"],
        ["secondary"] = ["Secondary Outcome Measures"],
        ["otherIds"] = ["Other IDs", "OrgStudyId"],
        ["facility"] = ["Facility"],
        ["city"] = ["City"],
        ["state"] = ["State"],
        ["country"] = ["Country"],
        ["siteStatus"] = ["SiteStatus"],
    };

    public string Format => FormatName;

    public int Detect(DecodedDocument document)
    {
        var firstLine = document.Text.AsSpan(0, Math.Min(document.Text.Length, 4000));
        var end = firstLine.IndexOf('\n');
        var header = (end >= 0 ? firstLine[..end] : firstLine).ToString();
        if (!header.Contains(',', StringComparison.Ordinal))
        {
            return 0;
        }

        var names = header.Split(',').Select(h => h.Trim().Trim('"')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Columns["id"].Any(names.Contains) ? 95 : 0;
    }

    public IEnumerable<TrialRecord> Parse(DecodedDocument document)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null,
            MissingFieldFound = null,
            HeaderValidated = null,
            DetectColumnCountChanges = false,
            TrimOptions = TrimOptions.Trim,
        };
        using var reader = new StringReader(document.Text);
        using var csv = new CsvReader(reader, config);
        if (!csv.Read())
        {
            yield break;
        }

        csv.ReadHeader();
        var header = csv.HeaderRecord ?? [];
        var index = Columns.ToDictionary(
            c => c.Key,
            c => c.Value.Select(name => Array.FindIndex(header, h => h.Equals(name, StringComparison.OrdinalIgnoreCase))).FirstOrDefault(i => i >= 0, -1));
        var isSites = index["facility"] >= 0 && index["phase"] < 0;

        if (isSites)
        {
            foreach (var record in ReadSites(csv, index, document))
            {
                yield return record;
            }

            yield break;
        }

        var row = 1;
        while (csv.Read())
        {
            row++;
            string? F(string key) => index[key] >= 0 && csv.TryGetField<string>(index[key], out var v) ? TextClean.Fold(v) : null;
            var id = F("id");
            if (id is null)
            {
                continue;
            }

            yield return ReadRow(F, new SourceInfo($"{document.FileName}#row{row}", FormatName, document.Sha256));
        }
    }

    private static TrialRecord ReadRow(Func<string, string?> f, SourceInfo source)
    {
        var sponsors = new List<Sponsor>();
        if (f("sponsor") is { } lead)
        {
            sponsors.Add(new Sponsor(lead, SponsorRole.Lead, f("sponsorClass")?.ToUpperInvariant()));
        }

        sponsors.AddRange(Split(f("collaborators")).Select(c => new Sponsor(c, SponsorRole.Collaborator, null)));
        var outcomes = Split(f("primary")).Select(o => CtGovCsvRowParser.ReadOutcome(OutcomeKind.Primary, o))
            .Concat(Split(f("secondary")).Select(o => CtGovCsvRowParser.ReadOutcome(OutcomeKind.Secondary, o)))
            .ToList();
        var (minAge, maxAge) = (FieldParsers.AgeYears(f("minAge")), FieldParsers.AgeYears(f("maxAge")));
        if (f("age") is { } age && minAge is null && maxAge is null)
        {
            // The website export writes "18 Years to 70 Years (Adult, Older Adult)".
            var range = age.Split('(')[0].Split(" to ");
            minAge = FieldParsers.AgeYears(range[0]);
            maxAge = range.Length > 1 ? FieldParsers.AgeYears(range[1]) : null;
        }

        return new TrialRecord
        {
            Source = source,
            RegistryId = f("id")!.ToUpperInvariant(),
            SecondaryIds = Split(f("otherIds")),
            Title = f("title"),
            OfficialTitle = f("officialTitle"),
            BriefSummary = f("summary"),
            Status = FieldParsers.Status(f("status")),
            Phases = FieldParsers.Phases(f("phase")),
            StudyType = FieldParsers.StudyTypeValue(f("studyType")),
            Enrollment = FieldParsers.EnrollmentValue(f("enrollment")),
            StartDate = FieldParsers.IsoDate(f("start")),
            CompletionDate = FieldParsers.IsoDate(f("completion")),
            LastUpdated = FieldParsers.IsoDate(f("updated")),
            Conditions = Split(f("conditions")),
            // Interventions are names only here ("Drug: fludarabine" in the website export).
            Interventions = Split(f("interventions")).Select(n =>
            {
                var parts = n.Split(':', 2);
                return parts.Length == 2 && FieldParsers.InterventionTypeValue(parts[0]) is { } type
                    ? new Intervention { Name = parts[1].Trim(), Type = type }
                    : new Intervention { Name = n };
            }).DistinctBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ToList(),
            Eligibility = new Eligibility { MinAgeYears = minAge, MaxAgeYears = maxAge, Sex = FieldParsers.SexValue(f("sex")) },
            Sponsors = sponsors,
            Locations = Split(f("countries")).Select(c => new Location(null, null, null, c, null)).ToList(),
            Outcomes = outcomes,
        };
    }

    private static IEnumerable<TrialRecord> ReadSites(CsvReader csv, Dictionary<string, int> index, DecodedDocument document)
    {
        var byTrial = new Dictionary<string, (string? Title, TrialStatus? Status, List<Location> Locations)>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        while (csv.Read())
        {
            string? F(string key) => index[key] >= 0 && csv.TryGetField<string>(index[key], out var v) ? TextClean.Fold(v) : null;
            if (F("id") is not { } id)
            {
                continue;
            }

            if (!byTrial.TryGetValue(id, out var entry))
            {
                entry = (F("title"), FieldParsers.Status(F("status")), []);
                byTrial[id] = entry;
                order.Add(id);
            }

            entry.Locations.Add(new Location(F("facility"), F("city"), F("state"), F("country"), FieldParsers.Status(F("siteStatus"))));
        }

        foreach (var id in order)
        {
            var (title, status, locations) = byTrial[id];
            yield return new TrialRecord
            {
                Source = new SourceInfo($"{document.FileName}#{id}", SitesFormatName, document.Sha256),
                RegistryId = id.ToUpperInvariant(),
                Title = title,
                Status = status,
                Locations = locations,
            };
        }
    }

    private static List<string> Split(string? value) =>
        value is null ? [] : TextClean.Distinct(value.Split('|'));
}
