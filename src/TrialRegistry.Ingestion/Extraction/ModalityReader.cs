using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Knowledge;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>
/// What the trial gives its patients (<see cref="Modality"/>), whose cells they are (<see cref="ProductType"/>), and
/// which named products. The trial's names (title, interventions, arms, product fields) decide first; prose decides
/// only when the names say nothing, and then not from sentences about other trials or from therapy patients had
/// before ("after CAR T-cell therapy", "prior CAR-T"). A bispecific antibody or a conjugate is not a cell therapy;
/// a long-term follow-up of treated patients gives no cells.
/// </summary>
public static partial class ModalityReader
{
    // Each signal with a cheap gate: words at least one of its alternatives needs (case-sensitive where the pattern
    // is: "CAR" is not "carcinoma"), so that most sentences never reach the pattern.
    private static readonly (Modality Modality, Func<string, bool> Gate, Regex Pattern)[] Signals =
    [
        (Modality.CarNk, t => (C(t, "CAR") || I(t, "chimeric")) && (I(t, "nk") || I(t, "natural killer")), R(@"\b(?-i:CAR)[\s-]?NK\b|\bchimeric\s+antigen\s+receptor[\s-]+(?:\([\w\s-]+\)\s+)?(?:[\w-]+\s+){0,2}natural\s+killer|\bnatural\s+killer\s+(?:\(NK\)\s+)?cells?\b[^.]{0,80}\b(?:chimeric\s+antigen\s+receptor|(?-i:CAR))\b|\b(?-i:CAR)[\s-]?(?:engineered|modified|transduced|expressing)\s+(?:\w+\s+)?(?:NK|natural\s+killer)\b|\bNK[\s-]?(?-i:CAR)\b|\bNK\s+cells?\b[^.]{0,60}\bengineered\s+with\s+a\s+chimeric")),
        (Modality.CarM, t => I(t, "macrophage") || C(t, "CAR-M") || C(t, "CARM") || C(t, "CAR M"), R(@"\b(?-i:CAR)[\s-]?(?-i:M)\b|\b(?-i:CAR)[\s-]?macrophages?\b|\bchimeric\s+antigen\s+receptor[\s-]+(?:\w+\s+){0,2}macrophages?\b")),
        (Modality.TcrT, t => C(t, "TCR") || I(t, "receptor") || I(t, "spear") || I(t, "tresgene"), R(@"\b(?-i:TCR)[\s-]?T\b|\b(?-i:TCR)[\s-](?:engineered|transduced|modified|redirected|gene)|\b(?:engineered|transgenic|affinity[\s-]enhanced|recombinant|specific)\s+T[\s-]cell\s+receptors?\b|\bT[\s-]cell\s+receptor\s+\((?-i:TCR)\)[\s-]+(?:engineered|transduced|T[\s-]cells?|gene)|\bT[\s-]cell\s+receptor\b[^.]{0,60}\b(?:that\s+recogni[sz]es|transduced|engineered)|\b(?:transduced|engineered)\b[^.]{0,80}\bT[\s-]cell\s+receptor\b|\bSPEAR\s+T|-restricted\s+(?:T[\s-]cell\s+receptor|(?-i:TCR))|\b\w+tresgene\b")),
        (Modality.CarT, t => C(t, "CAR") || C(t, "STAR") || C(t, "CAAR") || I(t, "chimeric") || I(t, "cabtagene") || I(t, "engineered") || I(t, "modified") || I(t, "redirected") || I(t, "transduced"), R(@"\b(?-i:CAR)[\s-]?T\b|\b(?-i:CARTs?)\b|\b(?-i:CAR)\s*\+?\s*T[\s-]cells?|\b(?-i:CAR)[\s-](?:engineered|modified|transduced|expressing|redirected)\s+(?:\w+\s+)?T\b|\bchimeric\s+antigen\s+receptors?\b|\bchimeric\s+(?:T[\s-]cell\s+)?receptors?\b|\b(?-i:CARs?)\b|\b(?-i:UCART)|\b(?-i:cCAR)|\b(?-i:STAR)[\s-]T\b|\b(?-i:CAAR)[\s-]?T\b|\b\w+cabtagene\b|\b(?-i:CAR)[\s-]?(?:positive|\+)|(?-i:[A-Za-z]*CAR(?:[\s-]?(?:T\b|T-|T\d|NK|CIK)|-?\d|v\d|vac|-[A-Z]))|\bT[\s-]?(?:cells?|lymphocytes)\b[^.;]{0,40}\b(?:genetically\s+)?(?:engineered|modified|redirected|transduced)\s+to\s+(?:target|recogni[sz]e|express)|\b(?:genetically\s+)?(?:engineered|modified|redirected|transduced)\s+(?:autologous\s+|allogeneic\s+)?T[\s-]?(?:cells?|lymphocytes)\b")),
        (Modality.OtherCellTherapy, t => I(t, "infiltrating") || C(t, "TIL") || C(t, "CTL") || C(t, "CIK") || I(t, "specific") || I(t, "directed") || I(t, "reactive") || I(t, "killer") || I(t, "dendritic") || t.Contains('γ', StringComparison.Ordinal) || I(t, "gamma") || I(t, "lymphocyte") || I(t, "mesenchymal") || I(t, "adoptive") || I(t, "nk") || I(t, "natural killer") || I(t, "cell therap") || I(t, "leucel"), R(@"\btumou?r[\s-]infiltrating\s+lymphocytes?\b|\b(?-i:TILs?)\b|\b(?:virus|viral|EBV|CMV|adenovirus|BK\s+virus|multi-?virus|HPV)[\s-](?:specific|directed|reactive)\s+(?:cytotoxic\s+)?T\b|\b(?-i:CTLs?)\b|\bcytokine[\s-]induced\s+killer|\b(?-i:CIK)\b|\bdendritic\s+cells?\b|\bγδ\s*T|\bgamma[\s-]delta\s+T|\bdonor\s+lymphocyte\s+infusion|\bmesenchymal\s+(?:stem|stromal)\s+cells?|\badoptive\s+(?:cell|T[\s-]cell|NK[\s-]cell)\s+(?:therapy|transfer|immunotherapy)|\b(?:NK|natural\s+killer)\s+(?:\(NK\)\s+)?cells?\s+(?:infusion|therapy|product)|\b(?:allogeneic|autologous|expanded|activated|memory-like)\s+(?:NK|natural\s+killer)\s+cells?\b|\b(?:immune\s+)?cell\s+therap(?:y|ies)\b|\b\w+leucel\b")),
        (Modality.NotCellTherapy, t => I(t, "bispecific") || I(t, "engag") || I(t, "redirecting") || I(t, "bite") || I(t, "conjugate") || I(t, "monoclonal") || I(t, "molecule") || I(t, "mab"), R(@"\bbispecific\s+(?:antibod\w*|T[\s-]cell\s+engager)|\bT[\s-]cell[\s–-]+(?:engaging|engager|redirecting)\b|\b(?-i:BiTE)\b|\bantibody[\s–-]+drug\s+conjugate|\bmonoclonal\s+antibod|\bsmall[\s-]molecule|\b\w{3,}(?:tamab|tuzumab|ximab|zumab|umab)\b")),
    ];

    [GeneratedRegex(@"\b(?:prior|previous(?:ly)?|earlier|after|following|post|maintenance|consolidation\s+after|failed|failure\s+of|relaps\w*\s+(?:after|following)|progress\w*\s+(?:after|on)|refractory\s+to|had\s+(?:already\s+)?received|received|exposure\s+to|pretreated\s+with|in\s+current\s+practice|outside\s+the\s+protocol|including\s+in\s+patients|such\s+as)\b[^.;]{0,60}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PriorContext();

    [GeneratedRegex(@"\b(?:this|the|our)\s+(?:\w+\s+){0,4}?(?:study|trial)\b|\bphase\s*(?:[1-4]|I{1,3}V?)[ab]?(?:/\w+)?\s+(?:\w+\s+){0,3}?(?:study|trial)\s+(?:of|evaluat|to)\b|\bNCT\d{8}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex StudySentence();

    [GeneratedRegex(@"\blong[\s-]term\s+follow[\s-]?up\b|\b(?-i:LTFU)\b|\bregistry\s+study\b|\bsurvivorship\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex FollowUpOnly();

    private static readonly (ProductType Type, Regex Pattern)[] Types =
    [
        (ProductType.InVivo, R(@"\bin[\s-]vivo\s+(?:(?-i:CAR)|gene|generated|generation|engineer\w*|reprogramm\w*|transduc\w*|deliver\w*|(?-i:CAR)-?T)|\b(?:lipid\s+)?nanoparticles?\b|\b(?-i:LNP)\b|\btransducing\s+units\b|\bvector\s+genomes\b|\binside\s+the\s+(?:body|patient)\b")),
        (ProductType.Allogeneic, R(@"\ballogeneic\b(?!\s+(?:hematopoietic|haematopoietic|stem|bone\s+marrow|(?-i:HSCT|HCT|SCT)|transplant\w*|(?:cell\s+)?transplantation))|\bdonor[\s-](?:derived|sourced)\b|\boff[\s-]the[\s-]shelf\b|\bhealthy\s+(?:\w+\s+)?donors?\b|\buniversal\s+(?-i:CAR)|\b(?-i:UCART)|\bthird[\s-]party\b|\bcord[\s-]blood\b|\b(?-i:iPSC)|\binduced\s+pluripotent|\bfrom\s+(?:a|the|their)\s+(?:\w+\s+){0,3}donors?\b")),
        (ProductType.Autologous, R(@"\bautologous\b(?!\s+(?:hematopoietic|haematopoietic|stem|bone\s+marrow|(?-i:HSCT|HCT|SCT|ASCT)|transplant\w*|(?:cell\s+)?transplantation))|\b(?:patient|participant|subject)s?['’]?s?\s+own\s+(?:\w+\s+)?(?:T[\s-]cells?|cells|immune\s+cells|blood|lymphocytes)|\btheir\s+own\s+(?:\w+\s+)?(?:T[\s-]cells?|cells|blood)|\bfrom\s+(?:the\s+)?(?:patient|participant|subject)['’]?s?\b(?!\s+(?:with|who))|\bcells\s+(?:are\s+)?collected\s+from\s+(?:the\s+|each\s+)?(?:patient|participant|subject)")),
    ];

    /// <summary>The modality the names give, else the prose, else null.</summary>
    public static Modality? Read(IReadOnlyList<string?> names, IReadOnlyList<string> ownSentences, TrialContext context, StudyType? studyType)
    {
        var nameText = string.Join(" \n ", names.OfType<string>());
        if (FollowUpOnly().IsMatch(nameText) && (studyType == StudyType.Observational || !ownSentences.Any(s => Regex.IsMatch(s, @"\b(?:will\s+receive|infus(?:ion|ed)\s+(?:of|with)|are\s+infused)\b", RegexOptions.IgnoreCase, PatternLimits.MatchTimeout))))
        {
            return Modality.NotCellTherapy;
        }

        var fromNames = Decide(Count(names.OfType<string>(), context, names: true));
        if (fromNames is null)
        {
            return Decide(Count(ownSentences, context, names: false));
        }

        // Names that speak only of drugs (a co-administered antibody, a comparator) do not outweigh a sentence about
        // the study that says it gives cells ("This is a Phase I study of QN-019a (allogeneic CAR-NK cells …)").
        if (fromNames == Modality.NotCellTherapy && Decide(Count(ownSentences.Where(s => StudySentence().IsMatch(s)), context, names: false)) is { } cells and not Modality.NotCellTherapy)
        {
            return cells;
        }

        return fromNames;
    }

    private static Dictionary<Modality, int> Count(IEnumerable<string> texts, TrialContext context, bool names)
    {
        var counts = new Dictionary<Modality, int>();
        foreach (var text in texts)
        {
            // Named products say what they are.
            foreach (var product in context.ProductsIn(text))
            {
                if (names || !PriorContext().IsMatch(text[..product.Index]))
                {
                    counts[product.Modality] = counts.GetValueOrDefault(product.Modality) + 2;
                }
            }

            foreach (var (modality, gate, pattern) in Signals)
            {
                if (!gate(text))
                {
                    continue;
                }

                try
                {
                    foreach (Match m in pattern.Matches(text))
                    {
                        // "after CAR T-cell therapy", "prior CAR-T", "Golcadomide Post-CAR T": a therapy patients had, not the
                        // one this trial gives (in a name, only right before the words).
                        if (PriorContext().IsMatch(text[Math.Max(0, m.Index - (names ? 12 : 80))..m.Index]))
                        {
                            continue;
                        }

                        counts[modality] = counts.GetValueOrDefault(modality) + 1;
                    }
                }
                catch (RegexMatchTimeoutException ex)
                {
                    PatternLimits.TimedOut("modality", ex);
                }
            }
        }

        return counts;
    }

    /// <summary>The most specific cell therapy named; an antibody or small molecule only when no cells are.</summary>
    private static Modality? Decide(Dictionary<Modality, int> counts)
    {
        int C(Modality m) => counts.GetValueOrDefault(m);
        if (C(Modality.CarNk) > 0)
        {
            return Modality.CarNk;
        }

        if (C(Modality.CarM) > 0)
        {
            return Modality.CarM;
        }

        if (C(Modality.TcrT) > 0 && C(Modality.TcrT) >= C(Modality.CarT))
        {
            return Modality.TcrT;
        }

        if (C(Modality.CarT) > 0)
        {
            return Modality.CarT;
        }

        if (C(Modality.TcrT) > 0)
        {
            return Modality.TcrT;
        }

        if (C(Modality.OtherCellTherapy) > 0)
        {
            return Modality.OtherCellTherapy;
        }

        return C(Modality.NotCellTherapy) > 0 ? Modality.NotCellTherapy : null;
    }

    /// <summary>Whose cells: the names first, then the prose; the products' own type when the text says nothing.</summary>
    public static ProductType? ReadProductType(IReadOnlyList<string?> names, IReadOnlyList<string> ownSentences, IEnumerable<ProductEntry> products)
    {
        foreach (var texts in new[] { names.OfType<string>().ToList(), ownSentences.ToList() })
        {
            var hits = new List<(int Order, ProductType Type)>();
            var order = 0;
            foreach (var text in texts)
            {
                foreach (var (type, pattern) in Types)
                {
                    try
                    {
                        if (pattern.Match(text) is { Success: true } m)
                        {
                            hits.Add((order * 10_000 + m.Index, type));
                        }
                    }
                    catch (RegexMatchTimeoutException ex)
                    {
                        PatternLimits.TimedOut("productType", ex);
                    }
                }

                order++;
            }

            if (hits.Any(h => h.Type == ProductType.InVivo))
            {
                return ProductType.InVivo;
            }

            var distinct = hits.Select(h => h.Type).Distinct().ToList();
            if (distinct.Count == 1)
            {
                return distinct[0];
            }

            if (distinct.Count > 1)
            {
                // Both named (patients' own cells, donor cells after a transplant): the one named first.
                return hits.OrderBy(h => h.Order).First().Type;
            }
        }

        return products.Select(p => p.ProductType).FirstOrDefault(t => t is not null);
    }

    /// <summary>The cell products the trial gives, one entry a product, by the name the document uses.</summary>
    public static IReadOnlyList<string> ReadProducts(IEnumerable<string?> names, IEnumerable<string> ownSentences, TrialContext context)
    {
        var mentions = names.OfType<string>().SelectMany(ProductDictionary.Mentions)
            .Concat(context.OwnProducts.Count == 0 ? [] : ownSentences.SelectMany(context.ProductsIn).Where(context.IsOwnProduct))
            .Where(p => p.Modality != Modality.NotCellTherapy);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var products = new List<string>();
        foreach (var mention in mentions)
        {
            var key = mention.Product?.Name ?? mention.Written;
            if (seen.Add(key))
            {
                products.Add(TextClean.FoldOrEmpty(mention.Written));
            }
        }

        return products;
    }

    private static bool C(string text, string word) => text.Contains(word, StringComparison.Ordinal);

    private static bool I(string text, string word) => text.Contains(word, StringComparison.OrdinalIgnoreCase);

    private static Regex R(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);
}
