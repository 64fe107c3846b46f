using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Knowledge;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// A CSV (or tab-separated) file with a header row and one trial a row, its columns recognised by meaning rather than
/// exact name: headers are compared after folding case, '#', '_', spaces and punctuation, so the ClinicalTrials.gov
/// website export ("NCT Number", "Study Title"), the API v2 flattening ("NCTId", "BriefTitle"), AACT
/// ("#nct_id", "brief_title", "overall_status", "eligibility_criteria") and the corpus's curated columns all read. A
/// column it does not know is named in one warning; a header line repeated inside the file is skipped; an eligibility
/// text column becomes criteria. A file of sites (one row a site, a facility column but no phase) yields one record
/// a trial holding its locations. Reading uses CsvHelper (RFC 4180 quoting, embedded newlines, delimiter detection).
/// </summary>
public sealed class CtGovCsvParser : IDocumentParser
{
    public const string FormatName = "ctgov-csv";
    public const string SitesFormatName = "ctgov-sites-csv";

    // Each field and the folded header names that carry it.
    private static readonly Dictionary<string, string[]> Columns = new()
    {
        ["id"] = ["nctid", "nctnumber", "nct", "nctno", "registryid", "trialid", "trialregistrationnumber", "registrationnumber"],
        ["title"] = ["brieftitle", "studytitle", "title", "publictitle", "shorttitle"],
        ["officialTitle"] = ["officialtitle", "scientifictitle", "fulltitle"],
        ["acronym"] = ["acronym", "studyacronym"],
        ["status"] = ["overallstatus", "studystatus", "status", "recruitmentstatus", "currentstatus"],
        ["phase"] = ["phase", "phases", "studyphase", "trialphase"],
        ["studyType"] = ["studytype", "type"],
        ["conditions"] = ["conditions", "condition", "conditionslist", "diseases", "indication"],
        ["interventions"] = ["interventions", "intervention", "interventionnames", "interventionname", "treatments"],
        ["interventionDescriptions"] = ["interventiondescriptions", "interventiondescription", "interventiondetails"],
        ["start"] = ["startdate", "studystart", "studystartdate"],
        ["primaryCompletion"] = ["primarycompletiondate"],
        ["completion"] = ["completiondate", "studycompletiondate"],
        ["updated"] = ["lastupdatepostdate", "lastupdateposted", "lastupdatesubmitdate", "lastchangeddate", "lastupdated", "lastupdate"],
        ["enrollment"] = ["enrollmentcount", "enrollment", "enrolment", "targetenrollment", "samplesize", "numberofparticipants"],
        ["enrollmentType"] = ["enrollmenttype", "enrolmenttype"],
        ["countries"] = ["countries", "locationcountries", "countryoflocations"],
        ["summary"] = ["briefsummary", "summary", "briefdescription"],
        ["description"] = ["detaileddescription", "description", "detaileddescriptions"],
        ["sponsor"] = ["leadsponsor", "sponsor", "leadsponsorname", "primarysponsor", "sponsorname"],
        ["sponsorClass"] = ["leadsponsorclass", "fundertype", "agencyclass", "leadsponsoragencyclass"],
        ["collaborators"] = ["collaborators", "collaborator", "collaboratornames"],
        ["minAge"] = ["minage", "minimumage"],
        ["maxAge"] = ["maxage", "maximumage"],
        ["age"] = ["age", "ages"],
        ["sex"] = ["sex", "gender"],
        ["healthy"] = ["healthyvolunteers", "acceptshealthyvolunteers"],
        ["primary"] = ["primaryendpoints", "primaryoutcomemeasures", "primaryoutcomes", "primaryoutcome"],
        ["secondary"] = ["secondaryoutcomemeasures", "secondaryoutcomes", "secondaryoutcome"],
        ["other"] = ["otheroutcomemeasures", "otheroutcomes"],
        ["otherIds"] = ["otherids", "orgstudyid", "secondaryids", "secondaryid", "otheridentifiers"],
        ["eligibility"] = ["eligibilitycriteria", "criteria", "eligibility", "inclusionexclusioncriteria"],
        ["facilities"] = ["facilities", "locations", "sites"],
        ["facility"] = ["facility", "facilityname", "site", "sitename"],
        ["city"] = ["city"],
        ["state"] = ["state", "province", "region"],
        ["country"] = ["country"],
        ["siteStatus"] = ["sitestatus", "recruitingstatus", "facilitystatus"],
        ["zip"] = ["zip", "postalcode", "zipcode"],
        ["latitude"] = ["latitude", "lat"],
        ["longitude"] = ["longitude", "lon", "lng"],
    };

    // Columns the registry knows and deliberately does not read: links, flags, dates it does not keep,
    // and the corpus CSV's own automatic classification (a rough second opinion, not registry data).
    private static readonly HashSet<string> KnownUnread = new(StringComparer.Ordinal)
    {
        "studyurl", "url", "studyresults", "hasresults", "resultsfirstposted", "firstposted", "studyfirstpostdate",
        "studydesign", "studydocuments", "stdages", "agegroup",
        "branch", "diseasecategory", "diseaseentity", "diseaseentities", "trialdesign", "llmoverride", "targetcategory",
        "targetsource", "producttype", "producttypesource", "productname", "sponsortype", "classificationconfidence",
        "startyear", "snapshotdate", "studyfirstsubmitdate", "resultsfirstpostdate", "verificationdate",
    };

    public string Format => FormatName;

    /// <summary>The header name folded for comparison: "#nct_id" = "NCT Number" = "NCTId" → "nctid"/"nctnumber".</summary>
    public static string Fold(string header) =>
        new(header.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    public int Detect(DecodedDocument document)
    {
        var head = document.Text.AsSpan(0, Math.Min(document.Text.Length, 4000));
        var end = head.IndexOf('\n');
        var header = (end >= 0 ? head[..end] : head).ToString().TrimStart('\uFEFF');
        var delimiter = header.Contains('\t', StringComparison.Ordinal) && !header.Contains(',', StringComparison.Ordinal) ? '\t' : ',';
        if (!header.Contains(delimiter, StringComparison.Ordinal))
        {
            return 0;
        }

        var names = header.Split(delimiter).Select(h => Fold(h.Trim().Trim('"'))).ToHashSet(StringComparer.Ordinal);
        return Columns["id"].Any(names.Contains) && names.Count >= 3 ? 95 : 0;
    }

    public IEnumerable<TrialRecord> Parse(DecodedDocument document)
    {
        var text = document.Text.TrimStart('\uFEFF');
        var firstLine = text.AsSpan(0, Math.Max(0, text.IndexOf('\n', StringComparison.Ordinal) is var nl and >= 0 ? nl : text.Length)).ToString();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = null,
            MissingFieldFound = null,
            HeaderValidated = null,
            DetectColumnCountChanges = false,
            TrimOptions = TrimOptions.Trim,
            Delimiter = firstLine.Contains('\t', StringComparison.Ordinal) && !firstLine.Contains(',', StringComparison.Ordinal) ? "\t" : ",",
        };
        using var reader = new StringReader(text);
        using var csv = new CsvReader(reader, config);
        if (!csv.Read())
        {
            yield break;
        }

        csv.ReadHeader();
        var header = (csv.HeaderRecord ?? []).Select(h => Fold(h)).ToArray();
        var index = Columns.ToDictionary(c => c.Key, c => c.Value.Select(name => Array.IndexOf(header, name)).FirstOrDefault(i => i >= 0, -1));
        var used = index.Values.Where(i => i >= 0).ToHashSet();
        var unmapped = (csv.HeaderRecord ?? []).Where((h, i) => !used.Contains(i) && !KnownUnread.Contains(header[i]) && header[i].Length > 0)
            .Select(h => new ParseWarning(WarningCodes.UnmappedColumn, $"line 1: column '{h.Trim()}' is not a field the registry reads; its values were left out") { Line = 1 }.About(h))
            .ToList();
        var isSites = index["facility"] >= 0 && index["phase"] < 0;

        if (isSites)
        {
            foreach (var record in ReadSites(csv, index, header, document))
            {
                yield return record;
            }

            yield break;
        }

        while (csv.Read())
        {
            var row = csv.Parser.RawRow;
            string? F(string key) => index[key] >= 0 && csv.TryGetField<string>(index[key], out var v) ? TextClean.Fold(v) : null;
            string? Raw(string key) => index[key] >= 0 && csv.TryGetField<string>(index[key], out var v) ? v : null;
            var id = F("id");
            if (id is null || IsRepeatedHeader(csv, header))
            {
                continue;
            }

            var record = ReadRow(F, Raw, new SourceInfo($"{document.FileName}#row{row}", FormatName, document.Sha256));
            yield return unmapped.Count == 0 ? record : record with { Warnings = [.. record.Warnings, .. unmapped] };
        }
    }

    /// <summary>A header line repeated inside the file (files concatenated): its cells are the header's names.</summary>
    private static bool IsRepeatedHeader(CsvReader csv, string[] header)
    {
        var cells = csv.Parser.Record ?? [];
        var same = cells.Select(Fold).Zip(header).Count(p => p.First == p.Second && p.First.Length > 0);
        return same >= Math.Max(2, header.Count(h => h.Length > 0) / 2);
    }

    private static TrialRecord ReadRow(Func<string, string?> f, Func<string, string?> raw, SourceInfo source)
    {
        var sponsors = new List<Sponsor>();
        if (f("sponsor") is { } lead)
        {
            sponsors.Add(new Sponsor(lead, SponsorRole.Lead, f("sponsorClass")?.ToUpperInvariant()));
        }

        sponsors.AddRange(Split(f("collaborators")).Select(c => new Sponsor(c, SponsorRole.Collaborator, null)));
        var outcomes = Split(f("primary")).Select(o => CtGovCsvRowParser.ReadOutcome(OutcomeKind.Primary, o))
            .Concat(Split(f("secondary")).Select(o => CtGovCsvRowParser.ReadOutcome(OutcomeKind.Secondary, o)))
            .Concat(Split(f("other")).Select(o => CtGovCsvRowParser.ReadOutcome(OutcomeKind.Other, o)))
            .ToList();
        var (minAge, maxAge) = (FieldParsers.AgeYears(f("minAge")), FieldParsers.AgeYears(f("maxAge")));
        if (f("age") is { } age && minAge is null && maxAge is null)
        {
            // The website export writes "18 Years to 70 Years (Adult, Older Adult)".
            var range = age.Split('(')[0].Split(" to ");
            minAge = FieldParsers.AgeYears(range[0]);
            maxAge = range.Length > 1 ? FieldParsers.AgeYears(range[1]) : null;
        }

        var criteriaText = raw("eligibility");
        var (inclusion, exclusion) = CriteriaParser.Parse(criteriaText);
        var descriptions = SplitKeepingEmpty(raw("interventionDescriptions"));
        var interventions = Split(f("interventions")).Select((n, i) =>
        {
            var parts = n.Split(':', 2);
            var intervention = parts.Length == 2 && FieldParsers.InterventionTypeValue(parts[0]) is { } type
                ? new Intervention { Name = parts[1].Trim(), Type = type }
                : new Intervention { Name = n };
            return i < descriptions.Count && descriptions[i] is { } d ? intervention with { Description = d } : intervention;
        }).DistinctBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ToList();

        var countries = Split(f("countries")).ToList();
        var locations = Split(f("facilities")).Select(ReadFacility).ToList();
        // Countries the facilities do not already name stand alone.
        locations.AddRange(countries.Where(c => locations.All(l => !string.Equals(l.Country, c, StringComparison.OrdinalIgnoreCase)))
            .Select(c => new Location(null, null, null, c, null)));
        if (countries.Count == 1)
        {
            locations = locations.Select(l => l.Country is null ? l with { Country = countries[0] } : l).ToList();
        }

        var enrollment = FieldParsers.EnrollmentValue(f("enrollment"));
        if (enrollment is not null && FieldParsers.EnrollmentTypeValue(f("enrollmentType")) is { } enrollmentType)
        {
            enrollment = enrollment with { Type = enrollmentType };
        }

        return new TrialRecord
        {
            Source = source,
            RegistryId = RegistryIds.Find(f("id")).FirstOrDefault()?.Id ?? f("id")!.ToUpperInvariant(),
            SecondaryIds = Split(f("otherIds")),
            Title = f("title"),
            OfficialTitle = f("officialTitle"),
            BriefSummary = f("summary"),
            DetailedDescription = f("description"),
            Status = FieldParsers.Status(f("status")),
            Phases = FieldParsers.Phases(f("phase")),
            StudyType = FieldParsers.StudyTypeValue(f("studyType")),
            Enrollment = enrollment,
            StartDate = FieldParsers.IsoDate(f("start")),
            CompletionDate = FieldParsers.IsoDate(f("completion") ?? f("primaryCompletion")),
            LastUpdated = FieldParsers.IsoDate(f("updated")),
            Conditions = Split(f("conditions")),
            // Interventions are names only here ("Drug: fludarabine" in the website export).
            Interventions = interventions,
            Eligibility = new Eligibility
            {
                MinAgeYears = minAge,
                MaxAgeYears = maxAge,
                Sex = FieldParsers.SexValue(f("sex")),
                HealthyVolunteers = FieldParsers.YesNo(f("healthy")),
                Inclusion = inclusion,
                Exclusion = exclusion,
                CriteriaText = string.IsNullOrWhiteSpace(criteriaText) ? null : criteriaText,
            },
            Sponsors = sponsors,
            Locations = locations,
            Outcomes = outcomes,
        };
    }

    /// <summary>"Froedtert Hospital, Milwaukee, Wisconsin, 53226, United States": facility, city, state, country.</summary>
    private static Location ReadFacility(string text)
    {
        var parts = text.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        var country = parts.Count > 1 ? Gazetteer.Country(parts[^1]) : null;
        if (country is not null)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        parts = parts.Where(p => !p.All(c => char.IsDigit(c) || c == '-')).ToList();
        return parts.Count switch
        {
            0 => new Location(null, null, null, country, null),
            1 => new Location(parts[0], null, null, country, null),
            2 => new Location(parts[0], parts[1], null, country, null),
            _ => new Location(string.Join(", ", parts[..^2]), parts[^2], parts[^1], country, null),
        };
    }

    private static IEnumerable<TrialRecord> ReadSites(CsvReader csv, Dictionary<string, int> index, string[] header, DecodedDocument document)
    {
        var byTrial = new Dictionary<string, (string? Title, TrialStatus? Status, List<Location> Locations)>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        while (csv.Read())
        {
            string? F(string key) => index[key] >= 0 && csv.TryGetField<string>(index[key], out var v) ? TextClean.Fold(v) : null;
            if (F("id") is not { } id || IsRepeatedHeader(csv, header))
            {
                continue;
            }

            if (!byTrial.TryGetValue(id, out var entry))
            {
                entry = (F("title"), FieldParsers.Status(F("status")), []);
                byTrial[id] = entry;
                order.Add(id);
            }

            var (latitude, longitude) = FieldParsers.Coordinates(F("latitude"), F("longitude"));
            entry.Locations.Add(new Location(F("facility"), F("city"), F("state"), F("country"), FieldParsers.Status(F("siteStatus")), latitude, longitude, F("zip")));
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

    /// <summary>A list cell: '|' separates items (';' when no '|' is used); commas stay inside names ("Lymphoma, B-Cell").</summary>
    private static List<string> Split(string? value) => TextClean.Distinct(SplitKeepingEmpty(value));

    /// <summary>'|' separates items; without one, "; " does (a ';' inside a word, as in "&amp;#39;s", does not).</summary>
    private static List<string?> SplitKeepingEmpty(string? value) =>
        value is null ? [] : (value.Contains('|', StringComparison.Ordinal) ? value.Split('|') : value.Split("; ")).Select(TextClean.Fold).ToList();
}
