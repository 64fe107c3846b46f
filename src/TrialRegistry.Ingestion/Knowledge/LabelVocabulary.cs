using System.Text;
using System.Text.Json;

namespace TrialRegistry.Ingestion.Knowledge;

/// <summary>
/// The labels documents put before a value, by the field they name (<c>Knowledge/labels.json</c>). A label is
/// compared after folding: case, punctuation, a leading registry section code ("E.1.1", "D.3.1", "A.5.2") and the
/// trailing colon do not count.
/// </summary>
public static class LabelVocabulary
{
    private static readonly Dictionary<string, string> FieldByLabel = Build();

    /// <summary>The field a label names ("registryId", "title", "status", …), or null for a label it does not know.</summary>
    public static string? FieldOf(string label) => FieldByLabel.GetValueOrDefault(Key(label));

    /// <summary>True when the text is a label the vocabulary knows.</summary>
    public static bool IsKnown(string label) => FieldByLabel.ContainsKey(Key(label));

    /// <summary>A label reduced for comparison: lower case letters and digits, words single-spaced, no section code.</summary>
    public static string Key(string label)
    {
        var text = label.Trim();
        // A registry section code before the label: "E.1.1", "A.3", "D.IMP:", "F.4.2.2", "B.1.3.4".
        var i = 0;
        if (text.Length > 2 && char.IsUpper(text[0]) && text[1] == '.')
        {
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i < text.Length && text[..i].Count(char.IsDigit) > 0)
            {
                text = text[i..];
            }
        }

        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(c);
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return sb.ToString();
    }

    private static Dictionary<string, string> Build()
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var root in KnowledgeFiles.Load("labels.json"))
        {
            foreach (var field in root.EnumerateObject().Where(p => !p.Name.StartsWith('_') && p.Value.ValueKind == JsonValueKind.Array))
            {
                foreach (var label in field.Value.EnumerateArray().Select(l => l.GetString()).OfType<string>())
                {
                    index[Key(label)] = field.Name;
                }
            }
        }

        return index;
    }
}
