using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// A trial page of an aggregator site scraped to text (seed 003): short labels ("Enrollment", "Sex", "Ages"),
/// many of them with their values lost, no title and no NCT id; enrollment only as "80 participants in 1
/// patient group".
/// </summary>
public sealed partial class AggregatorPageParser : IDocumentParser
{
    public const string FormatName = "aggregator-page";

    private static readonly HashSet<string> Labels = new(StringComparer.OrdinalIgnoreCase)
    {
        "Status and phase", "Status", "Phase", "Conditions", "Treatments", "About", "Full description", "Enrollment", "Sex",
        "Ages", "Volunteers", "Healthy volunteers", "Inclusion criteria", "Exclusion criteria", "Primary purpose", "Allocation",
        "Interventional model", "Masking", "Central trial contact", "Trial contacts and locations", "Trial design",
        "Study details", "Loading...", "Data sourced from clinicaltrials.gov", "Clinical trials", "Research sites",
        "Resources", "Legal", "Sponsor", "Sponsors", "Locations", "Eligibility", "Treatment details",
    };

    private static readonly HashSet<string> Footer = new(StringComparer.OrdinalIgnoreCase)
    {
        "Loading...", "Data sourced from clinicaltrials.gov", "Clinical trials", "Research sites", "Resources", "Legal",
    };

    [GeneratedRegex(@"(?<n>\d[\d,]*)\s+participants?\s+in\s+(?<g>\d+)\s+patient\s+groups?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ParticipantsInGroups();

    [GeneratedRegex(@"\bNCT\d{8}\b", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NctId();

    public string Format => FormatName;

    public int Detect(DecodedDocument document)
    {
        var lines = new LabelledLines(document.Text, Labels);
        var score = lines.HeadingCount * 8;
        if (lines.Has("Data sourced from clinicaltrials.gov"))
        {
            score += 20;
        }

        return lines.HeadingCount >= 4 ? Math.Min(score, 90) : 0;
    }

    public IEnumerable<TrialRecord> Parse(DecodedDocument document)
    {
        var page = new LabelledLines(document.Text, Labels);
        var inferred = new List<string>();
        var warnings = new List<ParseWarning>();

        var enrollment = FieldParsers.EnrollmentValue(Joined(page, "Enrollment"));
        if (enrollment is null && ParticipantsInGroups().Match(document.Text) is { Success: true } pg)
        {
            enrollment = FieldParsers.EnrollmentValue(pg.Groups["n"].Value);
            inferred.Add("enrollment");
        }

        var statusAndPhase = page["Status and phase"].Concat(page["Status"]).Concat(page["Phase"]).ToList();
        var inclusion = page["Inclusion criteria"];
        var exclusion = page["Exclusion criteria"];
        var nct = NctId().Match(document.Text);
        yield return new TrialRecord
        {
            Source = new SourceInfo(document.FileName, FormatName, document.Sha256),
            RegistryId = nct.Success ? nct.Value : null,
            Title = page.Preamble is [var t, ..] ? TextClean.Fold(t) : null,
            BriefSummary = Joined(page, "About"),
            DetailedDescription = Joined(page, "Full description"),
            Status = statusAndPhase.Select(FieldParsers.Status).FirstOrDefault(s => s is not null),
            Phases = statusAndPhase.SelectMany(FieldParsers.Phases).Distinct().Order().ToList(),
            Enrollment = enrollment,
            Conditions = TextClean.Distinct(page["Conditions"]),
            Interventions = TextClean.Distinct(page["Treatments"]).Select(n => new Intervention { Name = n }).ToList(),
            Eligibility = new Eligibility
            {
                MinAgeYears = FieldParsers.AgeYears(page.Value("Ages")),
                Sex = FieldParsers.SexValue(page.Value("Sex")),
                HealthyVolunteers = FieldParsers.YesNo(page.Value("Volunteers") ?? page.Value("Healthy volunteers")),
                Inclusion = CriteriaParser.Items(inclusion),
                Exclusion = CriteriaParser.Items(exclusion),
                CriteriaText = inclusion.Count + exclusion.Count == 0 ? null
                    : $"Inclusion criteria\n{string.Join('\n', inclusion)}\n\nExclusion criteria\n{string.Join('\n', exclusion)}",
            },
            Contacts = page["Central trial contact"]
                .SelectMany(l => l.Split(';'))
                .Select(TextClean.Fold)
                .Where(n => n is not null && !Footer.Contains(n))
                .Select(n => new Contact(n!, "CONTACT", null, null))
                .ToList(),
            Inferred = inferred,
            Warnings = warnings,
        };
    }

    private static string? Joined(LabelledLines page, string label) =>
        page[label].Count == 0 ? null : TextClean.Fold(string.Join(' ', page[label]));
}
