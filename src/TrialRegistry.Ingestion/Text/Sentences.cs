using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Ingestion.Text;

/// <summary>
/// Splits prose into sentences: at a full stop, question or exclamation mark before a capital, digit or quote, but
/// not after an abbreviation ("e.g.", "Dr.", "F. Hoffmann", "Inc. and", "vs."), a decimal point or an initial; and
/// at line breaks that end a paragraph, a heading or a list item.
/// </summary>
public static partial class Sentences
{
    [GeneratedRegex(@"(?<=[.!?…])[""”’)]*\s+(?=[\p{Lu}\p{N}""“‘(\[•–-])|\n\s*\n|\n(?=\s*(?:\d{1,2}[.)]\s|[•▸►●\-–*]\s))|(?<=:)\n|\n(?=[A-Z][\w ,&/()'’-]{0,40}\n)|(?<=(?:^|\n)[A-Z][\w ,&/()'’-]{0,40})\n", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Boundary();

    [GeneratedRegex(@"(?:\b(?:e\.g|i\.e|etc|vs|Dr|Mr|Mrs|Ms|Prof|No|Nos|Fig|Figs|approx|ca|al|Inc|Ltd|Co|Corp|Jr|Sr|St|Dept|Univ|Vol|cf|resp|Calif|Mass|Penn|Wash|Md|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b\p{Lu}|\bU\.S|\b[A-Z]\.[A-Z])\.$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Abbreviation();

    /// <summary>The sentences of a text, each trimmed and with its line breaks folded to spaces.</summary>
    public static IReadOnlyList<string> Split(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var sentences = new List<string>();
        var start = 0;
        try
        {
            foreach (Match m in Boundary().Matches(text))
            {
                var candidate = text[start..m.Index];
                var trimmed = candidate.TrimEnd('"', '”', '’', ')', ' ');
                if (m.Value.Contains('\n', StringComparison.Ordinal) || !Abbreviation().IsMatch(trimmed))
                {
                    Add(sentences, candidate);
                    start = m.Index + m.Length;
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
        }

        Add(sentences, text[start..]);
        return sentences;
    }

    private static void Add(List<string> sentences, string text)
    {
        var folded = TextClean.Fold(text);
        if (folded is not null)
        {
            sentences.Add(folded);
        }
    }
}
