using System.Text.RegularExpressions;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>A CAR target antigen: its canonical symbol, a display name, and the names it goes by.</summary>
public sealed record AntigenDefinition(string Symbol, string Name, IReadOnlyList<string> Synonyms);

/// <summary>
/// The CAR-T target antigens the registry knows, with their synonyms (HGNC symbols where one exists, the
/// community name otherwise). Costimulatory and signalling domains (CD28, 4-1BB/CD137, CD3ζ) are deliberately
/// absent: they are parts of the construct, not targets.
/// </summary>
public static class AntigenVocabulary
{
    public static readonly IReadOnlyList<AntigenDefinition> All =
    [
        new("CD19", "CD19", []),
        new("CD20", "CD20", ["MS4A1"]),
        new("CD22", "CD22", ["SIGLEC2"]),
        new("CD7", "CD7", []),
        new("CD5", "CD5", []),
        new("CD70", "CD70", ["CD27L", "TNFSF7"]),
        new("CD30", "CD30", ["TNFRSF8"]),
        new("CD33", "CD33", ["SIGLEC3"]),
        new("CD38", "CD38", []),
        new("CD123", "CD123", ["IL3RA", "IL-3RA", "IL-3Rα", "IL3Rα"]),
        new("CD138", "CD138", ["SDC1", "syndecan-1"]),
        new("CD171", "CD171", ["L1CAM", "L1-CAM"]),
        new("BCMA", "B-cell maturation antigen", ["TNFRSF17", "B cell maturation antigen", "B-cell maturation antigen", "CD269"]),
        new("GPRC5D", "GPRC5D", []),
        new("SLAMF7", "SLAMF7", ["CS1", "CD319"]),
        new("HER2", "HER2", ["ERBB2", "HER-2", "HER2/neu", "HER-2/neu", "neu"]),
        new("EGFR", "EGFR", ["HER1", "ERBB1"]),
        new("EGFRvIII", "EGFR variant III", ["EGFR vIII", "EGFR-vIII", "EGFRviii"]),
        new("GPC3", "Glypican-3", ["glypican-3", "glypican 3", "GPC-3"]),
        new("MSLN", "Mesothelin", ["mesothelin"]),
        new("CLDN18.2", "Claudin 18.2", ["Claudin 18.2", "Claudin18.2", "Claudin-18.2", "CLDN 18.2", "CLDN18A2", "Claudin 18 isoform 2"]),
        new("CLDN6", "Claudin 6", ["Claudin 6", "Claudin-6", "Claudin6"]),
        new("GD2", "GD2", ["disialoganglioside GD2"]),
        new("B7-H3", "B7-H3", ["B7H3", "CD276"]),
        new("PSMA", "PSMA", ["FOLH1", "prostate-specific membrane antigen", "prostate specific membrane antigen"]),
        new("PSCA", "PSCA", ["prostate stem cell antigen"]),
        new("CEA", "CEA", ["CEACAM5", "carcinoembryonic antigen"]),
        new("MUC1", "MUC1", ["MUC-1", "CD227"]),
        new("MUC16", "MUC16", ["CA125", "CA-125"]),
        new("ROR1", "ROR1", []),
        new("ROR2", "ROR2", []),
        new("CLL1", "CLL1", ["CLL-1", "CLEC12A"]),
        new("NKG2D-L", "NKG2D ligands", ["NKG2D", "NKG2D ligand", "NKG2D ligands", "NKG2DL"]),
        new("IL13RA2", "IL13Rα2", ["IL13Rα2", "IL-13Rα2", "IL13RA2", "IL-13Ra2", "IL13Ra2", "IL13R alpha2", "IL-13R alpha 2"]),
        new("EPCAM", "EpCAM", ["EpCAM", "CD326"]),
        new("DLL3", "DLL3", []),
        new("FAP", "Fibroblast activation protein", ["fibroblast activation protein"]),
        new("MET", "c-Met", ["c-Met", "cMet", "HGFR"]),
        new("TROP2", "TROP2", ["TROP-2", "TACSTD2"]),
        new("GUCY2C", "GUCY2C", ["GCC", "guanylyl cyclase C"]),
        new("CDH17", "CDH17", ["cadherin 17", "cadherin-17"]),
        new("NECTIN4", "Nectin-4", ["Nectin-4", "Nectin4"]),
        new("AXL", "AXL", []),
        new("CD147", "CD147", ["BSG", "basigin", "EMMPRIN"]),
        new("LeY", "Lewis Y", ["Lewis Y", "Lewis-Y", "LeY"]),
        new("CD44V6", "CD44v6", ["CD44v6"]),
        new("KAPPA", "Kappa light chain", ["kappa light chain", "Igκ"]),
        new("FRA", "Folate receptor alpha", ["folate receptor alpha", "FRα", "FOLR1"]),
        new("TSHR", "TSHR", []),
        new("CD10", "CD10", []),
        new("CD1A", "CD1a", ["CD1a"]),
        new("CD4", "CD4", []),
        new("CD79B", "CD79b", ["CD79b"]),
        new("TAG72", "TAG-72", ["TAG-72"]),
        new("HLA-G", "HLA-G", []),
        new("LMP1", "LMP1", []),
        new("EBV", "EBV antigens", []),
        new("FLT3", "FLT3", ["CD135"]),
        new("CD133", "CD133", ["PROM1", "prominin-1"]),
        new("GPNMB", "GPNMB", ["glycoprotein NMB"]),
        new("NY-ESO-1", "NY-ESO-1", ["CTAG1B", "NYESO1", "NY ESO 1"]),
        new("CD371", "CD371", ["CLEC12A"]),
    ];

    /// <summary>
    /// CAR-T products whose name says nothing of their target, with the antigen they target (public product facts):
    /// generic names, company codes and the usual short forms.
    /// </summary>
    public static readonly IReadOnlyList<(string Product, string Symbol)> Products =
    [
        ("tisagenlecleucel", "CD19"), ("tisa-cel", "CD19"), ("CTL019", "CD19"), ("Kymriah", "CD19"),
        ("axicabtagene", "CD19"), ("axi-cel", "CD19"), ("KTE-C19", "CD19"), ("Yescarta", "CD19"),
        ("brexucabtagene", "CD19"), ("brexu-cel", "CD19"), ("KTE-X19", "CD19"), ("Tecartus", "CD19"),
        ("lisocabtagene", "CD19"), ("liso-cel", "CD19"), ("JCAR017", "CD19"), ("Breyanzi", "CD19"),
        ("obecabtagene", "CD19"), ("obe-cel", "CD19"), ("relmacabtagene", "CD19"), ("relma-cel", "CD19"), ("JWCAR029", "CD19"),
        ("UCART19", "CD19"), ("IM19", "CD19"), ("GC007F", "CD19"), ("rapcabtagene", "CD19"), ("YTB323", "CD19"), ("JCAR014", "CD19"), ("JCAR015", "CD19"),
        ("idecabtagene", "BCMA"), ("ide-cel", "BCMA"), ("bb2121", "BCMA"), ("bb21217", "BCMA"), ("Abecma", "BCMA"),
        ("ciltacabtagene", "BCMA"), ("cilta-cel", "BCMA"), ("LCAR-B38M", "BCMA"), ("JNJ-68284528", "BCMA"), ("Carvykti", "BCMA"),
        ("equecabtagene", "BCMA"), ("eque-cel", "BCMA"), ("CT103A", "BCMA"), ("zevorcabtagene", "BCMA"), ("zevor-cel", "BCMA"), ("CT053", "BCMA"),
        ("anitocabtagene", "BCMA"), ("KITE-585", "BCMA"), ("anito-cel", "BCMA"), ("CART-BCMA", "BCMA"),
        ("MB-102", "CD123"), ("NKR-2", "NKG2D-L"), ("CART-meso", "MSLN"), ("meso-CAR", "MSLN"), ("CT041", "CLDN18.2"), ("satricabtagene", "CLDN18.2"), ("satri-cel", "CLDN18.2"),
    ];

    private static readonly Dictionary<string, AntigenDefinition> BySymbol =
        All.ToDictionary(a => a.Symbol, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, AntigenDefinition> ByAnyName = BuildNameIndex();

    /// <summary>Antigens whose bare mention is too ambiguous to count outside an explicit targeting phrase.</summary>
    internal static readonly HashSet<string> NeedsTargetingContext = new(StringComparer.OrdinalIgnoreCase)
    {
        "CD4", "EBV", "KAPPA", "CD10", "EGFR", "CEA", "MET", "AXL", "FAP", "TSHR",
    };

    public static AntigenDefinition? Find(string symbolOrSynonym)
    {
        var key = symbolOrSynonym.Trim();
        return BySymbol.TryGetValue(key, out var def) || ByAnyName.TryGetValue(Normalize(key), out def) ? def : null;
    }

    /// <summary>Every spelling of every antigen, longest first, as one alternation for the extractor.</summary>
    internal static IEnumerable<(string Spelling, AntigenDefinition Antigen)> Spellings() =>
        All.SelectMany(a => a.Synonyms.Append(a.Symbol).Distinct(StringComparer.OrdinalIgnoreCase)
                .Where(s => !(s.Equals("neu", StringComparison.OrdinalIgnoreCase)))
                .Select(s => (s, a)))
            .OrderByDescending(p => p.Item1.Length);

    /// <summary>A name reduced for comparison: upper case, without spaces, dashes, slashes or underscores (her-2 = HER2).</summary>
    public static string Normalize(string name) =>
        Regex.Replace(name.ToUpperInvariant(), @"[\s\-_/]", string.Empty, RegexOptions.None, TimeSpan.FromMilliseconds(100));

    private static Dictionary<string, AntigenDefinition> BuildNameIndex()
    {
        var index = new Dictionary<string, AntigenDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in All)
        {
            foreach (var name in a.Synonyms.Append(a.Symbol).Append(a.Name))
            {
                index.TryAdd(Normalize(name), a);
            }
        }

        return index;
    }
}
