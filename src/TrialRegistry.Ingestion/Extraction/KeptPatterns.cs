using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>
/// The one-off patterns of a reader, each built and compiled once for the process. The static <see cref="Regex"/>
/// methods keep only the last 15 patterns used, so a reader with more than that (the eligibility checks have some
/// sixty) parsed each pattern again on every call; with these it is parsed once. The same signatures as
/// <see cref="Regex"/>'s, so a call reads the same.
/// </summary>
internal static class KeptPatterns
{
    private static readonly ConcurrentDictionary<(string Pattern, RegexOptions Options, TimeSpan Timeout), Regex> Kept = new();

    private static Regex Of(string pattern, RegexOptions options, TimeSpan timeout) =>
        Kept.GetOrAdd((pattern, options, timeout), key => new Regex(key.Pattern, key.Options | RegexOptions.Compiled, key.Timeout));

    public static bool IsMatch(string input, string pattern, RegexOptions options, TimeSpan timeout) => Of(pattern, options, timeout).IsMatch(input);

    public static Match Match(string input, string pattern, RegexOptions options, TimeSpan timeout) => Of(pattern, options, timeout).Match(input);

    public static MatchCollection Matches(string input, string pattern, RegexOptions options, TimeSpan timeout) => Of(pattern, options, timeout).Matches(input);

    public static string Replace(string input, string pattern, string replacement, RegexOptions options, TimeSpan timeout) => Of(pattern, options, timeout).Replace(input, replacement);
}
