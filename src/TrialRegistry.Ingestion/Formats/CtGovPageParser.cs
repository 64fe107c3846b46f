using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// A ClinicalTrials.gov study page saved as text (seeds 000, 002): one heading a line with its value below,
/// an imperative boilerplate sentence under most headings, and "More Related Trials" of other studies at the
/// end, which is never read into this trial.
/// </summary>
public sealed partial class CtGovPageParser : IDocumentParser
{
    public const string FormatName = "ctgov-page";

    private static readonly HashSet<string> Headings = new(StringComparer.OrdinalIgnoreCase)
    {
        "Study Results", "Basic Information", "Recruitment Status", "Overall Status", "Clinical Phase", "Total Enrollment",
        "Enrollment Type", "Study Classification", "Study Start Date", "Study Completion Date", "Primary Completion Date",
        "Brief Summary", "Detailed Description", "Conditions", "Keywords", "Study Design", "Allocation Method",
        "Intervention Model", "Primary Study Purpose", "Blinding Strategy", "Study Groups", "Interventions",
        "Other Intervention Names", "Eligibility Criteria", "Inclusion Criteria", "Exclusion Criteria",
        "Minimum Eligible Age", "Maximum Eligible Age", "Eligible Sex", "Accepts Healthy Volunteers", "Sponsors",
        "Responsible Party", "Principal Investigators", "Locations", "Countries", "Central Contacts",
        "Facility Contacts", "Other Identifiers", "More Related Trials", "Outcome Measures", "Primary Outcomes",
        "Secondary Outcomes", "Other Outcomes", "Collaborators",
    };

    // The page's own subtitles ("Get a concise snapshot of the trial, ...") are not the trial's data.
    [GeneratedRegex(@"^(?:Get|Review|Dive|See|Understand|Learn|Discover|Check|Meet|Identify|Explore|Reach|Find|Additional clinical trials|The study team has not)\b.*\.$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Boilerplate();

    [GeneratedRegex(@"^NCT ID:\s*(?<id>NCT\d{8})", RegexOptions.IgnoreCase | RegexOptions.Multiline, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NctLine();

    [GeneratedRegex(@"^Last Updated:\s*(?<d>.+)$", RegexOptions.IgnoreCase | RegexOptions.Multiline, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex LastUpdatedLine();

    public string Format => FormatName;

    public int Detect(DecodedDocument document)
    {
        var lines = new LabelledLines(document.Text, Headings);
        var score = Math.Min(lines.HeadingCount * 6, 60);
        if (NctLine().IsMatch(document.Text))
        {
            score += 30;
        }

        if (lines.Has("Recruitment Status") || lines.Has("Clinical Phase") || lines.Has("Study Groups"))
        {
            score += 10;
        }

        return lines.HeadingCount >= 3 ? Math.Min(score, 100) : 0;
    }

    public IEnumerable<TrialRecord> Parse(DecodedDocument document)
    {
        var page = new LabelledLines(document.Text, Headings);
        var warnings = new List<ParseWarning>();

        var (arms, groupInterventions) = ReadStudyGroups(Content(page, "Study Groups"));
        var interventions = ReadInterventions(Content(page, "Interventions"));
        if (interventions.Count == 0)
        {
            interventions = groupInterventions;
        }

        var otherNames = Content(page, "Other Intervention Names").Select(TextClean.FoldOrEmpty).ToList();
        if (otherNames.Count > 0 && interventions.Count > 0)
        {
            interventions[^1] = interventions[^1] with { OtherNames = TextClean.Distinct(interventions[^1].OtherNames.Concat(otherNames)) };
        }

        var inclusion = page["Inclusion Criteria"];
        var exclusion = page["Exclusion Criteria"];
        var criteriaText = inclusion.Count + exclusion.Count == 0
            ? null
            : $"Inclusion Criteria:\n{string.Join('\n', inclusion)}\n\nExclusion Criteria:\n{string.Join('\n', exclusion)}";

        var countries = Content(page, "Countries").Select(TextClean.FoldOrEmpty).ToList();
        var enrollment = FieldParsers.EnrollmentValue(Value(page, "Total Enrollment"));
        if (enrollment is not null && FieldParsers.EnrollmentTypeValue(Value(page, "Enrollment Type")) is { } enrollmentType)
        {
            enrollment = enrollment with { Type = enrollmentType };
        }

        var nct = NctLine().Match(document.Text);
        var updated = LastUpdatedLine().Match(document.Text);
        yield return new TrialRecord
        {
            Source = new SourceInfo(document.FileName, FormatName, document.Sha256),
            RegistryId = nct.Success ? nct.Groups["id"].Value.ToUpperInvariant() : null,
            SecondaryIds = ReadIdentifiers(Content(page, "Other Identifiers")),
            Title = page.Preamble.FirstOrDefault(l => !NctLine().IsMatch(l.Trim()) && !LastUpdatedLine().IsMatch(l.Trim())) is { } t ? TextClean.Fold(t) : null,
            BriefSummary = Paragraphs(Content(page, "Brief Summary")),
            DetailedDescription = Paragraphs(Content(page, "Detailed Description")),
            Status = FieldParsers.Status(Value(page, "Recruitment Status") ?? Value(page, "Overall Status")),
            Phases = FieldParsers.Phases(Value(page, "Clinical Phase")),
            StudyType = FieldParsers.StudyTypeValue(Value(page, "Study Classification")),
            Enrollment = enrollment,
            StartDate = FieldParsers.IsoDate(Value(page, "Study Start Date")),
            CompletionDate = FieldParsers.IsoDate(Value(page, "Study Completion Date")),
            LastUpdated = updated.Success ? FieldParsers.IsoDate(updated.Groups["d"].Value) : null,
            Conditions = TextClean.Distinct(Content(page, "Conditions")),
            Arms = arms,
            Interventions = interventions,
            Eligibility = new Eligibility
            {
                MinAgeYears = FieldParsers.AgeYears(Value(page, "Minimum Eligible Age")),
                MaxAgeYears = FieldParsers.AgeYears(Value(page, "Maximum Eligible Age")),
                Sex = FieldParsers.SexValue(Value(page, "Eligible Sex")),
                HealthyVolunteers = FieldParsers.YesNo(Value(page, "Accepts Healthy Volunteers")),
                Inclusion = CriteriaParser.Items(inclusion),
                Exclusion = CriteriaParser.Items(exclusion),
                CriteriaText = criteriaText,
            },
            Sponsors = ReadSponsors(Content(page, "Sponsors")),
            Locations = ReadLocations(Content(page, "Locations"), countries),
            Contacts = ReadContacts(Content(page, "Principal Investigators"))
                .Concat(ReadContacts(Content(page, "Central Contacts")))
                .Concat(ReadContacts(Content(page, "Facility Contacts")))
                .DistinctBy(c => (c.Name, c.Role, c.Phone))
                .ToList(),
            Warnings = warnings,
        };
    }

    private static List<string> Content(LabelledLines page, string heading)
    {
        var lines = page[heading].Select(l => l.Trim()).ToList();
        if (lines.Count > 0 && Boilerplate().IsMatch(lines[0]))
        {
            lines.RemoveAt(0);
        }

        return lines;
    }

    private static string? Value(LabelledLines page, string heading) => Content(page, heading) is [var v, ..] ? TextClean.Fold(v) : null;

    private static string? Paragraphs(List<string> lines) => lines.Count == 0 ? null : TextClean.Fold(string.Join(' ', lines));

    private static (List<Arm> Arms, List<Intervention> Interventions) ReadStudyGroups(List<string> lines)
    {
        var arms = new List<Arm>();
        var interventions = new List<Intervention>();
        var groupTypeAt = lines.Select((l, i) => (l, i)).Where(p => p.l.StartsWith("Group Type", StringComparison.OrdinalIgnoreCase)).Select(p => p.i).ToList();
        var preambleStart = 0;
        for (var k = 0; k < groupTypeAt.Count; k++)
        {
            var g = groupTypeAt[k];
            var preamble = lines[preambleStart..g].Where(l => !l.Equals("Assigned Interventions", StringComparison.OrdinalIgnoreCase)).ToList();
            var end = k + 1 < groupTypeAt.Count ? groupTypeAt[k + 1] : lines.Count;
            var armInterventions = new List<Intervention>();
            var i = g + 1;
            while (i + 1 < end && lines[i + 1].StartsWith("Intervention Type", StringComparison.OrdinalIgnoreCase))
            {
                string? description = null;
                var next = i + 2;
                // One description line follows an intervention's type, unless the next line is another intervention.
                if (next < end && !(next + 1 < end && lines[next + 1].StartsWith("Intervention Type", StringComparison.OrdinalIgnoreCase)))
                {
                    description = lines[next];
                    next++;
                }

                armInterventions.Add(new Intervention
                {
                    Name = TextClean.FoldOrEmpty(lines[i]),
                    Type = FieldParsers.InterventionTypeValue(AfterPrefix(lines[i + 1], "Intervention Type")),
                    Description = TextClean.Fold(description),
                });
                i = next;
            }

            preambleStart = i;
            var label = preamble.Count > 0 ? preamble[0] : armInterventions.FirstOrDefault()?.Name;
            if (label is null)
            {
                continue;
            }

            arms.Add(new Arm
            {
                Label = TextClean.FoldOrEmpty(label),
                Type = FieldParsers.ArmTypeValue(AfterPrefix(lines[g], "Group Type")),
                Description = TextClean.Fold(string.Join(' ', preamble.Skip(1))),
                Interventions = TextClean.Distinct(armInterventions.Select(x => x.Name)),
            });
            interventions.AddRange(armInterventions);
        }

        return (arms, interventions.DistinctBy(x => x.Name, StringComparer.OrdinalIgnoreCase).ToList());
    }

    private static List<Intervention> ReadInterventions(List<string> lines)
    {
        var result = new List<Intervention>();
        var block = new List<string>();
        foreach (var line in lines)
        {
            if (line.StartsWith("Intervention Type", StringComparison.OrdinalIgnoreCase))
            {
                if (block.Count > 0)
                {
                    result.Add(new Intervention
                    {
                        Name = TextClean.FoldOrEmpty(block[0]),
                        Type = FieldParsers.InterventionTypeValue(AfterPrefix(line, "Intervention Type")),
                        Description = TextClean.Fold(string.Join(' ', block.Skip(1))),
                    });
                }

                block.Clear();
                continue;
            }

            block.Add(line);
        }

        return result.DistinctBy(x => x.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static List<Sponsor> ReadSponsors(List<string> lines)
    {
        var result = new List<Sponsor>();
        var block = new List<string>();
        foreach (var line in lines)
        {
            if (line.StartsWith("Sponsor Role", StringComparison.OrdinalIgnoreCase))
            {
                if (block.Count > 0)
                {
                    var role = FieldParsers.SponsorRoleValue(AfterPrefix(line, "Sponsor Role")) ?? SponsorRole.Collaborator;
                    var cls = block.Count > 1 && IsClass(block[^1]) ? block[^1].Trim().ToUpperInvariant() : null;
                    result.Add(new Sponsor(TextClean.FoldOrEmpty(block[0]), role, cls));
                }

                block.Clear();
                continue;
            }

            block.Add(line);
        }

        // Lead sponsor first, then collaborators, each in page order.
        return result.OrderBy(s => s.Role).ToList();
    }

    private static bool IsClass(string value) =>
        value.Trim() is { Length: > 1 and < 20 } v && v.All(c => char.IsUpper(c) || c == '_');

    private static List<Location> ReadLocations(List<string> lines, List<string> countries)
    {
        var result = new List<Location>();
        var block = new List<string>();
        foreach (var line in lines)
        {
            if (line.StartsWith("Site Status", StringComparison.OrdinalIgnoreCase))
            {
                result.Add(Location(block, FieldParsers.Status(AfterPrefix(line, "Site Status")), countries));
                block.Clear();
                continue;
            }

            block.Add(line);
        }

        if (block.Count > 0)
        {
            result.Add(Location(block, null, countries));
        }

        return result;
    }

    private static Location Location(List<string> block, TrialStatus? status, List<string> countries)
    {
        var facility = block.Count > 1 ? TextClean.Fold(block[0]) : null;
        var address = block.Count > 0 ? block[^1] : string.Empty;
        var (city, state, country) = SplitAddress(address, countries);
        return new Location(facility, city, state, country, status);
    }

    /// <summary>"Shanghai, Shanghai Municipality, China" as city, state and country.</summary>
    internal static (string? City, string? State, string? Country) SplitAddress(string address, IReadOnlyCollection<string> countries)
    {
        var parts = address.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        return parts.Count switch
        {
            0 => (null, null, countries.Count == 1 ? countries.First() : null),
            1 => (parts[0], null, countries.Count == 1 ? countries.First() : null),
            2 => (parts[0], null, parts[1]),
            _ => (parts[0], string.Join(", ", parts.Skip(1).Take(parts.Count - 2)), parts[^1]),
        };
    }

    private static List<Contact> ReadContacts(List<string> lines)
    {
        var result = new List<Contact>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (i + 1 >= lines.Count || !lines[i + 1].StartsWith("Role:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string? phone = null, email = null;
            var j = i + 2;
            while (j < lines.Count && !(j + 1 < lines.Count && lines[j + 1].StartsWith("Role:", StringComparison.OrdinalIgnoreCase)))
            {
                if (lines[j].Contains('@', StringComparison.Ordinal))
                {
                    email ??= lines[j].Trim();
                }
                else if (lines[j].Any(char.IsDigit) && phone is null)
                {
                    phone = lines[j].Trim();
                }

                j++;
            }

            var role = AfterPrefix(lines[i + 1], "Role:")?.ToUpperInvariant();
            result.Add(new Contact(TextClean.FoldOrEmpty(lines[i]), role, phone, email));
            i = j - 1;
        }

        return result;
    }

    private static List<string> ReadIdentifiers(List<string> lines)
    {
        var ids = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.StartsWith("Identifier Type", StringComparison.OrdinalIgnoreCase) || line.StartsWith("Identifier Source", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            ids.Add(line);
        }

        return TextClean.Distinct(ids);
    }

    private static string? AfterPrefix(string line, string prefix) =>
        line.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? TextClean.Fold(line[prefix.Length..].TrimStart(':', ' ')) : null;
}
