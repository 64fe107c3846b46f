using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// An editorial "find a trial" page (seed 004): a headline, the study title, a "PHASE1 · sponsor · NCT…" line,
/// "Quick facts" whose labels run into their values ("Enrollment90 (estimated)"), prose sections, nested
/// numbered criteria, and the conditions in a closing "Conditions:" line.
/// </summary>
public sealed partial class EditorialPageParser : IDocumentParser
{
    public const string FormatName = "editorial-page";

    private static readonly HashSet<string> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        "Quick facts", "What this trial studies", "Who should consider this trial", "Why it matters", "Eligibility criteria",
        "Where this trial is running", "Study contacts", "How to participate",
    };

    // Quick-fact labels, longest first so that "Study type" wins over a shorter label.
    private static readonly string[] FactLabels =
    [
        "Drugs / interventions", "Interventions", "Study type", "Start date", "Enrollment", "Locations", "Conditions",
        "Trial ID", "Sponsor", "Status", "Phase", "Ages", "Sex",
    ];

    [GeneratedRegex(@"^(?<phase>[A-Z_0-9|/ ]+?)\s*·\s*(?<sponsor>.+?)\s*·\s*(?<id>NCT\d{8})\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex BylineRegex();

    [GeneratedRegex(@"^Conditions:\s*(?<c>.+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ConditionsLine();

    [GeneratedRegex(@"^Last reviewed\s+(?<d>\d{4}-\d{2}-\d{2})", RegexOptions.Multiline | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex LastReviewed();

    [GeneratedRegex(@"^(?<name>.+?)\s*\((?<cls>industry|other|nih|fed|other_gov|network|individual|indiv)\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex SponsorWithClass();

    [GeneratedRegex(@"(?<n>\d+)\s+sites?\s*\((?<places>[^)]*)\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex SitesFact();

    [GeneratedRegex(@"\bNCT\d{8}\b", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NctId();

    public string Format => FormatName;

    public int Detect(DecodedDocument document)
    {
        var page = new LabelledLines(document.Text, Sections);
        var score = 0;
        if (page.Has("Quick facts"))
        {
            score += 50;
        }

        if (BylineRegex().IsMatch(document.Text))
        {
            score += 40;
        }

        score += Math.Min(page.HeadingCount * 3, 10);
        return score >= 50 ? Math.Min(score, 95) : 0;
    }

    public IEnumerable<TrialRecord> Parse(DecodedDocument document)
    {
        var page = new LabelledLines(document.Text, Sections);
        var facts = ReadFacts(page["Quick facts"]);
        var inferred = new List<string>();

        var preamble = page.Preamble.Select(l => l.Trim()).ToList();
        var bylineIndex = preamble.FindIndex(l => BylineRegex().IsMatch(l));
        var byline = bylineIndex >= 0 ? BylineRegex().Match(preamble[bylineIndex]) : Match.Empty;
        var headings = bylineIndex > 0 ? preamble[..bylineIndex] : preamble.Take(1).ToList();
        var summary = bylineIndex >= 0 && bylineIndex + 1 < preamble.Count ? string.Join(' ', preamble[(bylineIndex + 1)..]) : null;

        var phases = FieldParsers.Phases(facts.GetValueOrDefault("Phase"));
        if (phases.Count == 0 && byline.Success)
        {
            phases = FieldParsers.Phases(byline.Groups["phase"].Value);
        }

        var sponsorText = facts.GetValueOrDefault("Sponsor") ?? (byline.Success ? byline.Groups["sponsor"].Value : null);
        var sponsors = new List<Sponsor>();
        if (TextClean.Fold(sponsorText) is { } s)
        {
            var m = SponsorWithClass().Match(s);
            sponsors.Add(m.Success
                ? new Sponsor(m.Groups["name"].Value.Trim(), SponsorRole.Lead, m.Groups["cls"].Value.ToUpperInvariant())
                : new Sponsor(s, SponsorRole.Lead, null));
        }

        var eligibilityLines = page["Eligibility criteria"].Where(l => !l.Trim().StartsWith("Show full", StringComparison.OrdinalIgnoreCase)).ToList();
        var criteriaText = eligibilityLines.Count == 0 ? null : string.Join('\n', eligibilityLines);
        var (inclusion, exclusion) = CriteriaParser.Parse(criteriaText);
        var ages = facts.GetValueOrDefault("Ages");

        string? lastUpdated = null;
        if (LastReviewed().Match(document.Text) is { Success: true } reviewed)
        {
            lastUpdated = reviewed.Groups["d"].Value;
            inferred.Add("lastUpdated");
        }

        var registryId = byline.Success ? byline.Groups["id"].Value
            : NctId().Match(facts.GetValueOrDefault("Trial ID") ?? document.Text) is { Success: true } id ? id.Value : null;

        yield return new TrialRecord
        {
            Source = new SourceInfo(document.FileName, FormatName, document.Sha256),
            RegistryId = registryId,
            Title = TextClean.Fold(headings.Count > 1 ? headings[1] : headings.FirstOrDefault()),
            OfficialTitle = null,
            BriefSummary = TextClean.Fold(summary),
            DetailedDescription = TextClean.Fold(string.Join(' ', page["What this trial studies"])),
            Status = FieldParsers.Status(facts.GetValueOrDefault("Status")),
            Phases = phases,
            StudyType = FieldParsers.StudyTypeValue(facts.GetValueOrDefault("Study type")),
            Enrollment = FieldParsers.EnrollmentValue(facts.GetValueOrDefault("Enrollment")),
            StartDate = FieldParsers.IsoDate(facts.GetValueOrDefault("Start date")),
            LastUpdated = lastUpdated,
            Conditions = ConditionsLine().Match(document.Text) is { Success: true } c
                ? TextClean.Distinct(c.Groups["c"].Value.Split(','))
                : TextClean.Distinct((facts.GetValueOrDefault("Conditions") ?? string.Empty).Split(',')),
            Interventions = TextClean.Distinct((facts.GetValueOrDefault("Drugs / interventions") ?? facts.GetValueOrDefault("Interventions") ?? string.Empty).Split(','))
                .Select(n => new Intervention { Name = n })
                .ToList(),
            Eligibility = new Eligibility
            {
                MinAgeYears = FieldParsers.AgeYears(ages?.Split(new[] { " to ", "–", " - " }, StringSplitOptions.None)[0]),
                MaxAgeYears = ages?.Split(new[] { " to ", "–", " - " }, StringSplitOptions.None) is [_, var max] ? FieldParsers.AgeYears(max) : null,
                Sex = FieldParsers.SexValue(facts.GetValueOrDefault("Sex")),
                Inclusion = inclusion,
                Exclusion = exclusion,
                CriteriaText = criteriaText,
            },
            Sponsors = sponsors,
            Locations = ReadLocations(page["Where this trial is running"], facts.GetValueOrDefault("Locations")),
            Inferred = inferred,
        };
    }

    private static Dictionary<string, string> ReadFacts(IReadOnlyList<string> lines)
    {
        var facts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            var label = FactLabels.FirstOrDefault(l => line.StartsWith(l, StringComparison.OrdinalIgnoreCase));
            if (label is not null && TextClean.Fold(line[label.Length..].TrimStart(':')) is { } value)
            {
                facts.TryAdd(label, value);
            }
        }

        return facts;
    }

    private static List<Location> ReadLocations(IReadOnlyList<string> lines, string? sitesFact)
    {
        var places = lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (places.Count == 0 && sitesFact is not null && SitesFact().Match(sitesFact) is { Success: true } m)
        {
            places.Add(m.Groups["places"].Value);
        }

        // "Hefei, Anhui": city and province; a third part, when present, is the country.
        return places.Select(p => p.Split(',').Select(x => x.Trim()).Where(x => x.Length > 0).ToArray())
            .Where(parts => parts.Length > 0)
            .Select(parts => new Location(null, parts[0], parts.Length > 1 ? parts[1] : null, parts.Length > 2 ? parts[^1] : null, null))
            .ToList();
    }
}
