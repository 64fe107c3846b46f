using System.Text.RegularExpressions;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>A registry number found in a text: the number as the registry writes it, its registry, and where.</summary>
public sealed record RegistryIdMention(string Id, string Registry, int Index);

/// <summary>
/// Trial registration numbers of the registries that hold CAR-T trials: ClinicalTrials.gov (NCT), ChiCTR, EudraCT,
/// EU CT (CTIS), ISRCTN, jRCT, CTRI, ANZCTR (ACTRN), DRKS, Korea's CRIS (KCT), UMIN, the Netherlands (NL/NTR),
/// Iran (IRCT), Thailand (TCTR) and Brazil (RBR). Numbers are written back in the registry's own form
/// ("ISRCTN 83343031" → "ISRCTN83343031").
/// </summary>
public static partial class RegistryIds
{
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:(?<nct>NCT\s?\d{8})|(?<chictr>ChiCTR(?:-[A-Z]{2,4}(?:-[A-Z]{2,4})?-?)?\d{6,10}(?:-\d{1,3})?)|(?<euct>20\d{2}-5\d{5}-\d{2}-\d{2})|(?<eudract>(?:19|20)\d{2}-\d{6}-\d{2})|(?<isrctn>ISRCTN\s?\d{8})|(?<jrct>jRCT[a-z]?\d{9,10})|(?<ctri>CTRI/\d{4}/\d{2,3}/\d{5,6})|(?<actrn>ACTRN\s?\d{14})|(?<drks>DRKS\s?\d{8})|(?<kct>KCT\d{7})|(?<umin>UMIN\d{9})|(?<ntr>NL-?OMON\d+|NTR\d{4,5}|NL\d{4,5})|(?<irct>IRCT\d{8,14}N\d{1,3})|(?<tctr>TCTR\d{11})|(?<rbr>RBR-\d?[a-z0-9]{6,8}))(?![A-Za-z0-9]|-\d)", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Pattern();

    private static readonly string[] Registries = ["nct", "chictr", "euct", "eudract", "isrctn", "jrct", "ctri", "actrn", "drks", "kct", "umin", "ntr", "irct", "tctr", "rbr"];

    /// <summary>Every registry number in the text, in order, each once.</summary>
    public static IReadOnlyList<RegistryIdMention> Find(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var found = new List<RegistryIdMention>();
        try
        {
            foreach (Match m in Pattern().Matches(text))
            {
                var registry = Registries.First(r => m.Groups[r].Success);
                var id = registry is "nct" or "isrctn" or "actrn" or "drks" ? m.Value.Replace(" ", string.Empty, StringComparison.Ordinal) : m.Value;
                if (registry == "nct")
                {
                    id = id.ToUpperInvariant();
                }

                if (found.All(f => Key(f.Id) != Key(id)))
                {
                    found.Add(new RegistryIdMention(id, registry, m.Index));
                }
            }
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("registryId", ex);
        }

        return found;
    }

    /// <summary>Whether the text is one registry number and nothing else.</summary>
    public static bool IsId(string? text) =>
        text is not null && Find(text) is [var only] && only.Id.Length >= text.Trim().Length - 1;

    /// <summary>A number reduced for comparison: letters and digits, upper case.</summary>
    public static string Key(string id) => new(id.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
}
