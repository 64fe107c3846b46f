using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Knowledge;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>A value a document gave under a label, the field the label names (null for a label not in the vocabulary), and the line it starts on.</summary>
public sealed record LabelledValue(string Label, string? Field, string Value, int Line)
{
    /// <summary>The value's lines as written (a list under a label keeps one item a line).</summary>
    public IReadOnlyList<string> Lines { get; init; } = [Value];
}

/// <summary>An eligibility block: inclusion, exclusion, or both (a combined "Eligibility criteria" block), with its lines as written.</summary>
public sealed record CriteriaBlock(string Kind, IReadOnlyList<string> Lines);

/// <summary>
/// How a text page is laid out, recognised from what its lines look like rather than from one source's template:
/// <list type="bullet">
/// <item>labelled values: "Label: value" (several on a line when separated by wide gaps, "·" or "|"), "Label:" with
/// the value on the lines below (registry pages, bilingual ChiCTR pages), "Label&#160;&#160;&#160;value" columns
/// whose value wraps at its column and whose label may wrap too (PDF synopses, EU register pages, with or without
/// section codes such as "E.1.1"), and "| label | value |" table rows;</item>
/// <item>criteria blocks under an inclusion or exclusion heading ("Inclusion criteria:", "E.3 Principal inclusion
/// criteria", "Who can join"), up to the next heading;</item>
/// <item>everything else as body lines, prose for the extractors.</item>
/// </list>
/// Labels are matched against <see cref="LabelVocabulary"/>; a label it does not know is kept with a null field.
/// </summary>
public sealed partial class TextLayout
{
    [GeneratedRegex(@"^\s*\|(?<cells>.*)\|\s*$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^[\s|:\-–=+]+$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex TableRule();

    [GeneratedRegex(@"^\s*(?:[A-Z](?:\.[0-9A-Z]+)+\.?\s+)?(?:eligibility\s*(?:criteria)?\s*[-–:]\s*)?(?:key\s+|main\s+|principal\s+|major\s+|general\s+)?(?<kind>inclusion|exclusion)\s+criteri(?:a|on)\b\s*[:：]?\s*$|^\s*(?<kind>who\s+(?:can|may|is\s+able\s+to)\s+(?:join|take\s+part|participate|enrol+))\b.{0,20}$|^\s*(?<kind>who\s+(?:cannot|can\s*not|can't|may\s+not|should\s+not)\s+(?:join|take\s+part|participate|enrol+))\b.{0,20}$|^\s*(?<kind>(?:eligibility|eligibility\s+criteria|participant\s+eligibility))\s*[:：]?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex CriteriaHeading();

    [GeneratedRegex(@"^\s*(?:\d{1,2}[.)]|\(\d{1,2}\)|[a-z][.)]\s|\([a-z]{1,4}\)|[ivx]{1,4}[.)]\s|[*•·\-–●○▪◦▸►✓✔✗✘✅⛔❌☐☑➤→])", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^(?<code>[A-Z](?:\.(?:[0-9]+|[A-Z]{2,4}))+\.?(?:\s+and\s+[A-Z](?:\.[0-9]+)+)?)(?:\s+|$)", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex SectionCode();

    [GeneratedRegex(@"\s{3,}|\t+|\s+·\s+|\s+\|\s+", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex WideGap();

    [GeneratedRegex(@"\s{2,}|\t+", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ColumnGap();

    [GeneratedRegex(@"^(?<label>[^:：]{1,80}?)\s*[:：]\s*(?<value>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ColonPair();

    [GeneratedRegex(@"(?<!\b\p{Lu}|\b(?:Inc|Ltd|Co|Corp|Dr|St|No|vs))\.\s+(?=\p{Lu}\p{Ll})", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\*\*|__|^\s{0,3}#{1,6}\s+|^\s{0,3}>\s?", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex MarkdownMarks();

    [GeneratedRegex(@"\s*(?:\.{3,}|…{2,}|·{3,}|_{3,}(?=\s*\S))\s*", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex DotLeader();

    // Emoji and dingbats between words, and one at a line's start that is a label's icon ("📶 Phase: …"); a dingbat
    // at a line's start before text is a bullet ("✔ ECOG 0–1") and stays.
    [GeneratedRegex(@"(?<=\S)\s*(?:[\p{Cs}\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]\s*)+(?=\S)|^\s*(?:[\p{Cs}\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]\s*)+(?=[\w ]{1,40}:)", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Pictograph();

    [GeneratedRegex(@"\S\s+\|\s+\S.*\s\|\s", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PipeFacts();

    [GeneratedRegex(@"(?<=\.)\s+(?=\p{Lu}[\w'’ ]{1,40}:\s)", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NextLabelInLine();

    [GeneratedRegex(@"[\p{IsCJKUnifiedIdeographs}\p{IsCJKSymbolsandPunctuation}\p{IsHalfwidthandFullwidthForms}\p{IsHiragana}\p{IsKatakana}\p{IsHangulSyllables}\p{IsHangulJamo}]", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Cjk();

    [GeneratedRegex(@"^\d{1,2}:\d{2}", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ClockTime();

    private readonly List<LabelledValue> _fields = [];
    private readonly List<CriteriaBlock> _criteria = [];
    private readonly List<(string Line, int Index)> _body = [];

    public IReadOnlyList<LabelledValue> Fields => _fields;

    public IReadOnlyList<CriteriaBlock> Criteria => _criteria;

    /// <summary>Lines that are neither labelled metadata nor criteria, in order ("" between paragraphs).</summary>
    public IReadOnlyList<string> Body => _body.Select(b => b.Line).ToList();

    /// <summary>The lines of the cleaned text the layout was read from.</summary>
    public IReadOnlyList<string> Lines { get; }

    // Fields whose values are metadata, not prose: they stay out of the body.
    private static readonly HashSet<string> MetadataFields = new(StringComparer.Ordinal)
    {
        "registryId", "secondaryId", "title", "layTitle", "acronym", "status", "phase", "enrollment", "ages", "minAge",
        "maxAge", "sex", "countries", "studyType", "dates", "healthyVolunteers", "sponsor", "conditions",
    };

    public TextLayout(string text)
    {
        Lines = TextClean.Lines(PageFurniture.Clean(text)).Select(Plain).ToList();
        Read();
    }

    /// <summary>
    /// A line with the marks of its medium taken out: Markdown emphasis and heading marks ("**Sponsor:**", "# Title"),
    /// dot leaders ("Sponsor ........ X", read as a column gap), and pictographs used as labels' icons ("📶 Phase:").
    /// </summary>
    private static string Plain(string line)
    {
        var t = MarkdownMarks().Replace(line, string.Empty);
        t = DotLeader().Replace(t, "   ");
        return Pictograph().Replace(t, "   ").TrimEnd();
    }

    /// <summary>The values of a field, in document order.</summary>
    public IEnumerable<LabelledValue> Values(string field) => _fields.Where(f => f.Field == field && f.Value.Length > 0);

    /// <summary>The first value of a field, or null.</summary>
    public string? First(string field) => Values(field).Select(f => f.Value).FirstOrDefault();

    private void Read()
    {
        var lines = Lines;
        var i = 0;
        while (i < lines.Count)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                AddBody(string.Empty, i);
                i++;
                continue;
            }

            if (CriteriaHeading().Match(trimmed) is { Success: true } heading)
            {
                i = ReadCriteria(i, heading.Groups["kind"].Value);
                continue;
            }

            if (TableRow().Match(line) is { Success: true } row)
            {
                ReadTableRow(row.Groups["cells"].Value, i);
                i++;
                continue;
            }

            i = ReadLabelled(i);
        }
    }

    private void AddBody(string line, int index)
    {
        if (line.Length == 0 && (_body.Count == 0 || _body[^1].Line.Length == 0))
        {
            return;
        }

        _body.Add((line, index));
    }

    private void AddField(string label, string value, int line)
    {
        label = CleanLabel(label);
        // A metadata label followed by more prose on its line ("Trial sponsor: iCell Gene Therapeutics. After apheresis, …"):
        // the value is the first sentence; the rest is body text.
        if (LabelVocabulary.FieldOf(label) is { } known && MetadataFields.Contains(known) && !value.Contains('\n', StringComparison.Ordinal)
            && SentenceEnd().Match(value) is { Success: true } end && end.Index > 0)
        {
            AddBody(value[(end.Index + end.Length)..], line);
            value = value[..end.Index];
        }

        var folded = TextClean.FoldOrEmpty(StripCjk(value));
        var field = LabelVocabulary.FieldOf(label);
        var lines = value.Split('\n').Select(l => TextClean.FoldOrEmpty(StripCjk(l))).Where(l => l.Length > 0).ToList();
        _fields.Add(new LabelledValue(label, field, folded, line) { Lines = lines.Count > 0 ? lines : [folded] });
        if (field is null || !MetadataFields.Contains(field))
        {
            // Prose under a label stays readable for the extractors, with its label as context.
            foreach (var valueLine in value.Split('\n'))
            {
                AddBody(field is null && valueLine == value.Split('\n')[0] && folded.Length > 0 ? $"{label}: {valueLine.Trim()}" : valueLine.TrimEnd(), line);
            }

            AddBody(string.Empty, line);
        }
    }

    private static string CleanLabel(string label)
    {
        var text = StripCjk(label).Trim().Trim('|', '•', '-', '–', '*', ' ').TrimEnd(':', '：').Trim();
        // "At a glance — Condition": the label is what follows the dash.
        var dash = text.LastIndexOfAny(['—', '–']);
        if (dash > 0 && dash < text.Length - 2)
        {
            text = text[(dash + 1)..].Trim();
        }
        if (SectionCode().Match(text) is { Success: true } code)
        {
            text = text[code.Length..].Trim();
        }

        return TextClean.FoldOrEmpty(text);
    }

    /// <summary>The English of a bilingual value or label: Chinese, Japanese and Korean text out, with the separators left around it.</summary>
    private static string StripCjk(string text) =>
        Cjk().IsMatch(text) ? Cjk().Replace(text, " ").Trim().TrimStart('/', '|', '(', ')', ':', ' ').Trim() : text;

    private void ReadTableRow(string cells, int index)
    {
        var parts = cells.Split('|').Select(c => c.Trim()).ToList();
        if (TableRule().IsMatch(cells) || parts.Count < 2)
        {
            return;
        }

        var label = parts[0];
        var value = string.Join("; ", parts.Skip(1).Where(p => p.Length > 0));
        if (label.Length == 0 || value.Length == 0 || value.Equals("Details", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        AddField(label, value, index);
    }

    /// <summary>Criteria lines under a heading, up to the next heading, labelled line or table.</summary>
    private int ReadCriteria(int start, string kind)
    {
        var lines = new List<string>();
        var headingIndent = Indent(Lines[start]);
        var i = start + 1;
        var lastItemIndent = -1;
        for (; i < Lines.Count; i++)
        {
            var line = Lines[i];
            var t = line.Trim();
            if (t.Length == 0)
            {
                // A blank line ends the block unless the list goes on below it.
                var next = NextNonBlank(i);
                if (next < 0 || !(ListItem().IsMatch(Lines[next]) || (lastItemIndent >= 0 && Indent(Lines[next]) > lastItemIndent)))
                {
                    break;
                }

                continue;
            }

            if (CriteriaHeading().IsMatch(t) || TableRow().IsMatch(line))
            {
                break;
            }

            var isItem = ListItem().IsMatch(line);
            if (!isItem && Indent(line) <= headingIndent && lines.Count > 0 && LooksLikeHeading(t))
            {
                break;
            }

            if (isItem)
            {
                lastItemIndent = Indent(line);
            }

            lines.Add(line);
        }

        var folded = kind.ToLowerInvariant();
        var negative = Regex.IsMatch(folded, @"\b(?:cannot|can\s*not|can't|may\s+not|should\s+not)\b", RegexOptions.None, PatternLimits.MatchTimeout);
        var normalized = folded.StartsWith("excl", StringComparison.Ordinal) || (folded.StartsWith("who", StringComparison.Ordinal) && negative) ? "exclusion"
            : folded.StartsWith("incl", StringComparison.Ordinal) || folded.StartsWith("who", StringComparison.Ordinal) ? "inclusion"
            : "both";
        _criteria.Add(new CriteriaBlock(normalized, lines));
        return i;
    }

    /// <summary>A short unindented line that opens something new: a known label, a section code, or a title-like heading.</summary>
    private static bool LooksLikeHeading(string t)
    {
        if (SectionCode().IsMatch(t))
        {
            return true;
        }

        var label = t.Split(':', '：')[0];
        if (LabelVocabulary.IsKnown(CleanLabel(ColumnGap().Split(t)[0])) || (t.Contains(':', StringComparison.Ordinal) && LabelVocabulary.IsKnown(CleanLabel(label))))
        {
            return true;
        }

        var words = t.TrimEnd(':').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= 6 && t.Length <= 60 && char.IsUpper(t[0]) && !t.TrimEnd().EndsWith('.') && !t.TrimEnd().EndsWith(',');
    }

    private int NextNonBlank(int i)
    {
        for (var j = i + 1; j < Lines.Count; j++)
        {
            if (Lines[j].Trim().Length > 0)
            {
                return j;
            }
        }

        return -1;
    }

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    /// <summary>A label as documents write one: a few words, not a sentence, not a list item, not a time of day.</summary>
    private static bool IsLabelLike(string label)
    {
        var t = StripCjk(label).Trim();
        if (t.Length == 0)
        {
            // A label written only in Chinese.
            return label.Trim().Length is > 0 and <= 20;
        }

        if (t.Length > 70 || t.Contains("  ", StringComparison.Ordinal) || ClockTime().IsMatch(t) || t.Contains(". ", StringComparison.Ordinal) || t.EndsWith('.') || t.StartsWith('(') || t.Contains("http", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var withoutCode = SectionCode().Match(t) is { Success: true } code ? t[code.Length..].Trim() : t;
        var words = withoutCode.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length is >= 1 and <= 10 && (char.IsLetter(withoutCode.FirstOrDefault()) || withoutCode.Length == 0);
    }

    /// <summary>Reads the labelled value(s) starting at line <paramref name="i"/>, or the line as body; returns the next line.</summary>
    private int ReadLabelled(int i)
    {
        var line = Lines[i];
        var trimmed = line.Trim();

        // Facts set side by side without labels ("Recruiting | Phase 1/2 | Adults 18–70 | All sexes") are body text.
        if (PipeFacts().IsMatch(trimmed) && !trimmed.Contains(':', StringComparison.Ordinal))
        {
            AddBody(trimmed, i);
            return i + 1;
        }

        // "Clinical trial information: NCT05680922. Research Sponsor: Legend Biotech USA Inc": two labelled values in one line.
        var segments = NextLabelInLine().Split(trimmed);
        if (segments.Length > 1 && segments.All(s => ColonPair().Match(s) is { Success: true } p && IsLabelLike(p.Groups["label"].Value)))
        {
            foreach (var segment in segments)
            {
                var p = ColonPair().Match(segment);
                AddField(p.Groups["label"].Value, p.Groups["value"].Value.TrimEnd('.'), i);
            }

            return i + 1;
        }

        // Several "Label: value" pairs on one line, apart by wide gaps, "·" or "|".
        var parts = WideGap().Split(trimmed).Where(p => p.Length > 0).ToList();
        if (parts.Count > 1 && parts.Count(p => ColonPair().Match(p) is { Success: true } m && IsLabelLike(m.Groups["label"].Value) && m.Groups["value"].Length > 0) >= 2)
        {
            foreach (var part in parts)
            {
                if (ColonPair().Match(part) is { Success: true } m && IsLabelLike(m.Groups["label"].Value))
                {
                    AddField(m.Groups["label"].Value, m.Groups["value"].Value, i);
                }
                else
                {
                    AddBody(part, i);
                }
            }

            return i + 1;
        }

        // "Label: value" or "Label:" with the value below.
        if (ColonPair().Match(trimmed) is { Success: true } pair && IsLabelLike(pair.Groups["label"].Value) && !ListItem().IsMatch(line))
        {
            var value = pair.Groups["value"].Value.Trim();
            if (value.Length > 0)
            {
                return ReadColumnValue(i, pair.Groups["label"].Value, value, line.IndexOf(value, StringComparison.Ordinal));
            }

            // The value on the lines below, up to a blank line or the next label.
            var valueLines = new List<string>();
            var j = i + 1;
            for (; j < Lines.Count; j++)
            {
                var t = Lines[j].Trim();
                if (t.Length == 0 || CriteriaHeading().IsMatch(t) || TableRow().IsMatch(Lines[j]))
                {
                    break;
                }

                if (ColonPair().Match(t) is { Success: true } next && IsLabelLike(next.Groups["label"].Value) && (next.Groups["value"].Length == 0 || LabelVocabulary.IsKnown(CleanLabel(next.Groups["label"].Value))))
                {
                    break;
                }

                valueLines.Add(Lines[j]);
            }

            if (valueLines.Count == 0)
            {
                // A heading with nothing under it before a blank line: the label of the lines after (an EU "E.7 Trial type and phase").
                AddBody(trimmed, i);
                return i + 1;
            }

            AddField(pair.Groups["label"].Value, string.Join('\n', valueLines.Select(l => l.Trim())), i);
            return j;
        }

        // "Label   value" in columns, the label maybe after a section code ("A.3   Full title of the trial   A Phase II …").
        var columns = ColumnGap().Split(trimmed).Where(p => p.Length > 0).ToList();
        if (columns.Count >= 2 && !ListItem().IsMatch(line))
        {
            var labelParts = SectionCode().IsMatch(columns[0]) && columns[0].Trim().Split(' ').Length <= 3 && columns.Count >= 3 ? 2 : 1;
            var label = string.Join(' ', columns.Take(labelParts));
            if (IsLabelLike(label) && (LabelVocabulary.IsKnown(CleanLabel(label)) || labelParts == 2 || columns[0].Length <= 40))
            {
                var value = string.Join("  ", columns.Skip(labelParts));
                var column = line.IndexOf(columns[labelParts], line.IndexOf(columns[labelParts - 1], StringComparison.Ordinal) + columns[labelParts - 1].Length, StringComparison.Ordinal);
                return ReadColumnValue(i, label, value, column);
            }
        }

        if (SectionCode().Match(trimmed) is { Success: true } code && trimmed.Length - code.Length is > 0 and < 80)
        {
            // A section code and a label with no value: a heading ("E.7 Trial type and phase").
            AddBody(trimmed[code.Length..].Trim(), i);
            return i + 1;
        }

        AddBody(line.TrimEnd(), i);
        return i + 1;
    }

    /// <summary>
    /// A value that starts at <paramref name="column"/> and may wrap onto the lines below, which start at that
    /// column; a wrapped label ("Investigational" / "Product") continues in the label column.
    /// </summary>
    private int ReadColumnValue(int i, string label, string value, int column)
    {
        var values = new List<string> { value };
        var labelText = label.Trim();
        var j = i + 1;
        for (; j < Lines.Count && column > 0; j++)
        {
            var next = Lines[j];
            if (next.Trim().Length == 0 || Indent(next) > column + 2 && !(Indent(next) >= column))
            {
                break;
            }

            var indent = Indent(next);
            if (indent >= column - 1 && indent <= column + 2)
            {
                values.Add(next.Trim());
                continue;
            }

            if (indent > column + 2)
            {
                // Deeper: a nested row of the value (a dose table under "Dose escalation").
                values.Add(next.TrimEnd());
                continue;
            }

            // Text in the label column and at the value column: the label wraps when label + fragment is a known label.
            if (next.Length > column && next[..Math.Min(column, next.Length)].Trim() is { Length: > 0 } leftPart && next[column - 1] == ' '
                && !LabelVocabulary.IsKnown(CleanLabel(labelText)) && LabelVocabulary.IsKnown(CleanLabel(labelText + " " + leftPart)))
            {
                labelText = labelText + " " + leftPart;
                values.Add(next[column..].Trim());
                continue;
            }

            break;
        }

        AddField(labelText, string.Join('\n', values), i);
        return j;
    }
}
