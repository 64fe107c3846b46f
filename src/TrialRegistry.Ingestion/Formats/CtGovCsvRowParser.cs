using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// One row of a ClinicalTrials.gov CSV export written one field a line with no labels (seed 001): title,
/// summary, <c>|</c>-separated conditions, <c>TYPE: name</c> interventions, then primary, secondary and other
/// outcomes as <c>measure, description, time frame</c>, then the detailed description. Fields are recognised by
/// their shape, not only their position.
/// </summary>
public sealed partial class CtGovCsvRowParser : IDocumentParser
{
    public const string FormatName = "ctgov-csv-row";

    [GeneratedRegex(@"^(?:(?:BIOLOGICAL|DRUG|DEVICE|PROCEDURE|RADIATION|BEHAVIORAL|GENETIC|DIETARY_SUPPLEMENT|COMBINATION_PRODUCT|DIAGNOSTIC_TEST|OTHER):\s*[^|]+)(?:\|(?:BIOLOGICAL|DRUG|DEVICE|PROCEDURE|RADIATION|BEHAVIORAL|GENETIC|DIETARY_SUPPLEMENT|COMBINATION_PRODUCT|DIAGNOSTIC_TEST|OTHER):\s*[^|]+)*$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex InterventionLine();

    [GeneratedRegex(@",\s*(?<tf>[^,]{1,80})$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex TrailingTimeFrame();

    [GeneratedRegex(@"\d|\b(?:day|week|month|year|cycle|visit|baseline|end of|through|up to)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex TimeWords();

    public string Format => FormatName;

    public int Detect(DecodedDocument document)
    {
        var lines = NonEmptyLines(document.Text);
        var k = lines.FindIndex(l => InterventionLine().IsMatch(l));
        return k is >= 1 and <= 6 && lines.Count <= 20 ? 80 : 0;
    }

    public IEnumerable<TrialRecord> Parse(DecodedDocument document)
    {
        var lines = NonEmptyLines(document.Text);
        var k = lines.FindIndex(l => InterventionLine().IsMatch(l));
        var title = lines.Count > 0 && k != 0 ? lines[0] : null;
        var conditions = k >= 2 ? lines[k - 1].Split('|') : [];
        var summary = k >= 3 ? string.Join(' ', lines[1..(k - 1)]) : null;

        var interventions = k < 0 ? [] : lines[k].Split('|')
            .Select(s => s.Split(':', 2))
            .Select(p => new Intervention { Name = TextClean.FoldOrEmpty(p[1]), Type = FieldParsers.InterventionTypeValue(p[0]) })
            .DistinctBy(i => i.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var outcomes = new List<Outcome>();
        var kinds = new[] { OutcomeKind.Primary, OutcomeKind.Secondary, OutcomeKind.Other };
        var i = k + 1;
        for (var n = 0; k >= 0 && n < kinds.Length && i < lines.Count && IsOutcomeLine(lines[i]); n++, i++)
        {
            outcomes.AddRange(lines[i].Split('|').Select(s => ReadOutcome(kinds[n], s)));
        }

        var description = k >= 0 && i < lines.Count ? string.Join(' ', lines[i..]) : null;
        yield return new TrialRecord
        {
            Source = new SourceInfo(document.FileName, FormatName, document.Sha256),
            Title = TextClean.Fold(title),
            BriefSummary = TextClean.Fold(summary),
            DetailedDescription = TextClean.Fold(description),
            Conditions = TextClean.Distinct(conditions),
            Interventions = interventions,
            Outcomes = outcomes,
        };
    }

    private bool IsOutcomeLine(string line) =>
        line.Split('|').Count(s => TrailingTimeFrame().Match(s) is { Success: true } m && TimeWords().IsMatch(m.Groups["tf"].Value)) * 2 >= line.Split('|').Length;

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

    private static List<string> NonEmptyLines(string text) =>
        TextClean.Lines(text).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
