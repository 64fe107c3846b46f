using System.Xml;
using System.Xml.Linq;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// Legacy ClinicalTrials.gov <c>&lt;clinical_study&gt;</c> XML. DTDs are refused (no entity expansion) and the
/// document size is bounded.
/// </summary>
public sealed class CtGovXmlParser : IDocumentParser
{
    public const string FormatName = "ctgov-xml";

    public string Format => FormatName;

    public int Detect(DecodedDocument document)
    {
        var head = document.Text.Length > 4000 ? document.Text[..4000] : document.Text;
        if (!head.TrimStart().StartsWith('<'))
        {
            return 0;
        }

        return head.Contains("<clinical_study", StringComparison.Ordinal) ? 95 : 10;
    }

    public IEnumerable<TrialRecord> Parse(DecodedDocument document)
    {
        XDocument xml;
        try
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Ignore,
                XmlResolver = null,
                MaxCharactersFromEntities = 1024,
                MaxCharactersInDocument = 64L * 1024 * 1024,
            };
            using var reader = XmlReader.Create(new StringReader(document.Text), settings);
            xml = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new FormatException($"the XML is not well formed: {ex.Message}", ex);
        }

        var s = xml.Root;
        if (s is null || s.Name.LocalName != "clinical_study")
        {
            throw new FormatException("the XML has no <clinical_study> root element");
        }

        yield return Read(s, new SourceInfo(document.FileName, FormatName, document.Sha256));
    }

    private static TrialRecord Read(XElement s, SourceInfo source)
    {
        var criteriaText = Text(s, "eligibility", "criteria", "textblock");
        var (inclusion, exclusion) = CriteriaParser.Parse(criteriaText);
        var enrollment = s.Element("enrollment");
        var interventions = s.Elements("intervention").Select(i => new
        {
            Intervention = new Intervention
            {
                Name = TextClean.FoldOrEmpty(i.Element("intervention_name")?.Value),
                Type = FieldParsers.InterventionTypeValue(i.Element("intervention_type")?.Value),
                Description = TextClean.Fold(i.Element("description")?.Value),
                OtherNames = TextClean.Distinct(i.Elements("other_name").Select(o => o.Value)),
            },
            Arms = i.Elements("arm_group_label").Select(a => TextClean.FoldOrEmpty(a.Value)).ToList(),
        }).Where(x => x.Intervention.Name.Length > 0).ToList();

        var arms = s.Elements("arm_group").Select(a =>
        {
            var label = TextClean.FoldOrEmpty(a.Element("arm_group_label")?.Value);
            return new Arm
            {
                Label = label,
                Type = FieldParsers.ArmTypeValue(a.Element("arm_group_type")?.Value),
                Description = TextClean.Fold(a.Element("description")?.Value),
                Interventions = TextClean.Distinct(interventions.Where(x => x.Arms.Contains(label, StringComparer.OrdinalIgnoreCase)).Select(x => x.Intervention.Name)),
            };
        }).Where(a => a.Label.Length > 0).ToList();

        var sponsors = new List<Sponsor>();
        if (s.Element("sponsors") is { } sp)
        {
            sponsors.AddRange(sp.Elements("lead_sponsor").Select(l => new Sponsor(TextClean.FoldOrEmpty(l.Element("agency")?.Value), SponsorRole.Lead, ClassName(l.Element("agency_class")?.Value))));
            sponsors.AddRange(sp.Elements("collaborator").Select(l => new Sponsor(TextClean.FoldOrEmpty(l.Element("agency")?.Value), SponsorRole.Collaborator, ClassName(l.Element("agency_class")?.Value))));
        }

        var outcomes = new List<Outcome>();
        foreach (var (kind, element) in new[] { (OutcomeKind.Primary, "primary_outcome"), (OutcomeKind.Secondary, "secondary_outcome"), (OutcomeKind.Other, "other_outcome") })
        {
            outcomes.AddRange(s.Elements(element).Select(o => new Outcome(kind, TextClean.FoldOrEmpty(o.Element("measure")?.Value),
                TextClean.Fold(o.Element("description")?.Value), TextClean.Fold(o.Element("time_frame")?.Value))).Where(o => o.Measure.Length > 0));
        }

        var contacts = s.Elements("overall_official").Select(o => new Contact(TextClean.FoldOrEmpty(o.Element("last_name")?.Value), o.Element("role")?.Value.ToUpperInvariant().Replace(' ', '_'), null, null))
            .Concat(s.Elements("overall_contact").Concat(s.Elements("overall_contact_backup")).Select(c => new Contact(
                TextClean.FoldOrEmpty(c.Element("last_name")?.Value), "CONTACT", c.Element("phone")?.Value, c.Element("email")?.Value)))
            .Where(c => c.Name.Length > 0)
            .ToList();

        var phases = FieldParsers.Phases(s.Element("phase")?.Value);
        return new TrialRecord
        {
            Source = source,
            RegistryId = TextClean.Fold(s.Element("id_info")?.Element("nct_id")?.Value)?.ToUpperInvariant(),
            SecondaryIds = TextClean.Distinct((s.Element("id_info")?.Elements() ?? [])
                .Where(e => e.Name.LocalName is "org_study_id" or "secondary_id")
                .Select(e => e.Value)),
            Title = TextClean.Fold(s.Element("brief_title")?.Value),
            OfficialTitle = TextClean.Fold(s.Element("official_title")?.Value),
            BriefSummary = TextClean.Fold(Text(s, "brief_summary", "textblock")),
            DetailedDescription = TextClean.Fold(Text(s, "detailed_description", "textblock")),
            Status = FieldParsers.Status(s.Element("overall_status")?.Value),
            Phases = phases,
            StudyType = FieldParsers.StudyTypeValue(s.Element("study_type")?.Value),
            Enrollment = FieldParsers.EnrollmentValue(enrollment?.Value) is { } e
                ? e with { Type = FieldParsers.EnrollmentTypeValue(enrollment?.Attribute("type")?.Value) }
                : null,
            StartDate = FieldParsers.IsoDate(s.Element("start_date")?.Value),
            CompletionDate = FieldParsers.IsoDate(s.Element("completion_date")?.Value ?? s.Element("primary_completion_date")?.Value),
            LastUpdated = FieldParsers.IsoDate(s.Element("last_update_posted")?.Value ?? s.Element("lastchanged_date")?.Value),
            Conditions = TextClean.Distinct(s.Elements("condition").Select(c => c.Value)),
            Arms = arms,
            Interventions = interventions.Select(x => x.Intervention).DistinctBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ToList(),
            Eligibility = new Eligibility
            {
                MinAgeYears = FieldParsers.AgeYears(s.Element("eligibility")?.Element("minimum_age")?.Value),
                MaxAgeYears = FieldParsers.AgeYears(s.Element("eligibility")?.Element("maximum_age")?.Value),
                Sex = FieldParsers.SexValue(s.Element("eligibility")?.Element("gender")?.Value),
                HealthyVolunteers = FieldParsers.YesNo(s.Element("eligibility")?.Element("healthy_volunteers")?.Value),
                Inclusion = inclusion,
                Exclusion = exclusion,
                CriteriaText = criteriaText,
            },
            Sponsors = sponsors.Where(x => x.Name.Length > 0).ToList(),
            Locations = s.Elements("location").Select(l => new Location(
                TextClean.Fold(l.Element("facility")?.Element("name")?.Value),
                TextClean.Fold(l.Element("facility")?.Element("address")?.Element("city")?.Value),
                TextClean.Fold(l.Element("facility")?.Element("address")?.Element("state")?.Value),
                TextClean.Fold(l.Element("facility")?.Element("address")?.Element("country")?.Value),
                FieldParsers.Status(l.Element("status")?.Value))).ToList(),
            Contacts = contacts,
            Outcomes = outcomes,
        };
    }

    private static string? Text(XElement s, params string[] path)
    {
        XElement? current = s;
        foreach (var name in path)
        {
            current = current?.Element(name);
        }

        return current?.Value;
    }

    private static string? ClassName(string? value) => value?.Trim() switch
    {
        null or "" => null,
        "U.S. Fed" => "FED",
        var v => v.ToUpperInvariant().Replace(' ', '_'),
    };
}
