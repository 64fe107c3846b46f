using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>
/// Splits eligibility text into inclusion and exclusion criteria. Items are the lines that carry the list's
/// own marker (the marker and indentation of the first item in the section); lines with another marker or a
/// deeper indentation are sub-items of the item above; unmarked lines continue it. A section with no markers at
/// all has one item a line.
/// </summary>
public static class CriteriaParser
{
    private static readonly Regex Heading = new(
        @"^\s*(?:[-*•]\s*)?(?:\*\*)?(?:key\s+|main\s+|general\s+)?(?<kind>inclusion|exclusion|include|exclude)\s*(?:criteria|criterion)?\s*(?:\*\*)?\s*(?::|：)?\s*(?<rest>.*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Regex Marker = new(
        @"^(?<indent>\s*)(?<marker>(?<num>\d{1,2})[.)、](?!\d)|\((?<pnum>\d{1,2})\)|(?<alpha>[a-z])[.)](?=\s)|\((?<palpha>[a-z])\)|(?<roman>(?:i{1,3}|iv|v|vi{1,3}|ix|x))[.)](?=\s)|(?<bullet>[*•·\-–●○▪◦▸►✓✔✗✘✅⛔❌☐☑➤→]))\s*(?<text>.*)$",
        RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    // "i) Early recurrence ...; ii) Late recurrence ...; iii) Relapse ..." on one line: three sub-items.
    private static readonly Regex InlineMarker = new(
        @";\s+\(?(?:i{1,3}|iv|vi{0,3}|ix|x|[a-z]|\d{1,2})\)\s+",
        RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    public static (IReadOnlyList<Criterion> Inclusion, IReadOnlyList<Criterion> Exclusion) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ([], []);
        }

        var sections = new Dictionary<CriterionKind, List<string>>
        {
            [CriterionKind.Inclusion] = [],
            [CriterionKind.Exclusion] = [],
        };
        CriterionKind? current = null;
        foreach (var raw in TextClean.Lines(TextClean.Unescape(text)))
        {
            var h = raw.Length < 200 ? Heading.Match(raw) : Match.Empty;
            if (h.Success && (h.Groups["rest"].Value.Length == 0 || raw.Contains(':', StringComparison.Ordinal)))
            {
                current = h.Groups["kind"].Value.StartsWith("incl", StringComparison.OrdinalIgnoreCase)
                    ? CriterionKind.Inclusion
                    : CriterionKind.Exclusion;
                if (h.Groups["rest"].Value.Trim().Length > 0)
                {
                    sections[current.Value].Add(h.Groups["rest"].Value);
                }

                continue;
            }

            sections[current ?? CriterionKind.Inclusion].Add(raw);
        }

        return (Items(sections[CriterionKind.Inclusion]), Items(sections[CriterionKind.Exclusion]));
    }

    /// <summary>Items of one section, from its lines.</summary>
    public static IReadOnlyList<Criterion> Items(IReadOnlyList<string> lines)
    {
        var parsed = JoinWrapped(lines.Where(l => l.Trim().Length > 0).Select(Classify).ToList());
        var first = parsed.FirstOrDefault(p => p.MarkerKind is not null);
        var items = new List<(string Text, List<string> Subs)>();
        if (first.MarkerKind is null || parsed.Count(p => p.MarkerKind is not null) * 2 < parsed.Count)
        {
            // Mostly unmarked: one item a line; a marked line ("i) Early recurrence ...") stays under the line above.
            foreach (var p in parsed)
            {
                if (p.MarkerKind is not null && items.Count > 0)
                {
                    items[^1].Subs.AddRange(InlineMarker.Split(p.Text));
                }
                else
                {
                    items.Add((p.Text, []));
                }
            }

            return Build(items);
        }

        var subIndent = -1;
        foreach (var p in parsed)
        {
            var isTop = p.MarkerKind == first.MarkerKind && p.Indent <= first.Indent + 1;
            if (isTop)
            {
                items.Add((p.Text, []));
                subIndent = -1;
            }
            else if (items.Count == 0)
            {
                // A preamble before the first item ("Patients are not eligible if ...") is not a criterion.
                continue;
            }
            else if (p.MarkerKind is not null || (subIndent >= 0 && p.Indent >= subIndent && p.Indent > first.Indent))
            {
                items[^1].Subs.AddRange(p.MarkerKind is null ? [p.Text] : InlineMarker.Split(p.Text));
                subIndent = p.Indent;
            }
            else if (items[^1].Subs.Count > 0 && p.Indent > first.Indent)
            {
                items[^1].Subs[^1] = $"{items[^1].Subs[^1]} {p.Text}";
            }
            else
            {
                items[^1] = ($"{items[^1].Text} {p.Text}", items[^1].Subs);
            }
        }

        return Build(items);
    }

    /// <summary>
    /// Lines broken by a hard wrap (legacy XML text blocks, text from PDF) joined to the line they continue: an unmarked
    /// line indented deeper than the marked line above it, or one that starts in lower case after a line that did not
    /// end its sentence.
    /// </summary>
    private static List<Line> JoinWrapped(List<Line> lines)
    {
        var joined = new List<Line>(lines.Count);
        foreach (var line in lines)
        {
            if (joined.Count > 0 && line.MarkerKind is null && line.Text.Length > 0)
            {
                var previous = joined[^1];
                var deeper = previous.MarkerKind is not null && line.Indent > previous.Indent;
                var lowerContinuation = char.IsLower(line.Text[0]) && previous.Text.Length > 0 && previous.Text[^1] is not ('.' or ':' or ';');
                if (deeper || lowerContinuation)
                {
                    joined[^1] = previous with { Text = $"{previous.Text} {line.Text}" };
                    continue;
                }
            }

            joined.Add(line);
        }

        return joined;
    }

    private static List<Criterion> Build(List<(string Text, List<string> Subs)> items) =>
        items.Select(i => new Criterion(TextClean.FoldOrEmpty(i.Text), i.Subs.Select(TextClean.FoldOrEmpty).Where(s => s.Length > 0).ToList()))
            .Where(c => c.Text.Length > 0 || c.SubItems.Count > 0)
            .Select(c => c.Text.Length > 0 ? c : c with { Text = c.SubItems[0], SubItems = c.SubItems.Skip(1).ToList() })
            .ToList();

    private readonly record struct Line(int Indent, string? MarkerKind, string Text);

    private static Line Classify(string raw)
    {
        var indent = raw.Length - raw.TrimStart().Length;
        var m = Marker.Match(raw);
        if (!m.Success || m.Groups["text"].Value.Trim().Length == 0)
        {
            return new Line(indent, null, raw.Trim());
        }

        var kind = m.Groups["num"].Success ? "num" + m.Groups["marker"].Value[^1]
            : m.Groups["pnum"].Success ? "pnum"
            : m.Groups["alpha"].Success ? "alpha"
            : m.Groups["palpha"].Success ? "palpha"
            : m.Groups["roman"].Success ? "roman"
            : "bullet" + m.Groups["bullet"].Value;
        return new Line(m.Groups["indent"].Length, kind, m.Groups["text"].Value.Trim());
    }
}
