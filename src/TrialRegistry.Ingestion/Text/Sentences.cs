using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Ingestion.Text;

/// <summary>
/// Splits prose into sentences: at a full stop, question or exclamation mark followed by white space and a capital,
/// digit, quote or bullet, but not after an abbreviation ("e.g.", "Dr.", "F. Hoffmann", "Inc.", "vs.") or an
/// initial; and at line breaks that end a paragraph, a heading, a label ("Methods:") or before a list item. A
/// hand-written scanner: it is on every record's path, and linear.
/// </summary>
public static class Sentences
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.Ordinal)
    {
        "e.g", "i.e", "etc", "vs", "Dr", "Mr", "Mrs", "Ms", "Prof", "No", "Nos", "Fig", "Figs", "approx", "ca", "al", "Inc", "Ltd",
        "Co", "Corp", "Jr", "Sr", "St", "Dept", "Univ", "Vol", "cf", "resp", "Calif", "Mass", "Penn", "Wash", "Md", "Jan", "Feb",
        "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "U.S", "Ph", "Pts", "pts", "min", "max",
    };

    /// <summary>The sentences of a text, each trimmed and with its line breaks folded to spaces.</summary>
    public static IReadOnlyList<string> Split(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var sentences = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                if (EndsAtLineBreak(text, start, i))
                {
                    Add(sentences, text, start, i);
                    start = i + 1;
                }

                continue;
            }

            if (c is not ('.' or '!' or '?' or '…'))
            {
                continue;
            }

            // Closing quotes or brackets stay with the sentence.
            var end = i + 1;
            while (end < text.Length && text[end] is '"' or '”' or '’' or ')')
            {
                end++;
            }

            var next = end;
            while (next < text.Length && text[next] is ' ' or '\t' or '\r')
            {
                next++;
            }

            if (next == end && !(next < text.Length && text[next] == '\n'))
            {
                continue; // "3.5", "U.S.A."
            }

            if (next < text.Length && text[next] != '\n' && !StartsSentence(text[next]))
            {
                continue;
            }

            if (c == '.' && IsAbbreviation(text, start, i))
            {
                continue;
            }

            Add(sentences, text, start, end);
            start = end;
            i = end - 1;
        }

        Add(sentences, text, start, text.Length);
        return sentences;
    }

    private static bool StartsSentence(char c) => char.IsUpper(c) || char.IsDigit(c) || c is '"' or '“' or '‘' or '(' or '[' or '•' or '–' or '-';

    /// <summary>Whether the word before the full stop at <paramref name="dot"/> is an abbreviation or an initial.</summary>
    private static bool IsAbbreviation(string text, int start, int dot)
    {
        var w = dot;
        while (w > start && !char.IsWhiteSpace(text[w - 1]) && text[w - 1] is not ('(' or '"' or '“'))
        {
            w--;
        }

        var word = text[w..dot];
        if (word.Length == 1 && char.IsUpper(word[0]))
        {
            return true; // an initial: "F. Hoffmann"
        }

        return Abbreviations.Contains(word) || (word.Length == 3 && word[1] == '.' && char.IsLetter(word[0]) && char.IsLetter(word[2]));
    }

    /// <summary>
    /// A line break ends the sentence when a blank line follows, when the line ends with a colon, when the next line
    /// is a list item, or when this line or the next is a short heading (a capitalised line of a few words).
    /// </summary>
    private static bool EndsAtLineBreak(string text, int start, int at)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        lineStart = Math.Max(lineStart, start);
        var line = text.AsSpan(lineStart, at - lineStart).Trim();
        var nextEnd = text.IndexOf('\n', at + 1);
        var next = text.AsSpan(at + 1, (nextEnd < 0 ? text.Length : nextEnd) - at - 1).Trim();
        if (line.Length == 0 || next.Length == 0)
        {
            return true;
        }

        if (line[^1] == ':' || IsListItem(next) || IsHeading(line) || IsHeading(next))
        {
            return true;
        }

        return false;
    }

    private static bool IsListItem(ReadOnlySpan<char> line)
    {
        if (line.Length == 0)
        {
            return false;
        }

        if (line[0] is '•' or '▸' or '►' or '●' or '-' or '–' or '*' && line.Length > 1 && line[1] == ' ')
        {
            return true;
        }

        var i = 0;
        while (i < line.Length && i < 2 && char.IsDigit(line[i]))
        {
            i++;
        }

        return i > 0 && i + 1 < line.Length && line[i] is '.' or ')' && line[i + 1] == ' ';
    }

    /// <summary>A short line of a few words starting with a capital and not ending a sentence ("Background", "About ZUMA-7").</summary>
    private static bool IsHeading(ReadOnlySpan<char> line) =>
        line.Length is > 0 and <= 40 && char.IsUpper(line[0]) && line[^1] is not ('.' or ',' or ';') && line.IndexOfAny(".;") < 0;

    private static void Add(List<string> sentences, string text, int from, int to)
    {
        if (to <= from)
        {
            return;
        }

        var folded = TextClean.Fold(text[from..to]);
        if (folded is not null)
        {
            sentences.Add(folded);
        }
    }

}
