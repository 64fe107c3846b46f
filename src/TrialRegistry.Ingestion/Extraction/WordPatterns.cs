using System.Text.RegularExpressions;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>How the knowledge files' lists of word patterns become one regular expression.</summary>
internal static class WordPatterns
{
    /// <summary>
    /// One alternation of whole-word patterns. An abbreviation written in capitals ("ALL", "SLE", "ITP") matches only in
    /// capitals, so the word "all" or "itp" in a name is not one; other patterns match in any case.
    /// </summary>
    public static Regex Build(IEnumerable<string> patterns)
    {
        var parts = patterns.Select(p => Regex.IsMatch(p, "^[A-Z0-9-]{2,8}$") ? $"(?-i:{p})" : p);
        return new Regex(@"(?<!\w)(?:" + string.Join("|", parts) + @")(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);
    }
}
