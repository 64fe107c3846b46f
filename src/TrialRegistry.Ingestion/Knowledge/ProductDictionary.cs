using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Knowledge;

/// <summary>A named product: what it is, what it binds, and the public page that says so.</summary>
public sealed record ProductEntry(string Name, IReadOnlyList<string> Aliases, IReadOnlyList<string> Targets, Modality Modality, ProductType? ProductType, string Source)
{
    public bool IsCellTherapy => Modality is not Modality.NotCellTherapy;
}

/// <summary>A product named in a text, where, and by which spelling.</summary>
public sealed record ProductMention(ProductEntry? Product, string Written, int Index, int Length, Modality Modality);

/// <summary>
/// Products by name (<c>Knowledge/products.json</c>): cell therapies with their targets (KYV-101 → CD19, GC012F →
/// BCMA + CD19) and the antibodies, bispecifics and conjugates that CAR-T documents mention beside them, which are
/// never a CAR's target. Names match whole tokens, with or without their hyphen ("KYV-101", "KYV101"). Beyond the
/// dictionary, the WHO INN stems say what an unlisted product is: <c>-cabtagene</c> a CAR-T, <c>-tresgene</c> a
/// TCR-T, <c>-leucel</c> a cell therapy.
/// </summary>
public static class ProductDictionary
{
    private sealed record Entry(string Name, List<string>? Aliases, List<string>? Targets, string Modality, string? ProductType, string? Source);

    public static readonly IReadOnlyList<ProductEntry> All = KnowledgeFiles.Entries<Entry>("products.json")
        .Select(e => new ProductEntry(
            e.Name,
            e.Aliases ?? [],
            (e.Targets ?? []).Select(t => AntigenVocabulary.Find(t)?.Symbol ?? t).ToList(),
            VocabularyNames.Parse<Modality>(e.Modality) ?? throw new InvalidDataException($"products.json: {e.Name} has an unknown modality '{e.Modality}'"),
            VocabularyNames.Parse<ProductType>(e.ProductType),
            e.Source ?? string.Empty))
        .ToList();

    private static readonly Dictionary<string, ProductEntry> ByKey = BuildIndex();

    // Every name and alias, whatever separates its words ("KYV-101" = "KYV101"); then the INN stems.
    private static readonly PhraseIndex<ProductEntry> Names = BuildPhrases();

    private static readonly Regex Inn = new(
        @"(?<![A-Za-z0-9])(?:[a-z]{3,}cabtagene(?:\s+[a-z]+leucel)?|[a-z]{3,}tresgene(?:\s+[a-z]+leucel)?|[a-z]{4,}(?<!auto|cilo|mara|vic|zapre|anseged)leucel)(?![A-Za-z0-9])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static PhraseIndex<ProductEntry> BuildPhrases()
    {
        var index = new PhraseIndex<ProductEntry>();
        foreach (var product in All)
        {
            foreach (var name in product.Aliases.Prepend(product.Name).Where(n => n.Length >= 3))
            {
                index.Add(name, product);
            }
        }

        return index;
    }

    public static ProductEntry? Find(string name) => ByKey.GetValueOrDefault(Key(name));

    /// <summary>Every product named in the text, in order.</summary>
    public static IReadOnlyList<ProductMention> Mentions(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var found = Names.Find(text).Select(h => new ProductMention(h.Value, text.Substring(h.Index, h.Length), h.Index, h.Length, h.Value.Modality)).ToList();
        try
        {
            // The stems' pattern only where a stem is (most texts name no INN).
            var stems = text.Contains("cabtagene", StringComparison.OrdinalIgnoreCase) || text.Contains("tresgene", StringComparison.OrdinalIgnoreCase) || text.Contains("leucel", StringComparison.OrdinalIgnoreCase);
            foreach (Match m in stems ? Inn.Matches(text) : Inn.Matches(string.Empty))
            {
                if (found.Any(f => f.Index <= m.Index && m.Index < f.Index + f.Length))
                {
                    continue;
                }

                // An INN the dictionary lacks: its first word may still be a listed product ("axicabtagene").
                var first = m.Value.Split(' ')[0];
                if (Find(first) is { } known)
                {
                    found.Add(new ProductMention(known, m.Value, m.Index, m.Length, known.Modality));
                    continue;
                }

                var modality = m.Value.Contains("cabtagene", StringComparison.OrdinalIgnoreCase) ? Modality.CarT
                    : m.Value.Contains("tresgene", StringComparison.OrdinalIgnoreCase) ? Modality.TcrT
                    : Modality.OtherCellTherapy;
                found.Add(new ProductMention(null, m.Value, m.Index, m.Length, modality));
            }
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("products", ex);
        }

        return found.OrderBy(f => f.Index).ToList();
    }

    private static string Key(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());

    private static Dictionary<string, ProductEntry> BuildIndex()
    {
        var index = new Dictionary<string, ProductEntry>(StringComparer.Ordinal);
        foreach (var product in All)
        {
            foreach (var name in product.Aliases.Prepend(product.Name))
            {
                index.TryAdd(Key(name), product);
                // An INN is often written by its first word alone ("axicabtagene", "ciltacabtagene").
                if (name.Contains(' ', StringComparison.Ordinal) && name.Split(' ')[0] is { Length: > 6 } head &&
                    (head.EndsWith("cabtagene", StringComparison.OrdinalIgnoreCase) || head.EndsWith("tresgene", StringComparison.OrdinalIgnoreCase)))
                {
                    index.TryAdd(Key(head), product);
                }
            }
        }

        return index;
    }
}
