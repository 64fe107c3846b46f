using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Knowledge;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// One row of a ClinicalTrials.gov CSV export written one value a line, without its header: the website export's
/// columns (NCT Number, Study Title, Study URL, Acronym, Study Status, Brief Summary, Study Results, Conditions,
/// Interventions, outcome measures, Sponsor, Collaborators, Sex, Age, Phases, Enrollment, Funder Type, Study Type,
/// Study Design, Other IDs, the dates, Locations, Study Documents) in any subset and order, and the older block of
/// seed 001 (title, summary, conditions, <c>TYPE: name</c> interventions, outcomes, description). Each line is
/// recognised by the shape of its value (an NCT number, a URL, a status or sex name, phases, a count, a date, a
/// study design, a list of sites); the lines of free text that are left (title, acronym, summary, conditions,
/// sponsor) by their order and their shape.
/// </summary>
public sealed partial class CtGovCsvRowParser : IDocumentParser
{
    public const string FormatName = "ctgov-csv-row";

    private const string InterventionTypes = "BIOLOGICAL|DRUG|DEVICE|PROCEDURE|RADIATION|BEHAVIORAL|GENETIC|DIETARY_SUPPLEMENT|COMBINATION_PRODUCT|DIAGNOSTIC_TEST|OTHER";

    [GeneratedRegex(@"^(?:(?:" + InterventionTypes + @"):\s*[^|]+)(?:\|(?:" + InterventionTypes + @"):\s*[^|]+)*$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex InterventionLine();

    [GeneratedRegex(@",\s*(?<tf>[^,]{1,80})$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex TrailingTimeFrame();

    [GeneratedRegex(@"\d|\b(?:day|week|month|year|cycle|visit|baseline|end of|through|up to)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex TimeWords();

    [GeneratedRegex(@"^NCT\d{8}$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NctLine();

    [GeneratedRegex(@"^https?://\S+$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex UrlLine();

    [GeneratedRegex(@"^(?:EARLY_PHASE1|PHASE[1-4]|NA)(?:\|(?:EARLY_PHASE1|PHASE[1-4]|NA))*$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PhasesLine();

    [GeneratedRegex(@"^(?:INDUSTRY|OTHER|NIH|FED|OTHER_GOV|NETWORK|INDIV|AMBIG|UNKNOWN)(?:\|(?:INDUSTRY|OTHER|NIH|FED|OTHER_GOV|NETWORK|INDIV|AMBIG|UNKNOWN))*$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex FunderLine();

    [GeneratedRegex(@"^(?:\d+\s+(?:Years?|Months?|Weeks?|Days?)(?:\s+to\s+\d+\s+(?:Years?|Months?|Weeks?|Days?)|\s+and\s+older)?\s*)?(?:\((?:CHILD|ADULT|OLDER_ADULT)(?:,\s*(?:CHILD|ADULT|OLDER_ADULT))*\))?$|^(?:CHILD|ADULT|OLDER_ADULT)(?:,\s*(?:CHILD|ADULT|OLDER_ADULT))*$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AgeLine();

    [GeneratedRegex(@"^\d{4}-\d{2}(?:-\d{2})?$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex DateLine();

    [GeneratedRegex(@"^(?:Allocation|Intervention Model|Masking|Primary Purpose|Observational Model|Time Perspective):", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex DesignLine();

    [GeneratedRegex(@"^(?:Study Protocol|Statistical Analysis Plan|Informed Consent Form|ICF|SAP|Prot_)[^|]*https?://", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex DocumentsLine();

    private enum Kind
    {
        Text,
        Id,
        Url,
        Status,
        Results,
        Interventions,
        Outcomes,
        Sex,
        Age,
        Phases,
        Enrollment,
        Funder,
        StudyType,
        Design,
        Date,
        Locations,
        Documents,
    }

    public string Format => FormatName;

    public int Detect(DecodedDocument document)
    {
        if (MoreNonEmptyLinesThan(document.Text, 60))
        {
            // A row block is one value a line, a few dozen at most: a long document is something else.
            return 0;
        }

        var lines = NonEmptyLines(document.Text);
        if (lines.Count is < 3 or > 60)
        {
            return 0;
        }

        var kinds = lines.Select(Classify).ToList();
        // The older block: an interventions line among the first lines of a short document.
        var k = kinds.IndexOf(Kind.Interventions);
        if (k is >= 1 and <= 6 && lines.Count <= 20)
        {
            return 80;
        }

        // The full export: several values only an export writes this way (an NCT number alone on its line, status and
        // phase names, enum codes, a design line, dates).
        var typed = kinds.Where(x => x is not (Kind.Text or Kind.Outcomes or Kind.Enrollment)).Distinct().Count();
        return kinds.Contains(Kind.Id) && typed >= 4 ? 85 : 0;
    }

    private static Kind Classify(string line)
    {
        if (NctLine().IsMatch(line))
        {
            return Kind.Id;
        }

        if (UrlLine().IsMatch(line))
        {
            return Kind.Url;
        }

        if (line is "YES" or "NO")
        {
            return Kind.Results;
        }

        if (line is "ALL" or "FEMALE" or "MALE")
        {
            return Kind.Sex;
        }

        if (line is "INTERVENTIONAL" or "OBSERVATIONAL" or "EXPANDED_ACCESS")
        {
            return Kind.StudyType;
        }

        if (line.All(c => char.IsUpper(c) || c == '_') && VocabularyNames.Parse<TrialStatus>(line) is not null)
        {
            return Kind.Status;
        }

        if (PhasesLine().IsMatch(line))
        {
            return Kind.Phases;
        }

        if (FunderLine().IsMatch(line))
        {
            return Kind.Funder;
        }

        if (line.All(char.IsDigit) && line.Length <= 6)
        {
            return Kind.Enrollment;
        }

        if (DateLine().IsMatch(line))
        {
            return Kind.Date;
        }

        if (AgeLine().IsMatch(line) && line.Length > 0)
        {
            return Kind.Age;
        }

        if (DesignLine().IsMatch(line))
        {
            return Kind.Design;
        }

        if (DocumentsLine().IsMatch(line))
        {
            return Kind.Documents;
        }

        if (InterventionLine().IsMatch(line))
        {
            return Kind.Interventions;
        }

        if (IsLocations(line))
        {
            return Kind.Locations;
        }

        return IsOutcomeLine(line) ? Kind.Outcomes : Kind.Text;
    }

    /// <summary>"Facility, City, State, Zip, Country|…": each site ends in a country.</summary>
    private static bool IsLocations(string line)
    {
        var sites = line.Split('|');
        return sites.All(s => s.Count(c => c == ',') >= 2 && Gazetteer.Country(s[(s.LastIndexOf(',') + 1)..]) is not null);
    }

    public IEnumerable<TrialRecord> Parse(DecodedDocument document)
    {
        var lines = NonEmptyLines(document.Text);
        var kinds = lines.Select(Classify).ToList();
        string? Typed(Kind kind) => kinds.IndexOf(kind) is var i and >= 0 ? lines[i] : null;

        // The free-text lines, in order, split at the first typed value that follows the title: before the
        // interventions come title, acronym, summary and conditions; after them, outcome text, sponsor, collaborators
        // (the export) or the detailed description (the older block).
        var texts = kinds.Select((kind, i) => (Kind: kind, Index: i)).Where(x => x.Kind == Kind.Text).Select(x => x.Index).ToList();
        var interventionsAt = kinds.IndexOf(Kind.Interventions);
        var before = texts.Where(i => interventionsAt < 0 || i < interventionsAt).ToList();
        var after = texts.Where(i => interventionsAt >= 0 && i > interventionsAt).ToList();
        var isExport = kinds.Contains(Kind.Id) || kinds.Contains(Kind.Status) || kinds.Contains(Kind.Phases);

        string? title = null, acronym = null, summary = null, description = null, sponsor = null;
        var conditions = new List<string>();
        var collaborators = new List<string>();
        var otherIds = new List<string>();
        if (before.Count > 0)
        {
            title = lines[before[0]];
            var rest = before.Skip(1).ToList();
            // A short capitalised token right after the title is the acronym.
            if (rest.Count > 0 && IsAcronym(lines[rest[0]]))
            {
                acronym = lines[rest[0]];
                rest.RemoveAt(0);
            }

            // The conditions are the last line before the interventions; the summary, the prose before them.
            if (rest.Count > 0 && LooksLikeConditions(lines[rest[^1]]))
            {
                conditions.AddRange(lines[rest[^1]].Split('|'));
                rest.RemoveAt(rest.Count - 1);
            }

            summary = rest.Count > 0 ? string.Join(' ', rest.Select(i => lines[i])) : null;
        }

        if (isExport)
        {
            // Sponsor then collaborators come before the eligibility and design values; text after the study design is
            // the other ids. Sponsor names are short; anything long is prose.
            var designAt = kinds.FindIndex(k => k is Kind.Sex or Kind.Age or Kind.Phases or Kind.Enrollment or Kind.Funder or Kind.StudyType or Kind.Design);
            var idsAfter = Math.Max(kinds.IndexOf(Kind.Design), kinds.IndexOf(Kind.StudyType));
            otherIds.AddRange(after.Where(i => idsAfter >= 0 && i > idsAfter && lines[i].Length <= 200).SelectMany(i => lines[i].Split('|')));
            after = after.Where(i => idsAfter < 0 || i < idsAfter).ToList();
            var names = after.Where(i => (designAt < 0 || i < designAt) && lines[i].Length <= 200 && !lines[i].Contains(". ", StringComparison.Ordinal)).ToList();
            if (names.Count > 0)
            {
                sponsor = lines[names[0]];
                collaborators.AddRange(names.Skip(1).SelectMany(i => lines[i].Split('|')));
            }

            var prose = after.Except(names).ToList();
            description = prose.Count > 0 ? string.Join(' ', prose.Select(i => lines[i])) : null;
        }
        else
        {
            var firstAfterOutcomes = interventionsAt + 1;
            while (firstAfterOutcomes < lines.Count && kinds[firstAfterOutcomes] == Kind.Outcomes)
            {
                firstAfterOutcomes++;
            }

            description = interventionsAt >= 0 && firstAfterOutcomes < lines.Count ? string.Join(' ', lines[firstAfterOutcomes..]) : null;
        }

        var interventions = interventionsAt < 0 ? [] : lines[interventionsAt].Split('|')
            .Select(s => s.Split(':', 2))
            .Select(p => new Intervention { Name = TextClean.FoldOrEmpty(p[1]), Type = FieldParsers.InterventionTypeValue(p[0]) })
            .DistinctBy(i => i.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var outcomes = new List<Outcome>();
        var outcomeKinds = new[] { OutcomeKind.Primary, OutcomeKind.Secondary, OutcomeKind.Other };
        var n = 0;
        for (var i = 0; i < lines.Count && n < outcomeKinds.Length; i++)
        {
            if (kinds[i] == Kind.Outcomes)
            {
                outcomes.AddRange(lines[i].Split('|').Select(s => ReadOutcome(outcomeKinds[n], s)));
                n++;
            }
        }

        // Dates come in the export's order: start, primary completion, completion, first posted, results first posted, last update posted.
        var dates = kinds.Select((kind, i) => (kind, i)).Where(x => x.kind == Kind.Date).Select(x => lines[x.i]).ToList();
        var (minAge, maxAge) = Ages(Typed(Kind.Age));
        var sponsors = new List<Sponsor>();
        if (TextClean.Fold(sponsor) is { } lead)
        {
            sponsors.Add(new Sponsor(lead, SponsorRole.Lead, Typed(Kind.Funder)?.Split('|')[0]));
        }

        sponsors.AddRange(TextClean.Distinct(collaborators).Select(c => new Sponsor(c, SponsorRole.Collaborator, null)));
        var locations = Typed(Kind.Locations)?.Split('|').Select(ReadSite).ToList() ?? [];
        var enrollment = Typed(Kind.Enrollment) is { } count ? FieldParsers.EnrollmentValue(count) : null;

        yield return new TrialRecord
        {
            Source = new SourceInfo(document.FileName, FormatName, document.Sha256),
            RegistryId = Typed(Kind.Id),
            SecondaryIds = TextClean.Distinct(otherIds),
            Title = TextClean.Fold(title),
            BriefSummary = TextClean.Fold(summary),
            DetailedDescription = TextClean.Fold(description),
            Status = FieldParsers.Status(Typed(Kind.Status)),
            Phases = FieldParsers.Phases(Typed(Kind.Phases)),
            StudyType = FieldParsers.StudyTypeValue(Typed(Kind.StudyType)),
            Enrollment = enrollment,
            StartDate = dates.Count > 0 ? dates[0] : null,
            CompletionDate = dates.Count > 2 ? dates[2] : dates.Count > 1 ? dates[1] : null,
            LastUpdated = dates.Count >= 5 ? dates[^1] : null,
            Conditions = TextClean.Distinct(conditions),
            Interventions = interventions,
            Eligibility = minAge is null && maxAge is null && Typed(Kind.Sex) is null ? null : new Eligibility
            {
                MinAgeYears = minAge,
                MaxAgeYears = maxAge,
                Sex = FieldParsers.SexValue(Typed(Kind.Sex)),
            },
            Sponsors = sponsors,
            Locations = locations,
            Outcomes = outcomes,
        };
    }

    private static bool IsAcronym(string line) =>
        line.Length <= 20 && !line.Contains(' ', StringComparison.Ordinal) && line.Any(char.IsUpper);

    /// <summary>A conditions cell: '|'-separated names, or one short name without a sentence's full stop.</summary>
    private static bool LooksLikeConditions(string line) =>
        line.Contains('|', StringComparison.Ordinal) || (line.Length <= 120 && !line.Contains(". ", StringComparison.Ordinal) && !line.EndsWith('.'));

    /// <summary>"18 Years to 70 Years (ADULT, OLDER_ADULT)": the limits; the age groups alone give none.</summary>
    private static (int? Min, int? Max) Ages(string? value)
    {
        if (value is null || !char.IsDigit(value[0]))
        {
            return (null, null);
        }

        var range = value.Split('(')[0].Split(" to ");
        return (FieldParsers.AgeYears(range[0]), range.Length > 1 ? FieldParsers.AgeYears(range[1]) : null);
    }

    /// <summary>"Facility, City, State, Zip, Country" (state and zip may be missing).</summary>
    private static Location ReadSite(string site)
    {
        var parts = site.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        var country = Gazetteer.Country(parts[^1]) ?? parts[^1];
        parts.RemoveAt(parts.Count - 1);
        parts = parts.Where(p => !p.All(c => char.IsDigit(c) || c == '-')).ToList();
        return parts.Count switch
        {
            0 => new Location(null, null, null, country, null),
            1 => new Location(parts[0], null, null, country, null),
            2 => new Location(parts[0], parts[1], null, country, null),
            _ => new Location(string.Join(", ", parts[..^2]), parts[^2], parts[^1], country, null),
        };
    }

    private static bool IsOutcomeLine(string line) =>
        line.Split('|').Count(s => TrailingTimeFrame().Match(s) is { Success: true } m && TimeWords().IsMatch(m.Groups["tf"].Value)) * 2 >= line.Split('|').Length
        && line.Length > 30;

    /// <summary>"measure [category], description, time frame": the time frame follows the last comma.</summary>
    internal static Outcome ReadOutcome(OutcomeKind kind, string segment)
    {
        var text = TextClean.FoldOrEmpty(segment);
        var lastComma = text.LastIndexOf(", ", StringComparison.Ordinal);
        var timeFrame = lastComma > 0 ? text[(lastComma + 2)..] : null;
        var head = lastComma > 0 ? text[..lastComma] : text;
        var bracket = head.IndexOf(']', StringComparison.Ordinal);
        var split = bracket > 0 ? bracket + 1 : head.IndexOf(", ", StringComparison.Ordinal);
        var measure = split > 0 ? head[..split] : head;
        var description = split > 0 && split < head.Length ? head[split..].TrimStart(',', ' ') : null;
        return new Outcome(kind, TextClean.FoldOrEmpty(measure), TextClean.Fold(description), TextClean.Fold(timeFrame));
    }

    /// <summary>Whether the text has more than <paramref name="limit"/> lines with something on them, counted without splitting it.</summary>
    private static bool MoreNonEmptyLinesThan(string text, int limit)
    {
        var count = 0;
        var blank = true;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                count += blank ? 0 : 1;
                blank = true;
            }
            else if (blank && !char.IsWhiteSpace(c) && c != '\uFEFF')
            {
                blank = false;
            }

            if (count > limit)
            {
                return true;
            }
        }

        return count + (blank ? 0 : 1) > limit;
    }

    private static List<string> NonEmptyLines(string text) =>
        TextClean.Lines(text).Select(l => l.Trim().TrimStart('\uFEFF')).Where(l => l.Length > 0).ToList();
}
