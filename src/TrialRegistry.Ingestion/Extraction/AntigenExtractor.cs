using System.Text.RegularExpressions;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>
/// Finds the antigens a trial's CAR targets. Names (title, intervention and arm names) count any antigen
/// they mention; prose (summaries, descriptions) counts only antigens in a targeting phrase ("anti-CD70",
/// "CD7-specific", "targeting HER2", "BCMA CAR"). Eligibility text and "related trials" are never passed in.
/// </summary>
public static class AntigenExtractor
{
    private static readonly (string Spelling, AntigenDefinition Antigen)[] Spellings = AntigenVocabulary.Spellings().ToArray();

    private static readonly Dictionary<string, AntigenDefinition> SpellingIndex =
        Spellings.GroupBy(s => s.Spelling, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Antigen, StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> ExactSpellings = new(Spellings.Select(s => s.Spelling), StringComparer.Ordinal);

    private static readonly string Alternation = string.Join("|", Spellings.Select(s => Regex.Escape(s.Spelling)));

    // An antigen name standing alone: not part of a longer token (CD7 must not match CD70 or CD7a), except that
    // it may run straight into "CAR" ("CD19CAR", "CD123CAR-CD28").
    private static readonly Regex Mention = new(
        $@"(?:(?<=anti)|(?<![A-Za-z0-9.]))(?<name>{Alternation})(?:(?=CAR)|(?![A-Za-z0-9]|\.[0-9]))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    // Products named after their CD number: CART19, CART-19, CAR19, 4SCAR19, CART133 (CD19, CD133).
    private static readonly Regex NumberedProduct = new(
        @"(?<![A-Za-z0-9])(?:\d?S?CAR-?T?|UCART)-?(?<n>\d{1,3})(?![0-9])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Regex NamedProduct = new(
        $@"(?<![A-Za-z0-9])(?<name>{string.Join("|", AntigenVocabulary.Products.Select(p => Regex.Escape(p.Product)))})",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Dictionary<string, string> ProductIndex =
        AntigenVocabulary.Products.ToDictionary(p => p.Product, p => p.Symbol, StringComparer.OrdinalIgnoreCase);

    // The targeting word may precede a list: "against BCMA/CD19" targets both.
    private static readonly Regex TargetingBefore = new(
        @"(?:anti|targeting|targeted\s+(?:to|against)|directed\s+(?:to|against)|against|specific\s+(?:for|to)|redirected\s+to|recogni[sz]ing|binds?\s+to)[\s\-‐–]*(?:the\s+)?(?:[A-Za-z0-9.\-]{2,12}\s*(?:/|and|or|,)\s*)*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Regex TargetingAfter = new(
        @"^(?:\s*(?:/|and|or|,)\s*[A-Za-z0-9.\-]{2,12})*(?:[\s\-]+(?:m?RNA|armou?red|engineered|modified))?[\s\-‐–]*(?:targeted|targeting|targeting|specific|directed|redirected|CAR|CART|chimeric|bispecific|dual|tandem|UCAR|STAR|TCR)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    /// <summary>Antigens named in the given names (titles, interventions, arm labels).</summary>
    public static IEnumerable<string> FromNames(IEnumerable<string?> names) =>
        names.Where(n => n is not null).SelectMany(n => Find(n!, requireContext: false));

    /// <summary>Antigens in a targeting phrase in the given prose.</summary>
    public static IEnumerable<string> FromProse(IEnumerable<string?> texts) =>
        texts.Where(t => t is not null).SelectMany(t => Find(t!, requireContext: true));

    private static IEnumerable<string> Find(string text, bool requireContext)
    {
        var found = new List<string>();
        try
        {
            foreach (Match m in Mention.Matches(text))
            {
                var name = m.Groups["name"].Value;
                if (!SpellingIndex.TryGetValue(name, out var antigen))
                {
                    continue;
                }

                // Short all-letter names (GCC, BSG, cMet) count only when written as the vocabulary spells them.
                if (name.Length <= 4 && name.All(char.IsLetter) && !ExactSpellings.Contains(name))
                {
                    continue;
                }

                var needsContext = requireContext || AntigenVocabulary.NeedsTargetingContext.Contains(antigen.Symbol);
                if (needsContext && !InTargetingContext(text, m))
                {
                    continue;
                }

                found.Add(antigen.Symbol);
            }

            foreach (Match m in NamedProduct.Matches(text))
            {
                found.Add(ProductIndex[m.Groups["name"].Value]);
            }

            foreach (Match m in NumberedProduct.Matches(text))
            {
                if (AntigenVocabulary.Find("CD" + m.Groups["n"].Value) is { } numbered)
                {
                    found.Add(numbered.Symbol);
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // Pathological text: what was found before the time-out stands.
        }

        return found;
    }

    private static bool InTargetingContext(string text, Match m)
    {
        var beforeStart = Math.Max(0, m.Index - 40);
        var before = text[beforeStart..m.Index];
        var afterEnd = Math.Min(text.Length, m.Index + m.Length + 60);
        var after = text[(m.Index + m.Length)..afterEnd];
        return TargetingBefore.IsMatch(before) || TargetingAfter.IsMatch(after);
    }
}
