using System.Text.Json;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// ClinicalTrials.gov API JSON: one v2 study object, a <c>{"studies": [...]}</c> page, a JSON array (the
/// website's download), or the older v1 <c>FullStudiesResponse</c>. Property names are matched without regard
/// to case so that v1's PascalCase names and list wrappers (<c>ConditionList.Condition</c>) read the same.
/// </summary>
public sealed class CtGovJsonParser : IDocumentParser
{
    public const string FormatName = "ctgov-json";

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public string Format => FormatName;

    public int Detect(DecodedDocument document)
    {
        var head = document.Text.AsSpan().TrimStart();
        if (head.IsEmpty || (head[0] != '{' && head[0] != '['))
        {
            return 0;
        }

        var probe = document.Text.Length > 20000 ? document.Text[..20000] : document.Text;
        return probe.Contains("protocolSection", StringComparison.OrdinalIgnoreCase) ? 95 : 10;
    }

    public IEnumerable<TrialRecord> Parse(DecodedDocument document)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(document.Text, Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the JSON is not well formed: {ex.Message}", ex);
        }

        using (json)
        {
            var studies = Studies(json.RootElement).ToList();
            var index = 0;
            foreach (var study in studies)
            {
                index++;
                var protocol = Get(study, "protocolSection");
                if (protocol is null)
                {
                    continue;
                }

                var name = studies.Count > 1 ? $"{document.FileName}#{index}" : document.FileName;
                yield return Read(protocol.Value, new SourceInfo(name, FormatName, document.Sha256));
            }
        }
    }

    private static IEnumerable<JsonElement> Studies(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return root.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        if (Get(root, "studies") is { ValueKind: JsonValueKind.Array } page)
        {
            return page.EnumerateArray();
        }

        if (Get(root, "FullStudiesResponse.FullStudies") is { ValueKind: JsonValueKind.Array } full)
        {
            return full.EnumerateArray().Select(s => Get(s, "Study")).OfType<JsonElement>();
        }

        return [root];
    }

    private static TrialRecord Read(JsonElement p, SourceInfo source)
    {
        var id = Get(p, "identificationModule");
        var status = Get(p, "statusModule");
        var design = Get(p, "designModule");
        var arms = Get(p, "armsInterventionsModule");
        var elig = Get(p, "eligibilityModule");
        var sponsors = Get(p, "sponsorCollaboratorsModule");
        var outcomes = Get(p, "outcomesModule");
        var contacts = Get(p, "contactsLocationsModule");

        var secondary = new List<string?> { Str(id, "orgStudyIdInfo.id", "OrgStudyIdInfo.OrgStudyId") };
        secondary.AddRange(Items(id, "secondaryIdInfos", "SecondaryIdInfoList.SecondaryIdInfo").Select(e => Str(e, "id", "SecondaryId")));

        var interventions = Items(arms, "interventions", "InterventionList.Intervention").Select(e => new Intervention
        {
            Name = TextClean.FoldOrEmpty(Str(e, "name", "InterventionName")),
            Type = FieldParsers.InterventionTypeValue(Str(e, "type", "InterventionType")),
            Description = TextClean.Fold(Str(e, "description", "InterventionDescription")),
            OtherNames = TextClean.Distinct(Strings(e, "otherNames", "InterventionOtherNameList.InterventionOtherName")),
        }).Where(i => i.Name.Length > 0).ToList();

        var armList = Items(arms, "armGroups", "ArmGroupList.ArmGroup").Select(e => new Arm
        {
            Label = TextClean.FoldOrEmpty(Str(e, "label", "ArmGroupLabel")),
            Type = FieldParsers.ArmTypeValue(Str(e, "type", "ArmGroupType")),
            Description = TextClean.Fold(Str(e, "description", "ArmGroupDescription")),
            // "Biological: CAR-T cells" names the intervention "CAR-T cells".
            Interventions = TextClean.Distinct(Strings(e, "interventionNames", "ArmGroupInterventionList.ArmGroupInterventionName")
                .Select(n => n.Contains(':', StringComparison.Ordinal) ? n[(n.IndexOf(':', StringComparison.Ordinal) + 1)..] : n)),
        }).Where(a => a.Label.Length > 0).ToList();

        var criteriaText = Str(elig, "eligibilityCriteria", "EligibilityCriteria");
        var (inclusion, exclusion) = CriteriaParser.Parse(criteriaText);

        var sponsorList = new List<Sponsor>();
        if (Str(sponsors, "leadSponsor.name", "LeadSponsor.LeadSponsorName") is { } lead)
        {
            sponsorList.Add(new Sponsor(TextClean.FoldOrEmpty(lead), SponsorRole.Lead, Str(sponsors, "leadSponsor.class", "LeadSponsor.LeadSponsorClass")));
        }

        sponsorList.AddRange(Items(sponsors, "collaborators", "CollaboratorList.Collaborator")
            .Select(c => (Name: Str(c, "name", "CollaboratorName"), Class: Str(c, "class", "CollaboratorClass")))
            .Where(c => c.Name is not null)
            .Select(c => new Sponsor(TextClean.FoldOrEmpty(c.Name), SponsorRole.Collaborator, c.Class)));

        var outcomeList = new List<Outcome>();
        foreach (var (kind, v2, v1) in new[]
                 {
                     (OutcomeKind.Primary, "primaryOutcomes", "PrimaryOutcomeList.PrimaryOutcome"),
                     (OutcomeKind.Secondary, "secondaryOutcomes", "SecondaryOutcomeList.SecondaryOutcome"),
                     (OutcomeKind.Other, "otherOutcomes", "OtherOutcomeList.OtherOutcome"),
                 })
        {
            outcomeList.AddRange(Items(outcomes, v2, v1)
                .Select(o => new Outcome(kind,
                    TextClean.FoldOrEmpty(Str(o, "measure", kind switch { OutcomeKind.Primary => "PrimaryOutcomeMeasure", OutcomeKind.Secondary => "SecondaryOutcomeMeasure", _ => "OtherOutcomeMeasure" })),
                    TextClean.Fold(Str(o, "description", kind switch { OutcomeKind.Primary => "PrimaryOutcomeDescription", OutcomeKind.Secondary => "SecondaryOutcomeDescription", _ => "OtherOutcomeDescription" })),
                    TextClean.Fold(Str(o, "timeFrame", kind switch { OutcomeKind.Primary => "PrimaryOutcomeTimeFrame", OutcomeKind.Secondary => "SecondaryOutcomeTimeFrame", _ => "OtherOutcomeTimeFrame" }))))
                .Where(o => o.Measure.Length > 0));
        }

        var locations = Items(contacts, "locations", "LocationList.Location").Select(l =>
        {
            var (latitude, longitude) = FieldParsers.Coordinates(Str(l, "geoPoint.lat"), Str(l, "geoPoint.lon"));
            return new Location(
                TextClean.Fold(Str(l, "facility", "LocationFacility")),
                TextClean.Fold(Str(l, "city", "LocationCity")),
                TextClean.Fold(Str(l, "state", "LocationState")),
                TextClean.Fold(Str(l, "country", "LocationCountry")),
                FieldParsers.Status(Str(l, "status", "LocationStatus")),
                latitude, longitude, Str(l, "zip", "LocationZip"));
        }).ToList();

        var contactList = Items(contacts, "centralContacts", "CentralContactList.CentralContact")
            .Select(c => new Contact(TextClean.FoldOrEmpty(Str(c, "name", "CentralContactName")), Str(c, "role", "CentralContactRole")?.ToUpperInvariant() ?? "CONTACT",
                Str(c, "phone", "CentralContactPhone"), Str(c, "email", "CentralContactEMail")))
            .Concat(Items(contacts, "overallOfficials", "OverallOfficialList.OverallOfficial")
                .Select(c => new Contact(TextClean.FoldOrEmpty(Str(c, "name", "OverallOfficialName")), Str(c, "role", "OverallOfficialRole")?.ToUpperInvariant(), null, null)))
            .Where(c => c.Name.Length > 0)
            .ToList();

        var enrollmentCount = Str(design, "enrollmentInfo.count", "EnrollmentInfo.EnrollmentCount");
        var enrollment = FieldParsers.EnrollmentValue(enrollmentCount) is { } e
            ? e with { Type = FieldParsers.EnrollmentTypeValue(Str(design, "enrollmentInfo.type", "EnrollmentInfo.EnrollmentType")) }
            : null;

        var v1Gender = Str(elig, "sex", "Gender");
        return new TrialRecord
        {
            Source = source,
            RegistryId = Str(id, "nctId", "NCTId")?.Trim().ToUpperInvariant(),
            SecondaryIds = TextClean.Distinct(secondary),
            Title = TextClean.Fold(Str(id, "briefTitle", "BriefTitle")),
            OfficialTitle = TextClean.Fold(Str(id, "officialTitle", "OfficialTitle")),
            BriefSummary = TextClean.Fold(Str(Get(p, "descriptionModule"), "briefSummary", "BriefSummary")),
            DetailedDescription = TextClean.Fold(Str(Get(p, "descriptionModule"), "detailedDescription", "DetailedDescription")),
            Status = FieldParsers.Status(Str(status, "overallStatus", "OverallStatus")),
            Phases = FieldParsers.Phases(string.Join('|', Strings(design, "phases", "PhaseList.Phase"))),
            StudyType = FieldParsers.StudyTypeValue(Str(design, "studyType", "StudyType")),
            Enrollment = enrollment,
            StartDate = FieldParsers.IsoDate(Str(status, "startDateStruct.date", "StartDateStruct.StartDate")),
            CompletionDate = FieldParsers.IsoDate(Str(status, "completionDateStruct.date", "CompletionDateStruct.CompletionDate")),
            LastUpdated = FieldParsers.IsoDate(Str(status, "lastUpdatePostDateStruct.date", "LastUpdatePostDateStruct.LastUpdatePostDate")),
            Conditions = TextClean.Distinct(Strings(Get(p, "conditionsModule"), "conditions", "ConditionList.Condition")),
            Arms = armList,
            Interventions = interventions,
            Eligibility = new Eligibility
            {
                MinAgeYears = FieldParsers.AgeYears(Str(elig, "minimumAge", "MinimumAge")),
                MaxAgeYears = FieldParsers.AgeYears(Str(elig, "maximumAge", "MaximumAge")),
                Sex = FieldParsers.SexValue(v1Gender),
                HealthyVolunteers = FieldParsers.YesNo(Str(elig, "healthyVolunteers", "HealthyVolunteers")),
                Inclusion = inclusion,
                Exclusion = exclusion,
                CriteriaText = criteriaText,
            },
            Sponsors = sponsorList,
            Locations = locations,
            Contacts = contactList,
            Outcomes = outcomeList,
        };
    }

    /// <summary>Follows a dotted path of property names, ignoring case; tries each path in turn.</summary>
    private static JsonElement? Get(JsonElement? element, params string[] paths)
    {
        foreach (var path in paths)
        {
            var current = element;
            foreach (var part in path.Split('.'))
            {
                current = current is { ValueKind: JsonValueKind.Object } obj ? Property(obj, part) : null;
                if (current is null)
                {
                    break;
                }
            }

            if (current is not null)
            {
                return current;
            }
        }

        return null;
    }

    private static JsonElement? Property(JsonElement obj, string name)
    {
        if (obj.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var prop in obj.EnumerateObject())
        {
            if (prop.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return prop.Value;
            }
        }

        return null;
    }

    private static string? Str(JsonElement? element, params string[] paths) => Get(element, paths) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        { ValueKind: JsonValueKind.True } => "Yes",
        { ValueKind: JsonValueKind.False } => "No",
        _ => null,
    };

    private static IEnumerable<JsonElement> Items(JsonElement? element, params string[] paths) =>
        Get(element, paths) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToList() : [];

    private static IEnumerable<string> Strings(JsonElement? element, params string[] paths) =>
        Items(element, paths).Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!);
}
