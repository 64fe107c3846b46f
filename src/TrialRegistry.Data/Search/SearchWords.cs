using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Data.Search;

/// <summary>An antigen named in the search words, as typed and as the registry's symbol.</summary>
public sealed record AntigenInWords(string Typed, string Symbol);

/// <summary>
/// What the words typed in the search box mean: registry numbers (the search is then for those trials), the words to
/// search the text for (antigen spellings such as "CD-19" or "her 2" written as the symbol the records carry), and
/// the antigens the words name (for "did you mean trials that target CD19?").
/// </summary>
public sealed partial record SearchWords(IReadOnlyList<string> RegistryIds, string? FullText, IReadOnlyList<AntigenInWords> Antigens)
{
    public static SearchWords None { get; } = new([], null, []);

    /// <summary>Whether the words are registry numbers and nothing else.</summary>
    public bool OnlyIds => RegistryIds.Count > 0 && FullText is null;

    [GeneratedRegex(@"(?<![A-Za-z])(?:nct(?=\s?\d{8})|chictr(?=-?[a-z]*-?\d)|isrctn|jrct|actrn|drks|umin|ctri(?=/))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RegistryPrefix();

    [GeneratedRegex(@"\b(?:or|and)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Joiners();

    [GeneratedRegex(@"\S+", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    private const int LongestAntigenWords = 3;

    public static SearchWords Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return None;
        }

        // Registry numbers as clinicians paste them: any case for the prefix ("nct05850234", "chictr2400081234").
        var cased = RegistryPrefix().Replace(text, m => m.Value.ToUpperInvariant() switch
        {
            "CHICTR" => "ChiCTR",
            "JRCT" => "jRCT",
            var upper => upper,
        });
        var ids = global::TrialRegistry.Ingestion.Extraction.RegistryIds.Find(cased);
        // Only numbers (with commas, spaces, "or" between them): what is left once they are read is nothing.
        if (ids.Count > 0 && global::TrialRegistry.Ingestion.Extraction.RegistryIds.Key(Joiners().Replace(cased, " ")) == string.Concat(ids.Select(i => global::TrialRegistry.Ingestion.Extraction.RegistryIds.Key(i.Id))))
        {
            return new SearchWords([.. ids.Select(i => i.Id)], null, []);
        }

        var (fullText, antigens) = ReadAntigens(text.Trim());
        return new SearchWords([], fullText, antigens);
    }

    /// <summary>
    /// The antigens the words name (runs of up to three words, longest first: "claudin 18.2", "CD 19"), and the text
    /// with each spelling variant of a symbol written as the symbol ("HER-2" → "HER2"); other names (a protein's
    /// full name, a synonym) stay as typed, since the records' text carries them too.
    /// </summary>
    private static (string FullText, IReadOnlyList<AntigenInWords> Antigens) ReadAntigens(string text)
    {
        var tokens = Token().Matches(text).ToList();
        var found = new List<AntigenInWords>();
        var replacements = new List<(int Index, int Length, string Symbol)>();
        for (var i = 0; i < tokens.Count;)
        {
            var matched = 0;
            for (var n = Math.Min(LongestAntigenWords, tokens.Count - i); n >= 1 && matched == 0; n--)
            {
                var start = tokens[i].Index;
                var end = tokens[i + n - 1].Index + tokens[i + n - 1].Length;
                var typed = text[start..end].Trim('"', '\'', ',', ';', '(', ')', '.', '?');
                if (typed.Length < 3 || !typed.Any(char.IsLetter) || AntigenVocabulary.Find(typed) is not { Ambiguous: false } antigen)
                {
                    continue;
                }

                // A bare ordinary word is not an antigen's name here unless it is written as one ("CD19", "BCMA", "mesothelin").
                if (n == 1 && !typed.Any(char.IsDigit) && !typed.All(c => char.IsUpper(c) || !char.IsLetter(c)) && typed.Length < 6)
                {
                    continue;
                }

                matched = n;
                if (found.All(f => f.Symbol != antigen.Symbol))
                {
                    found.Add(new AntigenInWords(typed, antigen.Symbol));
                }

                if (AntigenVocabulary.Normalize(typed) == AntigenVocabulary.Normalize(antigen.Symbol) && typed != antigen.Symbol)
                {
                    replacements.Add((text.IndexOf(typed, start, StringComparison.Ordinal), typed.Length, antigen.Symbol));
                }
            }

            i += Math.Max(1, matched);
        }

        var rewritten = text;
        foreach (var (index, length, symbol) in replacements.OrderByDescending(r => r.Index))
        {
            rewritten = string.Concat(rewritten.AsSpan(0, index), symbol, rewritten.AsSpan(index + length));
        }

        return (rewritten, found);
    }
}
