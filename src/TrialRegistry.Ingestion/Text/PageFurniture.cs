using System.Text;
using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Ingestion.Text;

/// <summary>
/// Text extracted from a PDF or printed page, put back together: page footers and the running headers repeated
/// after them are removed, a paragraph broken by a page break continues, and a word hyphenated at the end of a line
/// is joined again ("moni-" + "tored" = "monitored"). Line structure (indentation, columns) is otherwise kept, so
/// labelled columns and numbered lists still read as such.
/// </summary>
public static partial class PageFurniture
{
    [GeneratedRegex(@"\bPage\s+\d+\s*(?:of|/)\s*\d+\b|^\s*-\s*\d{1,4}\s*-\s*$|^\s*\d+\s*/\s*\d+\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PageNumber();

    [GeneratedRegex(@"^\s*(?<n>\d{1,4})\s*$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex BareNumber();

    [GeneratedRegex(@"^\s*[_\-=─—–·.*]{10,}\s*$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Separator();

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Digits();


    [GeneratedRegex(@"^(?<left>\s*\S.*?)\s{2,}(?=\S)", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex LeftColumn();

    // Prefixes that keep their hyphen when a line breaks after them ("non-" + "osteosarcoma").
    private static readonly HashSet<string> KeptPrefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        "non", "anti", "pre", "post", "co", "self", "well", "multi", "semi", "sub", "dose", "cell", "first", "second",
        "third", "single", "double", "long", "short", "high", "low", "open", "half", "off", "cross", "two", "three",
        "four", "five", "end", "mid", "out", "follow", "long-term", "treatment", "disease", "drug", "patient", "age",
    };

    /// <summary>The text without page furniture, with page-broken paragraphs and hyphenated words joined.</summary>
    public static string Clean(string text)
    {
        var lines = TextClean.Lines(text.Replace('\u00A0', ' ').Replace("\r", string.Empty, StringComparison.Ordinal)).ToList();
        var furniture = FindFurniture(lines);
        if (furniture.Count == 0 && !lines.Any(l => HyphenatedWord(l) is not null))
        {
            return string.Join('\n', lines);
        }

        var kept = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (!furniture.Contains(i))
            {
                kept.Add(lines[i]);
                continue;
            }

            // A page break inside a paragraph: drop the blank lines around the furniture so the text continues.
            var start = i;
            while (i + 1 < lines.Count && (furniture.Contains(i + 1) || lines[i + 1].Trim().Length == 0))
            {
                i++;
            }

            while (kept.Count > 0 && kept[^1].Trim().Length == 0)
            {
                kept.RemoveAt(kept.Count - 1);
            }

            var next = i + 1 < lines.Count ? lines[i + 1].TrimStart() : string.Empty;
            var continues = kept.Count > 0 && next.Length > 0 && !EndsParagraph(kept[^1]) && (char.IsLower(next[0]) || kept[^1].EndsWith('-'));
            if (!continues && kept.Count > 0 && start > 0)
            {
                kept.Add(string.Empty);
            }
        }

        return string.Join('\n', JoinHyphenated(kept));
    }

    private static bool EndsParagraph(string line)
    {
        var t = line.TrimEnd();
        return t.Length == 0 || t[^1] is '.' or ':' or ';' or '!' or '?';
    }

    /// <summary>Footers (page numbers), separator rules, and lines repeated next to them on several pages.</summary>
    private static HashSet<int> FindFurniture(List<string> lines)
    {
        var furniture = new HashSet<int>();
        for (var i = 0; i < lines.Count; i++)
        {
            var t = lines[i].Trim();
            if (t.Length > 0 && t.Length < 200 && (Separator().IsMatch(t) || (PageNumber().IsMatch(t) && t.Length < 160)))
            {
                furniture.Add(i);
            }
        }

        // Bare page numbers: lines holding only a number, counting up, pages apart (a lone "1" under a label is a value).
        var bare = lines.Select((l, i) => (Match: BareNumber().Match(l), Index: i)).Where(x => x.Match.Success).ToList();
        if (bare.Count >= 2 && bare.Zip(bare.Skip(1)).All(p => int.Parse(p.Second.Match.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture) == int.Parse(p.First.Match.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture) + 1 && p.Second.Index - p.First.Index >= 15))
        {
            furniture.UnionWith(bare.Select(b => b.Index));
        }

        if (furniture.Count == 0)
        {
            return furniture;
        }

        // Running headers: a line repeated on several pages, one copy of it within a few lines after a page break.
        var shapes = lines.Select(l => Digits().Replace(TextClean.FoldOrEmpty(l), "#")).ToList();
        var repeated = shapes.Where(s => s.Length >= 8).GroupBy(s => s).Where(g => g.Count() >= 2).Select(g => g.Key).ToHashSet();
        foreach (var mark in furniture.ToList())
        {
            for (var j = mark + 1; j < Math.Min(lines.Count, mark + 6); j++)
            {
                if (repeated.Contains(shapes[j]))
                {
                    furniture.Add(j);
                }
                else if (shapes[j].Length > 0 && !furniture.Contains(j))
                {
                    break;
                }
            }
        }

        // The first page's copy of a running header.
        for (var i = 0; i < lines.Count && i < 6; i++)
        {
            if (repeated.Contains(shapes[i]) && Enumerable.Range(0, lines.Count).Any(j => j > i + 6 && furniture.Contains(j) && shapes[j] == shapes[i]))
            {
                furniture.Add(i);
            }
        }

        return furniture;
    }

    /// <summary>"moni-" at a line's end and "tored as outpatients" below become "monitored" and "as outpatients".</summary>
    private static List<string> JoinHyphenated(List<string> lines)
    {
        for (var i = 0; i + 1 < lines.Count; i++)
        {
            var head = HyphenatedWord(lines[i]);
            if (head is null || KeptPrefixes.Contains(head))
            {
                continue;
            }

            var j = i + 1;
            if (lines[j].Trim().Length == 0)
            {
                continue;
            }

            // In a two-column layout the continuation starts in the value column, after the label column's text.
            var next = lines[j];
            var from = LeftColumn().Match(lines[i]) is { Success: true } && LeftColumn().Match(next) is { Success: true } left
                ? left.Length
                : next.Length - next.TrimStart().Length;
            var end = from;
            while (end < next.Length && !char.IsWhiteSpace(next[end]))
            {
                end++;
            }

            var word = next[from..end];
            if (word.Length == 0 || !char.IsLower(word[0]))
            {
                continue;
            }

            lines[i] = lines[i][..^1] + word;
            var rest = next[end..];
            lines[j] = next[..from] + rest.TrimStart();
            if (lines[j].Trim().Length == 0)
            {
                lines[j] = string.Empty;
            }
        }

        return lines;
    }

    /// <summary>The word a line ends with before a hyphen ("moni" of "… moni-"), when it ends in two lower-case letters; else null.</summary>
    private static string? HyphenatedWord(string line)
    {
        if (line.Length < 3 || line[^1] != '-' || !char.IsLower(line[^2]) || !char.IsLower(line[^3]))
        {
            return null;
        }

        var start = line.Length - 1;
        while (start > 0 && char.IsLetter(line[start - 1]))
        {
            start--;
        }

        return line[start..^1];
    }

    /// <summary>Unfolds hard-wrapped lines of prose into one line each paragraph (lists and labelled lines keep their lines).</summary>
    public static string Unwrap(IEnumerable<string> lines)
    {
        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            var t = line.Trim();
            if (t.Length == 0)
            {
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(t);
        }

        return sb.ToString();
    }
}
