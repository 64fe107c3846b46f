using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Knowledge;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>
/// The lead sponsor prose names: "sponsored by X", "Sponsor: X", "X runs this study", "a study run by X". The name
/// ends where the sentence turns ("…, which sponsors", "… and is conducted", ", a wholly owned subsidiary"), but a
/// company's own "X, a Gilead Company" stays whole.
/// </summary>
public static partial class SponsorInProse
{
    private const string Name = @"(?<name>(?:the\s+)?[\p{Lu}\p{N}][^;\n]{1,150})";

    private static readonly Regex[] Patterns =
    [
        R(@"\b(?:lead\s+|research\s+|trial\s+|study\s+|primary\s+)?sponsor(?:ed)?\s*(?::|is|was)\s*" + Name),
        R(@"\b(?:sponsored|funded\s+and\s+sponsored)\s+by\s+" + Name),
        R(@"\b(?:study|trial)\s+(?:run|conducted|organi[sz]ed)\s+by\s+" + Name),
        R(@"^(?<name>[\p{Lu}][\w.&'’,\- ]{2,80}?)\s+(?:runs|sponsors|is\s+sponsoring|conducts)\s+(?:this|the)\b"),
        R(@"(?:^|[.;]\s+)(?<name>[\p{Lu}][\w.&'’,\- ]{1,80}?)\s+(?:was|is|acts\s+as|served\s+as)\s+(?:the\s+)?(?:lead\s+|primary\s+|study\s+|trial\s+)?sponsor\b"),
    ];

    // The company a press release is from: "Caribou Biosciences, Inc. (Nasdaq: CRBU), …, today announced".
    private static readonly Regex AnnouncerPattern = R(@"(?<name>[\p{Lu}][\w.&'’,\- ]{2,80}?)\s*(?:\((?:Nasdaq|NYSE|LSE|HKEX|SIX|Euronext|TSX|ASX)[^)]*\))?,?\s+(?:[^.]{0,160}?,\s+)?(?:today\s+)?announced\b");

    [GeneratedRegex(@",\s+(?:a|an)\s+(?=\p{Ll})|,\s+(?=\p{Ll})(?!an?\s+\p{Lu})|\s+(?:and|which|who|that|with|to|in\s+(?:collaboration|partnership)|under|at|tests|is|was|has|have|will|runs|evaluates)\s+(?=\p{Ll})|\s*;|(?<!\b\p{Lu}|\b(?:Inc|Ltd|Co|Corp|Dr|St))\.\s+(?=\p{Lu})|(?<=\b(?:Inc|Ltd|Co|Corp))\.\s+(?=\p{Lu}\p{Ll}+\s+\p{Ll})|\s+\((?=[^)]*\d{4})|\s+[·|–—]\s+|\s{2,}", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NameEnd();

    public static string? Find(IEnumerable<string> sentences)
    {
        foreach (var sentence in sentences)
        {
            foreach (var pattern in Patterns)
            {
                try
                {
                    if (pattern.Match(sentence) is { Success: true } m && Clean(m.Groups["name"].Value) is { } name)
                    {
                        return name;
                    }
                }
                catch (RegexMatchTimeoutException ex)
                {
                    PatternLimits.TimedOut("sponsors", ex);
                }
            }
        }

        return null;
    }

    /// <summary>The company a press release comes from, when its first sentences say so; a last resort for the sponsor.</summary>
    public static string? Announcer(IEnumerable<string> sentences)
    {
        foreach (var sentence in sentences.Take(6))
        {
            try
            {
                if (AnnouncerPattern.Match(sentence) is { Success: true } m && Clean(Regex.Replace(m.Groups["name"].Value, @"^.*(?:--|—)\s*", string.Empty, RegexOptions.None, PatternLimits.MatchTimeout)) is { } name)
                {
                    return name;
                }
            }
            catch (RegexMatchTimeoutException ex)
            {
                PatternLimits.TimedOut("sponsors", ex);
            }
        }

        return null;
    }

    /// <summary>A sponsor's name as a label or a sentence gave it, cut where the sentence goes on, without a trailing place.</summary>
    public static string? Clean(string? text, bool fromLabel = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var name = TextClean.FoldOrEmpty(text);
        // "Name: Tata Memorial Centre" under a "Primary Sponsor" heading.
        name = Regex.Replace(name, @"^(?:name(?:\s+of\s+(?:the\s+)?sponsor)?|organi[sz]ation|institution)\s*:\s*", string.Empty, RegexOptions.IgnoreCase, PatternLimits.MatchTimeout);
        if (name.StartsWith("the ", StringComparison.Ordinal))
        {
            name = name[4..];
        }

        var cut = NameEnd().Match(name);
        while (cut.Success && cut.Index == 0)
        {
            cut = cut.NextMatch();
        }

        if (cut.Success)
        {
            name = name[..cut.Index];
        }

        // A trailing place in parentheses ("(Wuhan, China)", "(lead center)") is not part of the name.
        var open = name.LastIndexOf(" (", StringComparison.Ordinal);
        if (open > 0 && (Gazetteer.Mentions(name[open..]).Count > 0 || name[open..].Contains("center", StringComparison.OrdinalIgnoreCase) || name[open..].Contains("centre", StringComparison.OrdinalIgnoreCase)))
        {
            name = name[..open];
        }

        name = name.Trim().TrimEnd(',', ':', ';');
        // A full stop ends the sentence, not the name, except after the abbreviations companies write with one (a
        // label's value keeps "Co., Ltd." as written; a sentence's last "Ltd." is taken as its full stop).
        if (name.EndsWith('.') && !Regex.IsMatch(name, fromLabel ? @"\b(?:Inc|Co|Corp|Ltd|S\.A|N\.V|B\.V|L\.P|GmbH|AG|plc)\.$" : @"\b(?:Inc|Co|Corp|S\.A|N\.V|B\.V|L\.P)\.$", RegexOptions.None, PatternLimits.MatchTimeout))
        {
            name = name[..^1];
        }

        return name.Length >= 3 && name.Any(char.IsUpper) && !RegistryIds.IsId(name) ? name : null;
    }

    private static Regex R(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);
}

/// <summary>
/// Conditions named in prose or a title: "patients with relapsed or refractory B-cell acute lymphoblastic leukemia
/// or B-cell non-Hodgkin lymphoma", "in Refractory Systemic Lupus Erythematosus and Lupus Nephritis". A phrase counts
/// only when it ends in a disease word (leukemia, lymphoma, myeloma, cancer, sclerosis, …); the course of disease
/// ("relapsed or refractory", "advanced") is dropped, abbreviations in parentheses too.
/// </summary>
public static partial class ConditionsInProse
{
    private const string DiseaseWord = @"(?:\w*(?:leuk(?:a)?emias?|lymphomas?|myelomas?|sarcomas?|carcinomas?|blastomas?|gliomas?|melanomas?|mesotheliomas?|neoplasms?)|cancers?|tumou?rs?|malignanc(?:y|ies)|lupus(?:\s+erythematosus)?|nephritis|nephropathy|sclerosis|myasthenia\s+gravis|scleroderma|vasculitis|arthritis|myositis|disease|diseases|syndromes?|macroglobulin(?:a)?emia|amyloidosis|myelodysplasia|myelofibrosis|mastocytosis|histiocytosis|thrombocytopenia|an(?:a)?emia|neuromyelitis\s+optica(?:\s+spectrum\s+disorders?)?|pemphigus|encephalitis|gravis|hepatocellular\s+carcinoma|erythematosus|hodgkin(?:'s)?)";

    [GeneratedRegex(@"\b(?:patients|participants|subjects|adults|children|people|men|women|those|individuals|persons)\s+(?:\w+\s+){0,3}?(?:with|who\s+have|suffering\s+from|diagnosed\s+with)\s+(?<c>[^.;:]{3,220})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PatientsWith();

    [GeneratedRegex(@"\b(?:disease\s+(?:studied|under\s+study|of\s+interest)\s+is|indicated\s+for|for\s+the\s+treatment\s+of|in\s+the\s+treatment\s+of)\s+(?<c>[^.;:]{3,200})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex DiseaseStudied();

    [GeneratedRegex(@"\b(?:in|for|with|of)\s+(?:(?:pediatric|paediatric|adult|young|older|elderly|and|or|patients?|subjects?|participants?|children)\s+)*(?:with\s+)?(?<c>.{3,200})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex TitleTail();

    [GeneratedRegex(@"\s*(?:\b(?:whose|who|that|which|after|despite|following|at|receiving|treated|previously|requiring|undergoing|before|to|and\s+(?:a|an|the|with|who)|in\s+(?:the|a|first|second|complete|remission|their|adults|children|patients)|as|using|by|on|from|(?<!\bhead\s)with(?!\s+(?:or\s+without\s+)?(?:t\s*\(|myc|bcl|del|mutation|CNS))|is|are|were|was|has|have|had|can|may|will|now|currently|also|still|then|already|typically|usually)\b|\(|,\s*(?:relapsed|refractory|including|such|who|whose|in|after|as)\b|:|\||–|—|\s-\s)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PhraseEnd();

    [GeneratedRegex(@"^(?:(?:relapsed|refractory|recurrent|relapsing|resistant|treatment[-\s]refractory|r/r|rr|advanced|progressive(?=\s+(?:disease|course))|high[-\s]risk|de\s+novo|newly\s+diagnosed|chemotherapy[-\s](?:resistant|refractory)|heavily\s+pretreated|persistent|adult|adults|pediatric|paediatric|childhood|early|severe|active|and|or|and/or|/|,|-)\s*)+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex CourseWords();

    [GeneratedRegex(@"\s*\((?:[A-Z][A-Za-z0-9/\-]{0,9}|[a-z]{1,3}[A-Z][A-Za-z0-9/\-]{0,8})\)", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex Abbreviation();

    [GeneratedRegex(@"\s*(?:,\s*(?:and|or)\s+|,\s+|\s+(?:and/or|or|and)\s+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ListSeparator();

    /// <summary>A word that names no disease on its own ("relapsed disease", "the syndrome").</summary>
    private static readonly Regex BareWord = new(@"^(?:(?:the|their|this|a|an|underlying|their\s+own|same|such)\s+)?(?:diseases?|syndromes?|disorders?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Regex EndsInDisease = new(@"\b" + DiseaseWord + @"$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    private static readonly Regex HasDisease = new(@"\b" + DiseaseWord + @"\b|\bALL\b|\bAML\b|\bCLL\b|\bDLBCL\b|\bNHL\b|\bMS\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, PatternLimits.MatchTimeout);

    /// <summary>Conditions of the first prose sentence that names patients with a disease.</summary>
    public static IReadOnlyList<string> FromProse(IEnumerable<string> sentences)
    {
        foreach (var sentence in sentences)
        {
            try
            {
                foreach (var regex in new[] { PatientsWith(), DiseaseStudied() })
                {
                    foreach (Match m in regex.Matches(sentence))
                    {
                        if (Phrases(m.Groups["c"].Value) is { Count: > 0 } found)
                        {
                            return found;
                        }
                    }
                }
            }
            catch (RegexMatchTimeoutException ex)
            {
                PatternLimits.TimedOut("conditions", ex);
            }
        }

        return [];
    }

    /// <summary>Conditions a title names after "in", "for" or "with" ("… in Relapsed or Refractory Multiple Myeloma").</summary>
    public static IReadOnlyList<string> FromTitle(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return [];
        }

        try
        {
            // The last "in/for/with" whose tail names a disease.
            var words = TextClean.FoldOrEmpty(title);
            foreach (Match m in Regex.Matches(words, @"\b(?:in|for|with|of)\s+", RegexOptions.IgnoreCase, PatternLimits.MatchTimeout).Reverse())
            {
                var tail = TitleTail().Match(words[m.Index..]);
                if (tail.Success && Phrases(tail.Groups["c"].Value) is { Count: > 0 } found)
                {
                    return found;
                }
            }
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("conditions", ex);
        }

        return [];
    }

    /// <summary>The conditions of one phrase: cut where the sentence goes on, split at "and"/"or"/commas, each ending in a disease word.</summary>
    public static IReadOnlyList<string> Phrases(string text)
    {
        // Abbreviations in parentheses ("small cell lung cancer (SCLC)") and quotation marks are not part of a name.
        var phrase = Abbreviation().Replace(text, string.Empty).Trim().Trim('"', '“', '”', '‘', '’', '\'');
        var end = PhraseEnd().Match(phrase);
        while (end.Success && end.Index == 0)
        {
            end = end.NextMatch();
        }

        if (end.Success)
        {
            phrase = phrase[..end.Index];
        }

        phrase = CourseWords().Replace(phrase.Trim(), string.Empty).Trim();
        if (!HasDisease.IsMatch(phrase))
        {
            return [];
        }

        // Split a list; a piece without a disease word joins the next ("head and neck cancer").
        var pieces = new List<string>();
        var pending = string.Empty;
        var separators = ListSeparator().Matches(phrase);
        var start = 0;
        var parts = new List<(string Text, string Separator)>();
        foreach (Match s in separators)
        {
            parts.Add((phrase[start..s.Index], s.Value));
            start = s.Index + s.Length;
        }

        parts.Add((phrase[start..], string.Empty));
        foreach (var (part, separator) in parts)
        {
            var piece = pending + part;
            if (EndsInDisease.IsMatch(piece.Trim()) || HasDisease.IsMatch(piece) && parts[^1].Text == part)
            {
                var cleaned = CourseWords().Replace(piece.Trim(), string.Empty).Trim().Trim(',', ' ', '"', '“', '”', '’');
                if (cleaned.Length >= 3 && HasDisease.IsMatch(cleaned) && !BareWord.IsMatch(cleaned))
                {
                    pieces.Add(cleaned);
                }

                pending = string.Empty;
            }
            else
            {
                pending = piece + separator;
            }
        }

        return TextClean.Distinct(pieces);
    }
}

/// <summary>
/// The countries of a trial's sites that prose names: only in sentences about where the trial runs ("sites in the
/// United States, the United Kingdom and Spain", "treated at … Hospital, China", "at the UCSF … Center in San
/// Francisco, California"), never a company's seat or where a drug is approved.
/// </summary>
public static partial class SiteCountries
{
    [GeneratedRegex(@"\b(?:sites?|centres?|centers?|hospitals?|institutes?|clinics?|universit(?:y|ies)|medical\s+(?:center|centre|school|college)|conducted|treated|recruit(?:ing|s|ed)?|enrol+(?:ing|s|ed)?|runs?\s+at|given\s+at|takes?\s+place|located|campus|participating|locations?|study\s+site|institution|cancer\s+center|infirmary)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex SiteWord();

    [GeneratedRegex(@"\b(?:based\s+in|headquarter(?:s|ed)|approved\s+(?:in|for|by)|is\s+approved|markets?|company|companies|licens(?:ed|e)|acquired|bought|subsidiary|Nasdaq|NYSE|GLOBE\s+NEWSWIRE|BUSINESS\s+WIRE|PR\s+Newswire|affiliat)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NotSites();

    /// <summary>Countries in the site sentences, in the order named.</summary>
    public static IReadOnlyList<string> FromProse(IEnumerable<string> sentences)
    {
        var countries = new List<string>();
        foreach (var sentence in sentences)
        {
            try
            {
                if (!SiteWord().IsMatch(sentence) || NotSites().IsMatch(sentence))
                {
                    continue;
                }
            }
            catch (RegexMatchTimeoutException ex)
            {
                PatternLimits.TimedOut("locations", ex);
                continue;
            }

            countries.AddRange(Gazetteer.Mentions(sentence).Select(p => p.Country));
        }

        return countries.Distinct().ToList();
    }

    /// <summary>Countries of a labelled location value ("Member states concerned: United Kingdom", "Houston, TX", "Country: China").</summary>
    public static IReadOnlyList<string> FromLabel(string? value) =>
        value is null ? [] : Gazetteer.Mentions(value).Select(p => p.Country).Distinct().ToList();
}
