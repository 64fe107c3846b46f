using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// A text page read as headed sections: a line that is exactly one of the known headings opens a section, and
/// the non-empty lines up to the next heading are its content. Used by the page-like formats.
/// </summary>
internal sealed class LabelledLines
{
    private readonly List<(string Heading, List<string> Lines)> _sections = [];

    public LabelledLines(string text, IReadOnlySet<string> headings, Func<string, string?>? headingOf = null)
    {
        var preamble = new List<string>();
        _sections.Add((string.Empty, preamble));
        foreach (var line in TextClean.Lines(text))
        {
            var trimmed = line.Trim();
            var heading = headingOf?.Invoke(trimmed) ?? (headings.Contains(trimmed) ? trimmed : null);
            if (heading is not null)
            {
                _sections.Add((heading, []));
                continue;
            }

            if (trimmed.Length > 0)
            {
                _sections[^1].Lines.Add(line);
            }
        }
    }

    public IReadOnlyList<string> Preamble => _sections[0].Lines;

    /// <summary>The content lines of the first section with this heading (empty when absent).</summary>
    public IReadOnlyList<string> this[string heading] =>
        _sections.FirstOrDefault(s => string.Equals(s.Heading, heading, StringComparison.OrdinalIgnoreCase)).Lines ?? [];

    public bool Has(string heading) => _sections.Any(s => string.Equals(s.Heading, heading, StringComparison.OrdinalIgnoreCase));

    /// <summary>The first content line of a section, or null.</summary>
    public string? Value(string heading) => this[heading] is [var first, ..] ? TextClean.Fold(first) : null;

    public int HeadingCount => _sections.Count - 1;
}
