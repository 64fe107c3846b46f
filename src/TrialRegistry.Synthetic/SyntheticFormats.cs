using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using CsvHelper;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Synthetic;

/// <summary>
/// Writes a <see cref="SyntheticTrial"/> in each format the parser reads, each with that format's shape and
/// losses: the API v2 JSON and legacy XML say everything; the study page says nearly everything in its label-a-line
/// layout; the editorial page has quick facts and a byline; the CSV export row has no labels and no NCT id; the
/// aggregator page has lost its title, id and most values.
/// </summary>
public static class SyntheticFormats
{
    /// <summary>The formats a trial is written in, with their share of generated trials.</summary>
    public static readonly IReadOnlyList<(string Format, double Share)> Mix =
    [
        (CtGovJsonParser.FormatName, 0.30), (CtGovCsvParser.FormatName, 0.25), (CtGovPageParser.FormatName, 0.15), (CtGovXmlParser.FormatName, 0.10),
        (EditorialPageParser.FormatName, 0.08), (CtGovCsvRowParser.FormatName, 0.06), (AggregatorPageParser.FormatName, 0.06),
    ];

    /// <summary>The format trial <paramref name="index"/> is written in: fixed by the index, so a corpus is the same however it is cut.</summary>
    public static string FormatOf(int index, int seed)
    {
        var x = new Random(HashCode.Combine(seed, index, 0xF0F0)).NextDouble();
        foreach (var (format, share) in Mix)
        {
            x -= share;
            if (x < 0)
            {
                return format;
            }
        }

        return Mix[^1].Format;
    }

    public static string Extension(string format) => format switch
    {
        CtGovJsonParser.FormatName => ".json",
        CtGovXmlParser.FormatName => ".xml",
        CtGovCsvParser.FormatName => ".csv",
        _ => ".txt",
    };

    /// <summary>One trial as a document of <paramref name="format"/> (for <c>ctgov-csv</c>, an export of one row).</summary>
    public static string Write(SyntheticTrial trial, string format) => format switch
    {
        CtGovJsonParser.FormatName => Json(trial),
        CtGovXmlParser.FormatName => Xml(trial),
        CtGovCsvParser.FormatName => CsvExport([trial]),
        CtGovPageParser.FormatName => StudyPage(trial),
        EditorialPageParser.FormatName => EditorialPage(trial),
        CtGovCsvRowParser.FormatName => CsvRow(trial),
        AggregatorPageParser.FormatName => AggregatorPage(trial),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a format the generator writes"),
    };

    private static string Name<T>(T value) where T : struct, Enum => VocabularyNames.ToName(value);

    private static string Age(int years) => years.ToString(CultureInfo.InvariantCulture) + " Years";

    private static string CriteriaBlock(SyntheticTrial trial, string inclusionHeading, string exclusionHeading, string subIndent, bool numberedSubs)
    {
        var text = new StringBuilder();
        void List(IReadOnlyList<SyntheticCriterion> criteria)
        {
            for (var i = 0; i < criteria.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {criteria[i].Text}\n");
                if (criteria[i].SubItems.Count > 0)
                {
                    text.Append('\n');
                    for (var j = 0; j < criteria[i].SubItems.Count; j++)
                    {
                        text.Append(subIndent).Append(numberedSubs ? $"{j + 1}. " : "* ").Append(criteria[i].SubItems[j]).Append('\n');
                    }
                }
            }
        }

        text.Append(inclusionHeading).Append("\n\n");
        List(trial.Inclusion);
        text.Append('\n').Append(exclusionHeading).Append("\n\n");
        List(trial.Exclusion);
        return text.ToString();
    }

    private static string Json(SyntheticTrial t)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("protocolSection");

            w.WriteStartObject("identificationModule");
            w.WriteString("nctId", t.NctId);
            w.WriteStartObject("orgStudyIdInfo");
            w.WriteString("id", t.OrgStudyId);
            w.WriteEndObject();
            w.WriteString("briefTitle", t.Title);
            w.WriteString("officialTitle", t.OfficialTitle);
            w.WriteEndObject();

            w.WriteStartObject("statusModule");
            w.WriteString("overallStatus", Name(t.Status));
            w.WriteStartObject("startDateStruct");
            w.WriteString("date", t.StartDate);
            w.WriteEndObject();
            w.WriteStartObject("completionDateStruct");
            w.WriteString("date", t.CompletionDate);
            w.WriteEndObject();
            w.WriteStartObject("lastUpdatePostDateStruct");
            w.WriteString("date", t.LastUpdated);
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("sponsorCollaboratorsModule");
            w.WriteStartObject("leadSponsor");
            w.WriteString("name", t.Lead.Name);
            w.WriteString("class", t.Lead.Class);
            w.WriteEndObject();
            if (t.Collaborators.Count > 0)
            {
                w.WriteStartArray("collaborators");
                foreach (var c in t.Collaborators)
                {
                    w.WriteStartObject();
                    w.WriteString("name", c.Name);
                    w.WriteString("class", c.Class);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();

            w.WriteStartObject("descriptionModule");
            w.WriteString("briefSummary", t.BriefSummary);
            w.WriteString("detailedDescription", t.DetailedDescription);
            w.WriteEndObject();

            w.WriteStartObject("conditionsModule");
            w.WriteStartArray("conditions");
            t.Conditions.ToList().ForEach(w.WriteStringValue);
            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartObject("designModule");
            w.WriteString("studyType", "INTERVENTIONAL");
            w.WriteStartArray("phases");
            t.Phases.ToList().ForEach(p => w.WriteStringValue(Name(p)));
            w.WriteEndArray();
            w.WriteStartObject("enrollmentInfo");
            w.WriteNumber("count", t.Enrollment);
            w.WriteString("type", Name(t.EnrollmentType));
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("armsInterventionsModule");
            w.WriteStartArray("armGroups");
            foreach (var arm in t.Arms)
            {
                w.WriteStartObject();
                w.WriteString("label", arm.Label);
                w.WriteString("type", Name(arm.Type));
                w.WriteString("description", arm.Description);
                w.WriteStartArray("interventionNames");
                foreach (var name in arm.Interventions)
                {
                    var type = t.Interventions.First(i => i.Name == name).Type;
                    w.WriteStringValue($"{Label(type)}: {name}");
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("interventions");
            foreach (var x in t.Interventions)
            {
                w.WriteStartObject();
                w.WriteString("type", Name(x.Type));
                w.WriteString("name", x.Name);
                w.WriteString("description", x.Description);
                if (x.OtherNames.Count > 0)
                {
                    w.WriteStartArray("otherNames");
                    x.OtherNames.ToList().ForEach(w.WriteStringValue);
                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartObject("outcomesModule");
            foreach (var (kind, property) in new[] { (OutcomeKind.Primary, "primaryOutcomes"), (OutcomeKind.Secondary, "secondaryOutcomes") })
            {
                w.WriteStartArray(property);
                foreach (var o in t.Outcomes.Where(o => o.Kind == kind))
                {
                    w.WriteStartObject();
                    w.WriteString("measure", o.Measure);
                    w.WriteString("description", o.Description);
                    w.WriteString("timeFrame", o.TimeFrame);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();

            w.WriteStartObject("eligibilityModule");
            w.WriteString("eligibilityCriteria", CriteriaBlock(t, "Inclusion Criteria:", "Exclusion Criteria:", "   ", numberedSubs: false));
            w.WriteBoolean("healthyVolunteers", false);
            w.WriteString("sex", Name(t.Sex));
            w.WriteString("minimumAge", Age(t.MinAgeYears));
            if (t.MaxAgeYears is { } max)
            {
                w.WriteString("maximumAge", Age(max));
            }

            w.WriteEndObject();

            w.WriteStartObject("contactsLocationsModule");
            w.WriteStartArray("centralContacts");
            foreach (var c in t.Contacts)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("role", "CONTACT");
                w.WriteString("phone", c.Phone);
                w.WriteString("email", c.Email);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("locations");
            foreach (var s in t.Sites)
            {
                w.WriteStartObject();
                w.WriteString("facility", s.Facility);
                w.WriteString("status", Name(s.Status));
                w.WriteString("city", s.City);
                if (s.State is not null)
                {
                    w.WriteString("state", s.State);
                }

                if (s.PostalCode is not null)
                {
                    w.WriteString("zip", s.PostalCode);
                }

                w.WriteString("country", s.Country);
                if (s is { Latitude: { } lat, Longitude: { } lon })
                {
                    w.WriteStartObject("geoPoint");
                    w.WriteNumber("lat", lat);
                    w.WriteNumber("lon", lon);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteEndObject();
            w.WriteBoolean("hasResults", false);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>"Biological", "Drug": how the API's intervention names and the legacy XML spell a type.</summary>
    private static string Label(InterventionType type) => type switch
    {
        InterventionType.Biological => "Biological",
        InterventionType.Drug => "Drug",
        _ => "Other",
    };

    private static string LegacyStatus(TrialStatus status) => status switch
    {
        TrialStatus.NotYetRecruiting => "Not yet recruiting",
        TrialStatus.ActiveNotRecruiting => "Active, not recruiting",
        TrialStatus.EnrollingByInvitation => "Enrolling by invitation",
        TrialStatus.Unknown => "Unknown status",
        _ => status.ToString(),
    };

    private static string LegacyPhase(IReadOnlyList<TrialPhase> phases) => phases switch
    {
        [TrialPhase.EarlyPhase1] => "Early Phase 1",
        [TrialPhase.Na] => "N/A",
        _ => string.Join('/', phases.Select(p => $"Phase {(int)p}")),
    };

    private static string LegacyDate(string iso) =>
        DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);

    private static string Xml(SyntheticTrial t)
    {
        var text = new StringBuilder();
        using (var w = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false }))
        {
            w.WriteStartElement("clinical_study");
            w.WriteAttributeString("rank", (t.Index + 1).ToString(CultureInfo.InvariantCulture));
            w.WriteStartElement("id_info");
            w.WriteElementString("org_study_id", t.OrgStudyId);
            w.WriteElementString("nct_id", t.NctId);
            w.WriteEndElement();
            w.WriteElementString("brief_title", t.Title);
            w.WriteElementString("official_title", t.OfficialTitle);
            w.WriteStartElement("sponsors");
            Agency(w, "lead_sponsor", t.Lead);
            t.Collaborators.ToList().ForEach(c => Agency(w, "collaborator", c));
            w.WriteEndElement();
            TextBlock(w, "brief_summary", t.BriefSummary);
            TextBlock(w, "detailed_description", t.DetailedDescription);
            w.WriteElementString("overall_status", LegacyStatus(t.Status));
            w.WriteElementString("start_date", LegacyDate(t.StartDate));
            w.WriteElementString("completion_date", LegacyDate(t.CompletionDate));
            w.WriteElementString("last_update_posted", LegacyDate(t.LastUpdated));
            w.WriteElementString("phase", LegacyPhase(t.Phases));
            w.WriteElementString("study_type", "Interventional");
            w.WriteStartElement("enrollment");
            w.WriteAttributeString("type", t.EnrollmentType == EnrollmentType.Actual ? "Actual" : "Anticipated");
            w.WriteString(t.Enrollment.ToString(CultureInfo.InvariantCulture));
            w.WriteEndElement();
            t.Conditions.ToList().ForEach(c => w.WriteElementString("condition", c));
            foreach (var arm in t.Arms)
            {
                w.WriteStartElement("arm_group");
                w.WriteElementString("arm_group_label", arm.Label);
                w.WriteElementString("arm_group_type", "Experimental");
                w.WriteElementString("description", arm.Description);
                w.WriteEndElement();
            }

            foreach (var x in t.Interventions)
            {
                w.WriteStartElement("intervention");
                w.WriteElementString("intervention_type", Label(x.Type));
                w.WriteElementString("intervention_name", x.Name);
                w.WriteElementString("description", x.Description);
                t.Arms.Where(a => a.Interventions.Contains(x.Name)).ToList().ForEach(a => w.WriteElementString("arm_group_label", a.Label));
                x.OtherNames.ToList().ForEach(n => w.WriteElementString("other_name", n));
                w.WriteEndElement();
            }

            foreach (var o in t.Outcomes)
            {
                w.WriteStartElement(o.Kind == OutcomeKind.Primary ? "primary_outcome" : "secondary_outcome");
                w.WriteElementString("measure", o.Measure);
                w.WriteElementString("time_frame", o.TimeFrame);
                w.WriteElementString("description", o.Description);
                w.WriteEndElement();
            }

            w.WriteStartElement("eligibility");
            TextBlock(w, "criteria", CriteriaBlock(t, "Inclusion Criteria:", "Exclusion Criteria:", "          ", numberedSubs: false));
            w.WriteElementString("gender", t.Sex == Sex.All ? "All" : t.Sex.ToString());
            w.WriteElementString("minimum_age", Age(t.MinAgeYears));
            w.WriteElementString("maximum_age", t.MaxAgeYears is { } max ? Age(max) : "N/A");
            w.WriteElementString("healthy_volunteers", "No");
            w.WriteEndElement();
            foreach (var c in t.Contacts.Take(1))
            {
                w.WriteStartElement("overall_contact");
                w.WriteElementString("last_name", c.Name);
                w.WriteElementString("phone", c.Phone);
                w.WriteElementString("email", c.Email);
                w.WriteEndElement();
            }

            foreach (var s in t.Sites)
            {
                w.WriteStartElement("location");
                w.WriteStartElement("facility");
                w.WriteElementString("name", s.Facility);
                w.WriteStartElement("address");
                w.WriteElementString("city", s.City);
                if (s.State is not null)
                {
                    w.WriteElementString("state", s.State);
                }

                w.WriteElementString("country", s.Country);
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteElementString("status", LegacyStatus(s.Status));
                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        return text.ToString();

        static void Agency(XmlWriter w, string element, SyntheticSponsor sponsor)
        {
            w.WriteStartElement(element);
            w.WriteElementString("agency", sponsor.Name);
            w.WriteElementString("agency_class", sponsor.Class == "INDUSTRY" ? "Industry" : "Other");
            w.WriteEndElement();
        }

        static void TextBlock(XmlWriter w, string element, string text)
        {
            w.WriteStartElement(element);
            w.WriteElementString("textblock", text);
            w.WriteEndElement();
        }
    }

    /// <summary>The API-v2-flattened CSV export (header as the corpus export has it), one trial a row.</summary>
    public static string CsvExport(IEnumerable<SyntheticTrial> trials)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using var csv = new CsvWriter(text, CultureInfo.InvariantCulture);
        string[] header =
        [
            "NCTId", "BriefTitle", "OfficialTitle", "OverallStatus", "Phase", "Conditions", "Interventions", "StartDate", "CompletionDate", "LastUpdatePostDate",
            "EnrollmentCount", "Countries", "BriefSummary", "LeadSponsor", "LeadSponsorClass", "MinAge", "MaxAge", "Sex", "StudyType", "PrimaryEndpoints",
        ];
        foreach (var h in header)
        {
            csv.WriteField(h);
        }

        csv.NextRecord();
        foreach (var t in trials)
        {
            csv.WriteField(t.NctId);
            csv.WriteField(t.Title);
            csv.WriteField(t.OfficialTitle);
            csv.WriteField(Name(t.Status));
            csv.WriteField(string.Join('|', t.Phases.Select(Name)));
            csv.WriteField(string.Join('|', t.Conditions));
            csv.WriteField(string.Join('|', t.Interventions.Select(i => i.Name)));
            csv.WriteField(t.StartDate);
            csv.WriteField(t.CompletionDate);
            csv.WriteField(t.LastUpdated);
            csv.WriteField(t.Enrollment.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(string.Join('|', t.Sites.Select(s => s.Country).Distinct()));
            csv.WriteField($"{t.BriefSummary} {string.Join(' ', t.Arms.Select(a => a.Description))}");
            csv.WriteField(t.Lead.Name);
            csv.WriteField(t.Lead.Class);
            csv.WriteField(Age(t.MinAgeYears));
            csv.WriteField(t.MaxAgeYears is { } max ? Age(max) : string.Empty);
            csv.WriteField(Name(t.Sex));
            csv.WriteField("INTERVENTIONAL");
            csv.WriteField(string.Join('|', t.Outcomes.Where(o => o.Kind == OutcomeKind.Primary).Select(o => o.Measure)));
            csv.NextRecord();
        }

        csv.Flush();
        return text.ToString();
    }

    /// <summary>The study page saved as text: one label a line, its value below, a boilerplate sentence under each heading.</summary>
    private static string StudyPage(SyntheticTrial t)
    {
        var p = new StringBuilder();
        void Line(string line) => p.Append(line).Append("\n\n");

        Line(t.Title);
        Line($"NCT ID: {t.NctId}");
        Line($"Last Updated: {t.LastUpdated}");
        Line("Basic Information");
        Line("Get the essentials at a glance: status, phase, size and the dates that frame the study.");
        Line("Recruitment Status");
        Line(Name(t.Status));
        Line("Clinical Phase");
        Line(string.Join(", ", t.Phases.Select(Name)));
        Line("Total Enrollment");
        Line($"{t.Enrollment} participants");
        Line("Enrollment Type");
        Line(Name(t.EnrollmentType));
        Line("Study Classification");
        Line("INTERVENTIONAL");
        Line("Study Start Date");
        Line(t.StartDate);
        Line("Study Completion Date");
        Line(t.CompletionDate);
        Line("Brief Summary");
        Line("Review what the sponsor says the study is for.");
        Line(t.BriefSummary);
        Line("Detailed Description");
        Line(t.DetailedDescription);
        Line("Conditions");
        Line("See which diseases the study enrols.");
        t.Conditions.ToList().ForEach(Line);
        Line("Study Groups");
        Line("Understand each group of the study and what it receives.");
        foreach (var arm in t.Arms)
        {
            Line(arm.Label);
            Line(arm.Description);
            Line($"Group Type {Name(arm.Type)}");
            foreach (var name in arm.Interventions)
            {
                Line(name);
                Line($"Intervention Type {Name(t.Interventions.First(i => i.Name == name).Type)}");
            }
        }

        Line("Interventions");
        Line("Learn what each intervention is and how it is given.");
        foreach (var x in t.Interventions)
        {
            Line(x.Name);
            Line(x.Description);
            Line($"Intervention Type {Name(x.Type)}");
        }

        if (t.Interventions.SelectMany(x => x.OtherNames).Any())
        {
            Line("Other Intervention Names");
            t.Interventions.SelectMany(x => x.OtherNames).ToList().ForEach(Line);
        }

        Line("Eligibility Criteria");
        Line("Check who can take part.");
        p.Append(CriteriaBlock(t, "Inclusion Criteria", "Exclusion Criteria", string.Empty, numberedSubs: false).Replace("\n\n1. ", "\n\n1. ", StringComparison.Ordinal));
        p.Append('\n');
        Line("Minimum Eligible Age");
        Line(Age(t.MinAgeYears));
        if (t.MaxAgeYears is { } max)
        {
            Line("Maximum Eligible Age");
            Line(Age(max));
        }

        Line("Eligible Sex");
        Line(Name(t.Sex));
        Line("Accepts Healthy Volunteers");
        Line("No");
        Line("Sponsors");
        Line("Meet the organisations behind the study.");
        foreach (var (sponsor, role) in t.Collaborators.Select(c => (c, "collaborator")).Prepend((t.Lead, "lead")))
        {
            Line(sponsor.Name);
            Line(sponsor.Class);
            Line($"Sponsor Role {role}");
        }

        Line("Locations");
        Line("Explore the sites and whether each is recruiting.");
        foreach (var s in t.Sites)
        {
            Line(s.Facility);
            Line(s.State is null ? $"{s.City}, {s.Country}" : $"{s.City}, {s.State}, {s.Country}");
            Line($"Site Status {Name(s.Status)}");
        }

        Line("Countries");
        t.Sites.Select(s => s.Country).Distinct().ToList().ForEach(Line);
        if (t.Contacts.Count > 0)
        {
            Line("Central Contacts");
            Line("Reach the study team with questions.");
            foreach (var c in t.Contacts)
            {
                Line(c.Name);
                Line("Role: CONTACT");
                Line(c.Phone);
                Line(c.Email);
            }
        }

        Line("Other Identifiers");
        Line(t.OrgStudyId);
        Line("Identifier Source: org_study_id");
        return p.ToString();
    }

    /// <summary>An editorial "find a trial" page: byline, run-together quick facts, numbered criteria, a closing conditions line.</summary>
    private static string EditorialPage(SyntheticTrial t)
    {
        var p = new StringBuilder();
        p.Append(t.Title).Append("\n\n").Append(t.OfficialTitle).Append("\n\n");
        p.Append(CultureInfo.InvariantCulture, $"{string.Join('|', t.Phases.Select(Name))} · {t.Lead.Name} · {t.NctId}\n\n");
        p.Append(t.BriefSummary).Append("\n\nQuick facts\n\n");
        p.Append("Phase").Append(string.Join('|', t.Phases.Select(Name))).Append('\n');
        p.Append("StatusRecruitment status: ").Append(Name(t.Status)).Append('\n');
        p.Append("Study typeInterventional\n");
        p.Append(CultureInfo.InvariantCulture, $"Enrollment{t.Enrollment} ({(t.EnrollmentType == EnrollmentType.Actual ? "actual" : "estimated")})\n");
        p.Append("Ages").Append(t.MaxAgeYears is { } max ? $"{t.MinAgeYears} to {max} Years" : $"{t.MinAgeYears} Years and up").Append('\n');
        p.Append("Sex").Append(t.Sex == Sex.All ? "All" : t.Sex.ToString()).Append('\n');
        p.Append(CultureInfo.InvariantCulture, $"Sponsor{t.Lead.Name} ({t.Lead.Class.ToLowerInvariant()})\n");
        p.Append("Drugs / interventions").Append(string.Join(", ", t.Interventions.Select(i => i.Name))).Append('\n');
        p.Append("Start date").Append(t.StartDate).Append('\n');
        p.Append(CultureInfo.InvariantCulture, $"Trial ID{t.NctId} on ClinicalTrials.gov\n\n");
        p.Append("What this trial studies\n\n").Append(t.DetailedDescription).Append(' ').Append(string.Join(' ', t.Arms.Select(a => a.Description))).Append("\n\n");
        p.Append("Eligibility criteria\n\n");
        p.Append(CriteriaBlock(t, "Inclusion Criteria:", "Exclusion Criteria:", "   ", numberedSubs: true)).Append('\n');
        p.Append("Where this trial is running\n\n");
        foreach (var s in t.Sites.DistinctBy(s => (s.City, s.State)))
        {
            p.Append(s.State is null ? $"{s.City}, {s.Country}" : $"{s.City}, {s.State}, {s.Country}").Append('\n');
        }

        p.Append("\nHow to participate\n\n  1. Talk to your doctor about whether this study suits you.\n\n");
        p.Append("Conditions: ").Append(string.Join(", ", t.Conditions)).Append("\n\n");
        p.Append("Last reviewed ").Append(t.LastUpdated).Append(" by the editorial team. This page is information, not medical advice.\n");
        return p.ToString();
    }

    /// <summary>A CSV export row written one field a line, without labels or NCT id.</summary>
    private static string CsvRow(SyntheticTrial t)
    {
        string Outcomes(OutcomeKind kind) => string.Join('|', t.Outcomes.Where(o => o.Kind == kind).Select(o => $"{o.Measure}, {o.Description}, {o.TimeFrame}"));
        return string.Join('\n',
            t.OfficialTitle,
            t.BriefSummary,
            string.Join('|', t.Conditions),
            string.Join('|', t.Interventions.Select(i => $"{Name(i.Type)}: {i.Name}")),
            Outcomes(OutcomeKind.Primary),
            Outcomes(OutcomeKind.Secondary),
            $"{t.DetailedDescription} {string.Join(' ', t.Arms.Select(a => a.Description))}") + "\n";
    }

    /// <summary>An aggregator page scraped to text: short labels, many with their values lost; no title, no NCT id.</summary>
    private static string AggregatorPage(SyntheticTrial t)
    {
        var p = new StringBuilder();
        p.Append("Status and phase\n").Append(Name(t.Status)).Append('\n').Append(string.Join('|', t.Phases.Select(Name))).Append('\n');
        p.Append("Conditions\n");
        t.Conditions.ToList().ForEach(c => p.Append(c).Append('\n'));
        p.Append("Treatments\n");
        t.Interventions.ToList().ForEach(i => p.Append(i.Name).Append('\n'));
        p.Append("About\n").Append(t.BriefSummary).Append('\n');
        p.Append("Full description\n").Append(t.DetailedDescription).Append(' ').Append(string.Join(' ', t.Arms.Select(a => a.Description))).Append('\n');
        p.Append("Enrollment\nSex\nAges\nVolunteers\n");
        p.Append("Inclusion criteria\n");
        t.Inclusion.ToList().ForEach(c => p.Append(c.Text).Append('\n'));
        p.Append("Exclusion criteria\n");
        t.Exclusion.ToList().ForEach(c => p.Append(c.Text).Append('\n'));
        p.Append("Primary purpose\nAllocation\nInterventional model\nMasking\n");
        p.Append(CultureInfo.InvariantCulture, $"{t.Enrollment} participants in {t.Arms.Count} patient group{(t.Arms.Count > 1 ? "s" : string.Empty)}\n");
        p.Append("Loading...\n");
        if (t.Contacts.Count > 0)
        {
            p.Append("Central trial contact\n").Append(string.Join("; ", t.Contacts.Select(c => c.Name))).Append('\n');
        }

        p.Append("Data sourced from clinicaltrials.gov\nClinical trials\nResearch sites\nResources\nLegal\n");
        return p.ToString();
    }
}
