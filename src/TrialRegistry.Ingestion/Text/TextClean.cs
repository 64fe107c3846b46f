using System.Text;

namespace TrialRegistry.Ingestion.Text;

/// <summary>Text normalization shared by every parser: markdown escapes removed, white space folded.</summary>
public static class TextClean
{
    /// <summary>Trims and folds runs of white space to one space; null for empty text.</summary>
    public static string? Fold(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in Unescape(text))
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>Folds a value that must be present, for list items.</summary>
    public static string FoldOrEmpty(string? text) => Fold(text) ?? string.Empty;

    /// <summary>
    /// Removes the markdown backslash escapes ClinicalTrials.gov puts in its text (<c>10\^6</c>, <c>\&lt;70</c>,
    /// <c>\*</c>), keeping every other backslash.
    /// </summary>
    public static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && IsEscapable(text[i + 1]))
            {
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>The lines of a text (LF), each trimmed at the end; leading indentation is kept.</summary>
    public static string[] Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd()).ToArray();

    /// <summary>Adds items once each, in order, ignoring case and empty items.</summary>
    public static List<string> Distinct(IEnumerable<string?> items)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var list = new List<string>();
        foreach (var item in items)
        {
            var folded = Fold(item);
            if (folded is not null && seen.Add(folded))
            {
                list.Add(folded);
            }
        }

        return list;
    }

    private static bool IsEscapable(char c) => c is '^' or '<' or '>' or '*' or '_' or '[' or ']' or '(' or ')'
        or '#' or '+' or '-' or '.' or '!' or '~' or '|' or '`' or '{' or '}' or '=' or '\\';
}
