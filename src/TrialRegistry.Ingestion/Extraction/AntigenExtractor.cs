using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Knowledge;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>What an antigen named in a text is to the trial.</summary>
public enum AntigenRole
{
    /// <summary>What this trial's CAR or TCR targets ("anti-CD22 CAR", "GPRC5D-targeted CAR T cells", "a CAR that recognises CD19").</summary>
    Target,

    /// <summary>A marker or safety switch built into the cells ("truncated EGFR", "CD20 mimotope"), or a cell subset ("CD4+ and CD8+ T cells", "EBV-specific CTLs").</summary>
    Marker,

    /// <summary>Antigen expression as an eligibility biomarker or a disease's feature ("HER2-positive", "CD19-negative relapse", "whose cells express CD22").</summary>
    Expression,

    /// <summary>The target of an antibody, bispecific or conjugate given or mentioned beside the cells ("rituximab, an antibody against CD20", "anti-CD38 monoclonal antibody").</summary>
    DrugTarget,

    /// <summary>A therapy patients had before ("prior BCMA-directed therapy", "after CD19 CAR T cells").</summary>
    PriorTherapy,

    /// <summary>A sentence about another trial, product or the field.</summary>
    Background,

    /// <summary>Named without anything saying what it is to the trial.</summary>
    Other,
}

/// <summary>
/// An antigen named in a text, where, and its role; <paramref name="Positive"/> marks an expression the text says is
/// there ("CD19-positive", "CD19+ leukaemia", "tumours expressing GPC3"), as against its absence or loss.
/// </summary>
public sealed record AntigenMention(string Symbol, string Written, int Index, AntigenRole Role, bool Positive = false);

/// <summary>
/// Finds the antigens a text names and decides, from the words around each, what it is to the trial
/// (<see cref="AntigenRole"/>); only <see cref="AntigenRole.Target"/> mentions become target antigens. Spellings
/// come from the antigen vocabulary, including combinations ("CD19/20", "CD19-BCMA", "CD19×BCMA",
/// "P-CD19CD20-ALLO1", "CAR-20/19-T", "CART19"), and named products from the product dictionary ("KYV-101" → CD19).
/// </summary>
public static partial class AntigenExtractor
{
    private static readonly (string Spelling, AntigenDefinition Antigen)[] Spellings = AntigenVocabulary.Spellings().ToArray();

    // Every spelling, looked up by its words whatever separates them ("HER-2" = "HER2", "CLDN18.2"); short all-letter
    // names (GCC, BSG, LeY, cMet) only as the vocabulary writes them. A name is a whole token: CD7 is not CD70 or CD7a,
    // and CD19t is a marker; tokens that run names together are split where a capital follows a digit or "anti"
    // ("CD19CAR", "CD19CD20", "antiCD19").
    private static readonly PhraseIndex<AntigenDefinition> Names = BuildNames();

    private static PhraseIndex<AntigenDefinition> BuildNames()
    {
        var index = new PhraseIndex<AntigenDefinition>();
        foreach (var (spelling, antigen) in Spellings)
        {
            index.Add(spelling, antigen, matchCase: spelling.Length <= 4 && spelling.All(char.IsLetter));
        }

        return index;
    }

    /// <summary>The antigen names in a sentence: whole tokens first, then the parts of tokens that run names together.</summary>
    private static IEnumerable<(AntigenDefinition Antigen, int Index, int Length)> FindNames(string sentence)
    {
        var hits = Names.Find(sentence);
        foreach (var hit in hits)
        {
            yield return (hit.Value, hit.Index, hit.Length);
        }

        // Tokens no name covered, split where a capital follows a digit ("CD19CAR", "CD19CD20") or "anti" ("antiCD19"),
        // and before a CD number that follows letters ("TmCD19", "UCD19").
        var i = 0;
        while (i < sentence.Length)
        {
            while (i < sentence.Length && !char.IsLetterOrDigit(sentence[i]))
            {
                i++;
            }

            var start = i;
            while (i < sentence.Length && char.IsLetterOrDigit(sentence[i]))
            {
                i++;
            }

            if (i - start < 5 || hits.Any(h => h.Index <= start && start < h.Index + h.Length))
            {
                continue;
            }

            var piece = start;
            for (var k = start + 1; k <= i; k++)
            {
                var cut = k == i
                    || (char.IsUpper(sentence[k]) && (char.IsDigit(sentence[k - 1]) || sentence.AsSpan(piece, k - piece).Equals("anti", StringComparison.OrdinalIgnoreCase)))
                    || (k + 2 < i && sentence[k] == 'C' && sentence[k + 1] == 'D' && char.IsDigit(sentence[k + 2]) && char.IsLetter(sentence[k - 1]));
                if (!cut)
                {
                    continue;
                }

                if (piece > start || k < i)
                {
                    if (Names.TryGet(sentence[piece..k], out var antigen))
                    {
                        yield return (antigen, piece, k - piece);
                    }
                }

                piece = k;
            }
        }
    }

    // "CD19/20", "CD19-22", "CD20 and 19", "CD19/79b": the second number is a CD antigen too.
    [GeneratedRegex(@"\bCD(?<a>\d{1,3})\s*(?:/|-|&|\+|\s(?:and|or)\s)\s*(?<b>\d{1,3}(?-i:[a-z])?)(?![\d.]|\s*(?:%|mg|kg|days?|years?|months?|weeks?|x|×|patients|cells))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex CdPair();

    // Products named after their CD numbers: CART19, CART-19, CAR19, 4SCAR19, CAR-20/19-T, UCART22.
    [GeneratedRegex(@"(?<![A-Za-z0-9]|[A-Za-z0-9]-)(?:[A-Za-z]{0,6}\d?S?(?-i:CAR)[-.]?T?|(?-i:UCART|CART))[-.]?(?<n>\d{1,3})(?:[./](?<m>\d{1,3}))?(?:[./](?<k>\d{1,3}))?(?![0-9]|-\d|-?1BB)|(?<![A-Za-z0-9.])(?<n>\d{2,3})-?(?:28|BB|41BB)[zζ](?![A-Za-z0-9])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NumberedProduct();

    /// <summary>Words <see cref="NumberedProduct"/> needs: "CAR" as written (CART, UCART, 4SCAR), or a 28z/BBz construct.</summary>
    private static bool MayNameNumberedProduct(string text) =>
        text.Contains("CAR", StringComparison.Ordinal) || text.Contains("28z", StringComparison.OrdinalIgnoreCase) || text.Contains("BBz", StringComparison.OrdinalIgnoreCase)
        || text.Contains("28ζ", StringComparison.OrdinalIgnoreCase) || text.Contains("BBζ", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\b(?:truncated|trunc\.?|tagged|tag|marker|markers|safety\s+switch|suicide(?:\s+(?:gene|switch))?|mimotopes?|epitopes?|tracking|selection|kill\s+switch|RQR8|elimination\s+gene|off[-\s]switch)\b[^.;]{0,25}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex MarkerBefore();

    [GeneratedRegex(@"^(?:(?-i:-?t)\b|\)?\s*(?:mimotopes?|epitopes?|tag|marker|safety\s+switch|suicide\s+(?:gene|switch)))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex MarkerAfter();

    // "CD4+ and CD8+ T cells", "CD8+ T cells", "CD7-negative CD4+ T cells", "EBV-specific CTLs".
    [GeneratedRegex(@"^\s*(?:\+|[-‐\s]?(?:positive|negative|pos|neg))\s*(?:(?:and|or|/|,)\s*CD\d{1,3}\s*\+?\s*)*(?:CAR\s*\+?\s*)?(?:(?:naive|memory|regulatory|central|effector|stem|T|B|NK|plasma|myeloid)[\s-]*)*(?:T[\s-]?cells?|cells?|lymphocytes?|blasts|subsets?|components?|fractions?|populations?)\b|^\s*[-‐\s]?(?:specific|restricted)\s+(?:cytotoxic\s+)?(?:T[\s-]?(?:cells?|lymphocytes?)|CTLs?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex CellSubsetAfter();

    [GeneratedRegex(@"^\s*(?:\+(?!\s*(?:anti-?)?CD\d)|[-‐\s]?(?:positive|negative|pos\b|neg\b|dim\b|bright\b|high\b|low\b|null\b|expressing|expressed|expression|overexpress\w*|status|IHC|immunohistochem\w*|amplif\w*|mutat\w*|mutant|levels?|staining|loss|escape|antigen\s+(?:loss|escape|expression))|\s+(?:is|was|are)\s+(?:expressed|detected|found|present|over-?expressed)|\s+(?:on|of)\s+(?:the\s+)?(?:tumou?r|leuk(?:a)?emi|lymphoma|myeloma|blast|malignant|cancer)\w*\s+cells)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ExpressionAfter();

    [GeneratedRegex(@"\b(?:express(?:es|ing|ion\s+of)?|over-?express\w*|positive\s+for|negative\s+for|loss\s+of|levels?\s+of|detect\w*|staining\s+for|carry|carries)\s+(?:(?:surface|the|membrane|high|low)\s+){0,2}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ExpressionBefore();

    [GeneratedRegex(@"^[\s\w/×x\-‐–]{0,25}?\b(?:monoclonal\s+)?(?:antibod(?:y|ies)|mAbs?|(?<!CAR\s)bispecific(?!\s+(?:CAR|chimeric))(?:\s+(?:antibod\w*|T[\s-]cell\s+engager))?|T[\s-]cell[\s-–]+engag(?:er|ing)|BiTE|antibody[\s-–]+drug\s+conjugates?|ADCs?|inhibitors?|immunotoxin)\b|^\s*[x×/]\s*CD3\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex DrugAfter();

    // The antigen is there: "CD19+", "CD19-positive", "GPC3 expressing", "BCMA is expressed", "CD7 on the blasts";
    // "CD19-", "-negative", "low", "loss", "status" and "mutation" do not say so.
    [GeneratedRegex(@"^\s*(?:\+(?![\w+])|\+\s*(?!T[\s-]?cells?|cells?|lymphocytes?)[A-Za-z(]|[-‐\s]?(?:positive|pos\b|expressing|expressed|over-?express\w*|high\b|bright\b|amplified)|\s+(?:is|was|are)\s+(?:(?:highly|strongly|over-?)\s*)?(?:expressed|detected|present)|\s+(?:on|of)\s+(?:the\s+)?(?:tumou?r|leuk(?:a)?emi|lymphoma|myeloma|blast|malignant|cancer)\w*\s+cells)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PresentAfter();

    [GeneratedRegex(@"\b(?:express(?:es|ing|ion\s+of)?|over-?express\w*|positive\s+for|carry|carries|positive|high|strong)\s+(?:(?:surface|the|membrane|high)\s+){0,2}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PresentBefore();

    [GeneratedRegex(@"^\s*(?:[-‐–](?=\s|$|[,;/)])|[-‐\s]?(?:negative|neg\b|dim\b|low\b|null\b|loss|escape|deficient))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AbsentAfter();

    [GeneratedRegex(@"\b(?:negative\s+for|loss\s+of|lack\w*|without)\s+(?:\w+\s+)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AbsentBefore();

    private static bool IsAbsent(string sentence, int index, int length) =>
        AbsentAfter().IsMatch(sentence.AsSpan(index + length, Math.Min(sentence.Length - index - length, 40)))
        || AbsentBefore().IsMatch(sentence.AsSpan(Math.Max(0, index - 30), Math.Min(index, 30)));

    private static bool IsPresent(string sentence, int index, int length)
    {
        var before = sentence[Math.Max(0, index - 50)..index];
        var after = sentence[(index + length)..Math.Min(sentence.Length, index + length + 60)];
        return PresentAfter().IsMatch(after) || PresentBefore().IsMatch(before);
    }

    [GeneratedRegex(@"\b(?:antibod(?:y|ies)|mAbs?|bispecifics?|engagers?|conjugates?|ADCs?|drugs?|inhibitors?)\s+(?:that\s+)?(?:against|targeting|targets|directed\s+(?:against|at|to)|to|binding|binds|which\s+(?:targets|binds))\s+(?:(?:the|a|an|B-cell|protein|surface|antigen|marker|different|another|B[\s-]cell\s+marker|B[\s-]cell\s+protein)[\s,]+){0,4}$|\b\w+(?:mab|cept|ximab|zumab|tamab)\s*\((?:anti-?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex DrugBefore();

    [GeneratedRegex(@"\b(?:prior|previous(?:ly)?|earlier|after|following|relaps\w*\s+(?:after|following|on)|progress\w*\s+(?:after|on|following)|refractory\s+to|failed|failure\s+of|exposure\s+to|exposed\s+to|received|treated\s+with|pretreated\s+with|had\s+(?:already\s+)?(?:received|had))\s+(?:(?:any|an?|the|one|or\s+more)\s+)*(?:[\w/]+[\s-]+){0,1}(?:anti-?)?$|\bpost[-\s](?:anti-?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PriorBefore();

    [GeneratedRegex(@"(?:\banti|(?-i:CAR)[\s-]|\btarget(?:s|ing|ed)?(?:\s+(?:to|against|at))?|\bdirected\s+(?:to|against|at)|\bagainst|\bspecific\s+(?:for|to)|\bredirected\s+(?:to|against)|\brecogni[sz](?:ing|es|e)|\bbinds?(?:\s+to)?|\bbinding(?:\s+to)?|\baimed\s+at|\baims?\s+at|\bfinds|\bgoes\s+after|\bengag(?:es|ing)|\btowards?)[\s\-‐–]*(?:the\s+)?(?:(?:human|humani[sz]ed|fully\s+human|murine|a\s+peptide\s+of|an?\s+epitope\s+(?:of|on)|membrane[\s-]proximal|disialoganglioside|both|two\s+antigens?,?|dual|B[\s-]?cell|T[\s-]?cell|specific|surface|antigen|protein|tumou?r[\s-]associated|tumou?r|lineage|marker|molecule|target)\s+){0,5}(?:[\w.\-]{2,14}(?:\s*[/,+×]\s*|\s+(?:and|or|x)\s+))*\(?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex TargetingBefore();

    [GeneratedRegex(@"^\)?(?:(?:\s*[/,+×&-]\s*|\s+(?:and|or|x)\s+)[\w.\-]{2,14})*\)?(?:[\s\-‐–.]+(?:m?RNA|armou?red|engineered|modified|compound|dual|tandem|bi-?specific|humani[sz]ed|fully\s+human|second[\s-]generation|third[\s-]generation|TRuC|autologous|allogeneic|donor[\s-]derived|universal|CD28|4-1BB|BB?z(?:eta)?|28z(?:eta)?|z(?:eta)?|\.CAR/\w+))*[\s\-‐–.]*(?:target(?:ed|ing)?\b|specific|directed|redirected|(?-i:CAR)s?\b|(?-i:CAR)[\s-]?T|(?-i:CART)|(?-i:CAR)[\s-]?NK|cart\s+cells|(?-i:cCAR)|(?-i:UCART)|(?-i:STAR)|(?-i:CAAR)|chimeric|(?-i:TCR)|T[\s-]cell\s+receptor|T[\s-]?cells?\b|cell\s+therap)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex TargetingAfter();

    [GeneratedRegex(@"^\)?[\s\-‐–.]*(?:(?-i:CAR)s?\b|(?-i:CAR)[\s-]?(?:T|NK|M)\b|(?-i:CART)|chimeric\s+antigen|(?-i:TCR)\b|[\s-]?(?:directed|targeted|targeting|specific|redirected)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex StrongTargetingAfter();

    [GeneratedRegex(@"(?-i:CAR)|chimeric|\b(?-i:TCR)|T[\s-]cell\s+receptor|\bT[\s-]?cells?\b|\bCTLs?\b|\bNK\s+cells?\b|cell\s+therap|cabtagene|leucel|tresgene", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex CellWords();

    [GeneratedRegex(@"^(?:EBV|CMV|HPV|HIV|adenovirus|BK)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Virus();

    /// <summary>Every antigen the text names, with its role. In a name (a title, an intervention) that speaks of cells a bare antigen is the target.</summary>
    public static IReadOnlyList<AntigenMention> Mentions(string? text, bool isName = false, TrialContext? context = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var found = new List<AntigenMention>();
        foreach (var sentence in isName ? [text] : Sentences.Split(text))
        {
            // A trial's own names are never about another trial.
            var background = !isName && (context?.IsBackground(sentence) ?? false);
            var nameSpeaksOfCells = isName && CellWords().IsMatch(sentence);
            try
            {
                var names = FindNames(sentence).OrderBy(n => n.Index).ToList();
                var roles = names.Select(n => background ? AntigenRole.Background : RoleOf(sentence, n.Index, n.Length, n.Antigen, nameSpeaksOfCells)).ToArray();
                var positive = names.Select((n, k) => roles[k] == AntigenRole.Expression && IsPresent(sentence, n.Index, n.Length)).ToArray();
                ShareRolesInLists(sentence, names, roles, positive);
                for (var k = 0; k < names.Count; k++)
                {
                    found.Add(new AntigenMention(names[k].Antigen.Symbol, sentence.Substring(names[k].Index, names[k].Length), names[k].Index, roles[k], positive[k]));
                }

                foreach (Match m in CdPair().Matches(sentence))
                {
                    if (AntigenVocabulary.Find("CD" + m.Groups["b"].Value) is { } second && AntigenVocabulary.Find("CD" + m.Groups["a"].Value) is not null)
                    {
                        var role = background ? AntigenRole.Background : RoleOf(sentence, m.Index, m.Length, second, nameSpeaksOfCells);
                        found.Add(new AntigenMention(second.Symbol, m.Value, m.Index, role));
                    }
                }

                if (!MayNameNumberedProduct(sentence))
                {
                    continue;
                }

                foreach (Match m in NumberedProduct().Matches(sentence))
                {
                    foreach (var n in new[] { m.Groups["n"], m.Groups["m"], m.Groups["k"] }.Where(g => g.Success))
                    {
                        if (AntigenVocabulary.Find("CD" + n.Value) is { } numbered)
                        {
                            var before = sentence[Math.Max(0, m.Index - 40)..m.Index];
                            found.Add(new AntigenMention(numbered.Symbol, m.Value, m.Index, background ? AntigenRole.Background : PriorBefore().IsMatch(before) ? AntigenRole.PriorTherapy : AntigenRole.Target));
                        }
                    }
                }
            }
            catch (RegexMatchTimeoutException ex)
            {
                PatternLimits.TimedOut("targetAntigens", ex);
                // Pathological text: what was found before the time-out stands.
            }
        }

        return found;
    }

    /// <summary>
    /// Names listed together share the list's role: in "targeting CD269/GPRC5D" the phrase before the list makes both
    /// targets, in "B cell maturation antigen/G protein-coupled receptor … CAR-T cells" the phrase after it does, and in
    /// "myeloma expressing CD19 and/or BCMA" both are expressed. Only a name with no role of its own joins.
    /// </summary>
    private static void ShareRolesInLists(string sentence, List<(AntigenDefinition Antigen, int Index, int Length)> names, AntigenRole[] roles, bool[] positive)
    {
        for (var pass = 0; pass < 2; pass++)
        {
            for (var k = 0; k + 1 < names.Count; k++)
            {
                var gap = sentence.AsSpan(names[k].Index + names[k].Length, Math.Max(0, names[k + 1].Index - names[k].Index - names[k].Length));
                if (!IsListSeparator(gap))
                {
                    continue;
                }

                foreach (var (from, to) in new[] { (k + 1, k), (k, k + 1) })
                {
                    if (roles[to] == AntigenRole.Other && roles[from] is AntigenRole.Target or AntigenRole.Expression)
                    {
                        roles[to] = roles[from];
                        positive[to] = positive[from];
                    }
                }

                if (roles[k] == AntigenRole.Expression && roles[k + 1] == AntigenRole.Expression && positive[k] != positive[k + 1]
                    && !IsAbsent(sentence, names[k].Index, names[k].Length) && !IsAbsent(sentence, names[k + 1].Index, names[k + 1].Length))
                {
                    // "CD19 and CD22 positive": presence said once for the list.
                    positive[k] = positive[k + 1] = true;
                }
            }
        }
    }

    private static bool IsListSeparator(ReadOnlySpan<char> gap)
    {
        var t = gap.Trim();
        return t.Length <= 6 && (t.Length == 0 || t is "/" or "," or "-" or "+" or "×" or "x" or "&" or "and" or "or" or ", and" or ", or" or "and/or");
    }

    /// <summary>The role of the antigen at [index, index+length) in its sentence, from the words around it.</summary>
    public static AntigenRole RoleOf(string sentence, int index, int length, AntigenDefinition antigen, bool inCellName = false)
    {
        var before = sentence[Math.Max(0, index - 70)..index];
        var after = sentence[(index + length)..Math.Min(sentence.Length, index + length + 90)];
        // The clause the mention is in: a comma or semicolon far enough back starts another.
        var clause = before.LastIndexOfAny([';', '.']) is var cut and >= 0 ? before[(cut + 1)..] : before;

        if (MarkerBefore().IsMatch(clause) || MarkerAfter().IsMatch(after))
        {
            return AntigenRole.Marker;
        }

        if (CellSubsetAfter().IsMatch(after) && !TargetingBefore().IsMatch(clause))
        {
            return Virus().IsMatch(antigen.Symbol) || after.TrimStart().StartsWith('+') || CellSubsetAfter().Match(after).Value.Contains("cell", StringComparison.OrdinalIgnoreCase)
                ? AntigenRole.Marker
                : AntigenRole.Expression;
        }

        if (ExpressionAfter().IsMatch(after))
        {
            return AntigenRole.Expression;
        }

        if (DrugAfter().IsMatch(after) || DrugBefore().IsMatch(clause) || NamesAntibodyNearby(before, after))
        {
            return AntigenRole.DrugTarget;
        }

        if (PriorBefore().IsMatch(clause))
        {
            return AntigenRole.PriorTherapy;
        }

        // Right before "CAR", "CAR-T", "chimeric", "TCR" or "-directed": the target, whatever came before
        // ("T cells expressing a CD19 CAR", "Ligand 19-expressing CD19-CAR-T").
        if (StrongTargetingAfter().IsMatch(after))
        {
            return AntigenRole.Target;
        }

        if (ExpressionBefore().IsMatch(clause))
        {
            return AntigenRole.Expression;
        }

        if (TargetingBefore().IsMatch(clause) || TargetingAfter().IsMatch(after))
        {
            // An ambiguous name (EGFR, CD4, MET) needs the phrase to say CAR, TCR or targeting, not just "T cells".
            return antigen.Ambiguous && !TargetingBefore().IsMatch(clause) && !Regex.IsMatch(TargetingAfter().Match(after).Value, @"(?-i:CAR|TCR)|chimeric|targeted|targeting|directed|specific", RegexOptions.IgnoreCase, PatternLimits.MatchTimeout)
                ? AntigenRole.Other
                : AntigenRole.Target;
        }

        return inCellName && !antigen.Ambiguous ? AntigenRole.Target : AntigenRole.Other;
    }

    /// <summary>An antibody or conjugate named next to the mention ("rituximab (anti-CD20)", "CD38 (daratumumab)").</summary>
    private static bool NamesAntibodyNearby(string before, string after)
    {
        var window = before[Math.Max(0, before.Length - 30)..] + " " + after[..Math.Min(after.Length, 30)];
        return ProductDictionary.Mentions(window).Any(p => p.Modality == Model.Modality.NotCellTherapy)
            && !CellWords().IsMatch(after[..Math.Min(after.Length, 20)]);
    }

    /// <summary>Targets named in the given names (titles, interventions, arm labels).</summary>
    public static IEnumerable<string> FromNames(IEnumerable<string?> names, TrialContext? context = null) =>
        names.Where(n => n is not null).SelectMany(n => Mentions(n, isName: true, context).Where(m => m.Role == AntigenRole.Target).Select(m => m.Symbol)
            .Concat((context?.ProductsIn(n!) ?? ProductDictionary.Mentions(n)).Where(p => p.Product is { IsCellTherapy: true }).SelectMany(p => p.Product!.Targets)));

    /// <summary>
    /// Antigens the texts say the trial's disease expresses ("CD19-positive lymphoma", "patients whose tumours express
    /// GPC3"), outside background sentences: in a CAR trial that names no target, the likely target, never a fact.
    /// </summary>
    public static IEnumerable<string> ExpressedByDisease(IEnumerable<string?> texts, bool areNames, TrialContext? context = null) =>
        texts.Where(t => t is not null).SelectMany(t => Mentions(t, areNames, context))
            .Where(m => m.Role == AntigenRole.Expression && m.Positive).Select(m => m.Symbol);

    /// <summary>Targets in a targeting phrase in the given prose, outside background sentences.</summary>
    public static IEnumerable<string> FromProse(IEnumerable<string?> texts, TrialContext? context = null) =>
        texts.Where(t => t is not null).SelectMany(t => Mentions(t, isName: false, context))
            .Where(m => m.Role == AntigenRole.Target).Select(m => m.Symbol);
}
