using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Knowledge;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// Any text about a trial that no structured parser claims: registry pages of other registries (ChiCTR, EU CTR,
/// CTIS, ISRCTN, jRCT, CTRI, ANZCTR, DRKS), plain-text registry summaries, conference abstracts, press releases,
/// protocol synopses extracted from PDF, hospital trial pages, newsletters, or prose of a kind nobody listed. The
/// page's layout is read by <see cref="TextLayout"/> (labelled values, criteria blocks, body); each field is taken
/// from a label when the page has one, else from the prose by a small named reader, and then marked inferred. The
/// format says what kind of document the content looks like, or <c>free-text</c>.
/// </summary>
public sealed partial class TextDocumentParser : IDocumentParser
{
    public const string FreeTextFormat = "free-text";

    [GeneratedRegex(@"\b(?:clinical\s+)?(?:study|trial|protocol)\b|\bphase\s*(?:[1-4]|I{1,3}V?|IV)\b|\bCAR[-\s]?T\b|\bchimeric\s+antigen\s+receptor\b|\bparticipants?\b|\bpatients?\b|\benrol", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex TrialWords();

    [GeneratedRegex(@"(?:GLOBE\s*NEWSWIRE|BUSINESS\s*WIRE|PR\s*Newswire|PRNewswire|ACCESSWIRE|Forward[-\s]Looking\s+Statements|today\s+announced)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PressCue();

    [GeneratedRegex(@"^\s*(?:background|methods?|results?|conclusions?|objectives?|aims?|purpose|findings|interpretation|introduction)\s*(?:/\s*purpose)?\s*[:.]?", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AbstractHeading();

    [GeneratedRegex(@"\bsynopsis\b|^\s*protocol\s+(?:title|number)\b", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex SynopsisCue();

    [GeneratedRegex(@"\bwho\s+can\s+(?:join|take\s+part)|contact\s+the\s+study\s+team|find\s+a\s+clinical\s+trial|request\s+an\s+appointment|I'm\s+interested|skip\s+to\s+main\s+content|^\s*home\s*[›>»/]", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ListingCue();

    [GeneratedRegex(@"\bnewsletter\b|\bissue\s+\d+\b|\bweekly\s+note\b|\bdigest\b|\bbulletin\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NewsletterCue();

    [GeneratedRegex(@"(?:registered\s+as|full\s+(?:name|title)\s+is|(?:official|registered|full)\s+title\s+(?:is|was|reads)|entitled|titled|called)\s*:?\s*[“""‘](?<t>[^”""’]{20,400})[”""’]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex QuotedTitle();

    [GeneratedRegex(@"\b(?:study|trial|phase|CAR|cells?|therap(?:y|ies)|patients?|subjects?|participants|treatment|treating|safety|efficacy|infusion|dose|versus|vs\.?|compared|evaluate|investigat|lymphoma\w*|leuk\w*|myeloma\w*|cancer\w*|tumou?r\w*|carcinoma\w*|disease\w*|sclerosis|lupus|malignanc\w*|approv\w*)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex TitleWord();

    [GeneratedRegex(@"\b(?:study|trial|phase|CAR|CAR-T|therapy|treatment|patients|subjects|participants|cells)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex StrongTitleWord();

    [GeneratedRegex(@"[›»]|\s>\s|^\s*(?:skip\s+to|home\b|search\b|menu\b|share\b|print\b|download\b|back\s+to|©|copyright|type\s*:|session\b|abstract\s+\d+|\d+\.\s+\w+.*\|)|\bannual\s+meeting$|\bmeeting\s+abstracts?\b|\bet\s+al\b|\b(?:MD|PhD|MSc)\b|^\s*(?:by\s+)?[\p{Lu}][\p{Ll}]+\s+[\p{Lu}][\p{Ll}]+(?:,\s+[\p{Lu}][\p{Ll}.]+\s+[\p{Lu}][\p{Ll}]+){2,}|^\s*(?:CONFIDENTIAL|PROTOCOL\s+SYNOPSIS|SYNOPSIS|\d+\.\s+(?:PROTOCOL\s+)?SYNOPSIS)\s*$|\b(?:not\s+investment\s+advice|for\s+members|winter|summer|spring|autumn)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex NotATitle();

    [GeneratedRegex(@"^\s*(?:forward[-\s]looking\s+statements?|safe\s+harbou?r|contacts?|media\s+contacts?|investor\s+(?:relations|contacts?)|disclosures?|references|acknowledge?ments?|conflicts?\s+of\s+interest|funding|similar\s+trials.*|related\s+trials.*|more\s+related\s+trials.*|back\s+to\s+top)\s*:?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex BoilerplateHeading();

    [GeneratedRegex(@"^\s*About\s+(?<subject>.{2,80}?)\s*:?\s*$", RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex AboutHeading();

    [GeneratedRegex(@"\bis\s+an?\s+(?:[\w-]+\s+){0,4}(?:biopharmaceutical|biotechnology|pharmaceutical|biotech|life\s+sciences?|healthcare|medical\s+technology)\s+company\b|\btrademarks?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex CompanyBoilerplate();

    [GeneratedRegex(@"\((?<phase>Phase\s+(?<n>I{1,3}V?|IV|[1-4]))\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex EuPhaseRow();

    [GeneratedRegex(@"^(?:phase\s*)?(?<a>I{1,3}V?|IV|[0-4])(?:\s*[ab])?(?:\s*(?:/|\+|-|–|and|&)\s*(?:phase\s*)?(?<b>I{1,3}|IV|[1-4])(?:\s*[ab])?)?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex BarePhase();

    [GeneratedRegex(@"From\s+(?<start>\d{4}-\d{2}-\d{2})\s+To\s+(?<end>\d{4}-\d{2}-\d{2})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex FromTo();

    public string Format => FreeTextFormat;

    /// <summary>
    /// Certain for the registry pages it knows by their labels; otherwise a low score, so that every structured parser
    /// is asked first and this one reads what they leave (<see cref="DescribesTrial"/>).
    /// </summary>
    public int Detect(DecodedDocument document)
    {
        var head = document.Text.Length > 6000 ? document.Text[..6000] : document.Text;
        if (RegistryPage(head) is not null)
        {
            return 90;
        }

        return DescribesTrial(document) ? 30 : 0;
    }

    /// <summary>Whether a text is about a trial at all: a registry number, or words of trials and cell therapy.</summary>
    public static bool DescribesTrial(DecodedDocument document)
    {
        var text = document.Text;
        if (RegistryIds.Find(text.Length > 20000 ? text[..20000] : text).Count > 0 || RegistryIds.Find(document.FileName).Count > 0)
        {
            return true;
        }

        try
        {
            var words = TrialWords().Matches(text.Length > 20000 ? text[..20000] : text).Select(m => m.Value.ToLowerInvariant()).Distinct().Count();
            return words >= 3;
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("format", ex);
            return false;
        }
    }

    /// <summary>The registry whose page this is, by its name and its labels ("chictr", "euctr", …), else null.</summary>
    private static string? RegistryPage(string head)
    {
        bool Has(string s) => head.Contains(s, StringComparison.OrdinalIgnoreCase);
        if (Has("ChiCTR") && (Has("Registration number") || Has("注册号")))
        {
            return "chictr";
        }

        if (Has("EudraCT") && (Has("Trial Status") || Has("Member state") || Has("EudraCT Number")))
        {
            return "euctr";
        }

        if (Regex.IsMatch(head, @"\b20\d{2}-5\d{5}-\d{2}-\d{2}\b", RegexOptions.None, PatternLimits.MatchTimeout) && (Has("CTIS") || Has("EU CT") || Has("EU trial number")))
        {
            return "ctis";
        }

        // Another registry's page: its name or number in the page's first lines, and a labelled number of its own.
        var top = string.Join('\n', head.Split('\n').Take(15));
        foreach (var (name, registry) in new[]
        {
            ("ISRCTN", "isrctn"), ("jRCT", "jrct"), ("CTRI", "ctri"), ("ANZCTR", "anzctr"), ("ACTRN", "anzctr"), ("DRKS", "drks"),
            ("UMIN", "umin"), ("CRIS", "kct"), ("KCT", "kct"), ("Netherlands Trial Register", "ntr"), ("IRCT", "irct"), ("TCTR", "tctr"), ("ReBEC", "rbr"),
        })
        {
            if (top.Contains(name, StringComparison.Ordinal) && RegistryIds.Find(head).Any(i => i.Registry == (registry == "anzctr" ? "actrn" : registry)))
            {
                return registry;
            }
        }

        return null;
    }

    private static string Kind(DecodedDocument document, TextLayout layout)
    {
        var text = document.Text;
        var head = text.Length > 6000 ? text[..6000] : text;
        if (RegistryPage(head) is { } registry)
        {
            return registry + "-page";
        }

        try
        {
            if (PressCue().IsMatch(text))
            {
                return "press-release";
            }

            if (SynopsisCue().IsMatch(head))
            {
                return "protocol-synopsis";
            }

            if (AbstractHeading().Matches(text).Select(m => m.Value.Trim().ToLowerInvariant()[..3]).Distinct().Count() >= 3)
            {
                return "conference-abstract";
            }

            if (ListingCue().IsMatch(text))
            {
                return "trial-listing";
            }

            var firstLines = string.Join('\n', layout.Lines.Where(l => l.Trim().Length > 0).Take(3));
            if (NewsletterCue().IsMatch(firstLines))
            {
                return "newsletter";
            }

            if (layout.Lines.FirstOrDefault(l => l.Trim().Length > 0) is { } first && RegistryIds.IsId(first.Trim().TrimStart('\uFEFF')))
            {
                return "registry-summary";
            }
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("format", ex);
        }

        return FreeTextFormat;
    }

    /// <summary>
    /// One document's reading: its layout and kind, the trial's context, and its prose split into sentences (those
    /// about this trial in <see cref="Own"/>). Each step takes a field from a label when the page has one, else from
    /// the prose (<see cref="LabelElseProse{T}"/>, which marks it inferred).
    /// </summary>
    private sealed class Reading
    {
        public required TextLayout Layout { get; init; }
        public required string Kind { get; init; }
        public required string? Title { get; init; }
        public required string Body { get; init; }
        public required IReadOnlyList<string> Sentences { get; init; }
        public required IReadOnlyList<string> Own { get; init; }
        public List<string> Inferred { get; } = [];

        /// <summary>The labelled value when there is one; else what the prose says, marked as inferred.</summary>
        public T LabelElseProse<T>(string field, T labelled, Func<T> prose)
        {
            if (IsStated(labelled))
            {
                return labelled;
            }

            var read = prose();
            if (IsStated(read))
            {
                Inferred.Add(field);
            }

            return read;
        }

        private static bool IsStated<T>(T value) => value switch
        {
            null => false,
            string s => s.Length > 0,
            System.Collections.ICollection c => c.Count > 0,
            System.Collections.IEnumerable e => e.GetEnumerator().MoveNext(),
            _ => true,
        };
    }

    public IEnumerable<TrialRecord> Parse(DecodedDocument document)
    {
        var layout = new TextLayout(document.Text.TrimStart('\uFEFF'));
        var kind = Kind(document, layout);
        var (registryId, secondaryIds) = ReadIds(document, layout, kind);
        var (title, officialTitle, titleInferred) = ReadTitle(layout);
        var productValues = layout.Values("product").Select(v => v.Value).ToList();
        var context = new TrialContext(secondaryIds.Prepend(registryId), productValues.Prepend(officialTitle).Prepend(title));
        // The heading read as the title is the title, not a sentence of the prose.
        var body = OwnBody(layout, context, titleInferred ? title : null);
        var sentences = Sentences.Split(body).Concat(FactFragments(layout)).ToList();
        var reading = new Reading
        {
            Layout = layout,
            Kind = kind,
            Title = title,
            Body = body,
            Sentences = sentences,
            Own = sentences.Where(s => !context.IsBackground(s)).ToList(),
        };
        if (titleInferred)
        {
            reading.Inferred.Add("title");
        }

        var own = reading.Own;
        var status = reading.LabelElseProse("status", layout.Values("status").Select(v => StatusInProse.Of(v.Value)).FirstOrDefault(s => s is not null), () => StatusInProse.Find(own));
        var phases = reading.LabelElseProse("phases", ReadPhases(layout), () => FieldParsers.PhasesInProse(string.Join(" \n ", own.Prepend(officialTitle).Prepend(title).OfType<string>())));
        var enrollment = reading.LabelElseProse("enrollment", ReadEnrollment(layout), () => EnrollmentInProse.Find(own));
        var conditions = reading.LabelElseProse("conditions", LabelledConditions(layout), () => ConditionsOf(title, own));
        var eligibility = ReadEligibility(layout, own, title, reading.Inferred);
        var sponsor = reading.LabelElseProse("sponsors", layout.Values("sponsor").Select(v => SponsorInProse.Clean(v.Value, fromLabel: true)).FirstOrDefault(s => s is not null), () => SponsorOf(reading));
        var countries = reading.LabelElseProse("locations", layout.Values("countries").SelectMany(v => SiteCountries.FromLabel(v.Value)).Distinct().ToList(), () => SiteCountries.FromProse(own));
        var dates = layout.Values("dates").Select(v => FromTo().Match(v.Value)).FirstOrDefault(m => m.Success);
        var summary = FirstParagraph(body);
        yield return new TrialRecord
        {
            Source = new SourceInfo(document.FileName, kind, document.Sha256),
            RegistryId = registryId,
            SecondaryIds = secondaryIds,
            Title = title,
            OfficialTitle = officialTitle,
            BriefSummary = summary,
            DetailedDescription = TextClean.Fold(body) is { } folded && folded != summary ? body.Trim() : null,
            Status = status,
            Phases = phases,
            StudyType = layout.Values("studyType").Select(v => FieldParsers.StudyTypeValue(Regex.Replace(v.Value, @"\s*study$", string.Empty, RegexOptions.IgnoreCase, PatternLimits.MatchTimeout))).FirstOrDefault(t => t is not null),
            Enrollment = enrollment,
            StartDate = dates?.Groups["start"].Value,
            CompletionDate = dates?.Groups["end"].Value,
            Conditions = conditions,
            Interventions = productValues.Select(ProductIntervention).OfType<Intervention>().DistinctBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ToList(),
            Eligibility = eligibility,
            Sponsors = sponsor is null ? [] : [new Sponsor(sponsor, SponsorRole.Lead, null)],
            Locations = countries.Select(c => new Location(null, null, null, c, null)).ToList(),
            Inferred = reading.Inferred,
        };
    }

    /// <summary>The first conditions label's value, split at ';' and '|' (MedDRA code rows are not conditions).</summary>
    private static IReadOnlyList<string> LabelledConditions(TextLayout layout) =>
        layout.Values("conditions").Where(v => !v.Value.StartsWith("MedDRA", StringComparison.OrdinalIgnoreCase))
            .Take(1)
            .SelectMany(v => TextClean.Distinct(v.Lines.SelectMany(l => l.Split([';', '|']))))
            .ToList();

    /// <summary>Prose that names the sponsor; else who funds it; else, in a press release, the company announcing.</summary>
    private static string? SponsorOf(Reading reading) =>
        SponsorInProse.Find(reading.Own.Concat(reading.Sentences.Where(s => s.Contains("sponsor", StringComparison.OrdinalIgnoreCase))))
        ?? reading.Layout.Values("funder").Select(v => SponsorInProse.Clean(v.Value, fromLabel: true)).FirstOrDefault(s => s is not null)
        ?? (reading.Kind == "press-release" ? SponsorInProse.Announcer(reading.Sentences) : null);

    private static (string? Primary, IReadOnlyList<string> Secondary) ReadIds(DecodedDocument document, TextLayout layout, string kind)
    {
        var labelled = layout.Values("registryId").SelectMany(v => RegistryIds.Find(v.Value)).ToList();
        var secondary = layout.Values("secondaryId").SelectMany(v => RegistryIds.Find(v.Value)).ToList();
        var all = RegistryIds.Find(string.Join('\n', layout.Lines));
        var fromName = RegistryIds.Find(document.FileName);

        // A registry's own page: its own number first ("EudraCT Number", "Registration number: ChiCTR…").
        var own = kind switch
        {
            "chictr-page" => "chictr",
            "euctr-page" => "eudract",
            "ctis-page" => "euct",
            "isrctn-page" => "isrctn",
            "jrct-page" => "jrct",
            "ctri-page" => "ctri",
            "anzctr-page" => "actrn",
            "drks-page" => "drks",
            "umin-page" => "umin",
            "kct-page" => "kct",
            "ntr-page" => "ntr",
            "irct-page" => "irct",
            "tctr-page" => "tctr",
            "rbr-page" => "rbr",
            _ => null,
        };
        var primary = (own is null ? null : labelled.Concat(all).FirstOrDefault(i => i.Registry == own))
            ?? labelled.FirstOrDefault()
            ?? FirstLineId(layout)
            ?? all.FirstOrDefault(i => i.Registry == "nct")
            ?? all.FirstOrDefault()
            ?? fromName.FirstOrDefault();
        if (primary is null)
        {
            return (null, []);
        }

        // Other numbers of the same trial: those its labels give, and the file's name.
        var others = labelled.Concat(secondary).Concat(fromName)
            .Select(i => i.Id).Where(i => RegistryIds.Key(i) != RegistryIds.Key(primary.Id))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return (primary.Id, others);
    }

    private static RegistryIdMention? FirstLineId(TextLayout layout) =>
        layout.Lines.FirstOrDefault(l => l.Trim().Length > 0) is { } first && RegistryIds.IsId(first.Trim().TrimStart('\uFEFF'))
            ? RegistryIds.Find(first).FirstOrDefault()
            : null;

    /// <summary>
    /// The title: a labelled one ("Public title", "Full title of the trial", "Protocol Title"); else a title quoted as
    /// the registered one ("registered as “…”"); else the page's heading, the first line near the top that reads
    /// like a title rather than a masthead, breadcrumb, byline or session header.
    /// </summary>
    private static (string? Title, string? Official, bool Inferred) ReadTitle(TextLayout layout)
    {
        var labelled = layout.Values("title").Select(v => v.Value).Where(v => v.Length >= 10).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var lay = layout.Values("layTitle").Select(v => v.Value).FirstOrDefault();
        if (labelled.Count > 0)
        {
            return (labelled[0], labelled.Count > 1 ? labelled[1] : lay, false);
        }

        var text = string.Join('\n', layout.Body);
        if (QuotedTitle().Match(text) is { Success: true } quoted)
        {
            return (TextClean.Fold(quoted.Groups["t"].Value)?.TrimEnd(',', ' '), Heading(layout), true);
        }

        var heading = Heading(layout) ?? lay;
        return (heading, null, heading is not null);
    }

    private static string? Heading(TextLayout layout)
    {
        var candidates = new List<(string Text, int Score, int Order)>();
        var order = 0;
        foreach (var raw in layout.Body.Take(40))
        {
            var line = raw.Trim().TrimStart('\uFEFF');
            if (line.Length == 0)
            {
                continue;
            }

            order++;
            if (order > 12)
            {
                break;
            }

            if (line.Length is < 20 or > 400 || RegistryIds.IsId(line) || line.Contains(": ", StringComparison.Ordinal) && line.IndexOf(": ", StringComparison.Ordinal) < 30 && !line.Contains(" Study", StringComparison.Ordinal)
                || line.Count(c => c == '|') >= 1 || NotATitle().IsMatch(line) || line.Split(' ').Length < 4)
            {
                continue;
            }

            // A sentence of prose ends with a full stop; a heading rarely does.
            var score = TitleWord().Count(line) + StrongTitleWord().Count(line) - (line.EndsWith('.') ? 3 : 0);
            if (line.EndsWith('.') && line.Length > 160)
            {
                // A sentence of prose, not a heading.
                continue;
            }

            candidates.Add((line, score, order));
        }

        var best = candidates.Where(c => c.Score > 0).OrderByDescending(c => Math.Min(c.Score, 4)).ThenBy(c => c.Order).FirstOrDefault();
        return best.Text;
    }

    private static IReadOnlyList<TrialPhase> ReadPhases(TextLayout layout)
    {
        foreach (var value in layout.Values("phase").Select(v => v.Value))
        {
            var phases = FieldParsers.Phases(value);
            if (phases.Count == 0 && BarePhase().Match(value.Trim()) is { Success: true } bare)
            {
                phases = new[] { bare.Groups["a"].Value, bare.Groups["b"].Value }.Where(g => g.Length > 0)
                    .Select(g => FieldParsers.Phases("Phase " + g)).SelectMany(p => p).Distinct().Order().ToList();
            }

            if (phases.Count > 0)
            {
                return phases;
            }
        }

        // EU register rows: "Human pharmacology (Phase I): Yes", "Therapeutic exploratory (Phase II): No".
        var rows = layout.Fields.Where(f => f.Value.StartsWith("Yes", StringComparison.OrdinalIgnoreCase) && EuPhaseRow().IsMatch(f.Label))
            .SelectMany(f => FieldParsers.Phases(EuPhaseRow().Match(f.Label).Groups["phase"].Value)).Distinct().Order().ToList();
        return rows;
    }

    private static Enrollment? ReadEnrollment(TextLayout layout)
    {
        // The whole trial's number before one group's or one country's ("Total sample size", "In the whole clinical trial").
        var values = layout.Values("enrollment").ToList();
        var whole = values.Where(v => Regex.IsMatch(v.Label, "total|whole|overall|planned|number of", RegexOptions.IgnoreCase, PatternLimits.MatchTimeout))
            .Concat(values);
        return whole.Select(v => EnrollmentInProse.FromLabel(v.Value)).FirstOrDefault(e => e is not null);
    }

    private static IReadOnlyList<string> ConditionsOf(string? title, IReadOnlyList<string> sentences)
    {
        var prose = ConditionsInProse.FromProse(sentences);
        var titled = ConditionsInProse.FromTitle(title);
        if (prose.Count == 0)
        {
            return titled;
        }

        // The title and the prose agree on one: the title's list is the fuller one; else the prose, which names the diseases studied.
        return titled.Any(t => prose.Any(p => string.Equals(p, t, StringComparison.OrdinalIgnoreCase)))
            ? TextClean.Distinct(titled.Concat(prose))
            : prose;
    }

    private static Eligibility? ReadEligibility(TextLayout layout, IReadOnlyList<string> own, string? title, List<string> inferred)
    {
        var inclusion = new List<Criterion>();
        var exclusion = new List<Criterion>();
        var texts = new List<string>();
        foreach (var block in layout.Criteria)
        {
            texts.Add($"{(block.Kind == "exclusion" ? "Exclusion Criteria:" : block.Kind == "inclusion" ? "Inclusion Criteria:" : string.Empty)}\n{string.Join('\n', block.Lines)}");
            if (block.Kind == "both")
            {
                var (inc, exc) = CriteriaParser.Parse(string.Join('\n', block.Lines));
                inclusion.AddRange(inc);
                exclusion.AddRange(exc);
            }
            else
            {
                (block.Kind == "inclusion" ? inclusion : exclusion).AddRange(CriteriaParser.Items(block.Lines));
            }
        }

        // The inclusion items, and the sentence that may lead them ("Male or female subjects are eligible if …").
        var items = layout.Criteria.Where(b => b.Kind != "exclusion")
            .SelectMany(b => b.Lines.TakeWhile(l => !Regex.IsMatch(l, @"^\s*(?:\d{1,2}[.)]|[•▸►●\-–*])", RegexOptions.None, PatternLimits.MatchTimeout)))
            .Select(l => l.Trim()).Where(l => l.Length > 0)
            .Concat(inclusion.Select(c => c.Flattened)).ToList();
        int? min = layout.Values("minAge").Select(v => FieldParsers.AgeYears(v.Value)).FirstOrDefault(a => a is not null);
        int? max = layout.Values("maxAge").Select(v => FieldParsers.AgeYears(v.Value)).FirstOrDefault(a => a is not null);
        if (min is null && max is null)
        {
            var fromCriteria = AgesInProse.Find(items);
            var fromLabel = layout.Values("ages").Select(v => EuAgeGroups(v.Value) ?? AgesInProse.Of("ages " + v.Value)).FirstOrDefault(a => a.Stated);
            var fromProse = AgesInProse.Find(own.Where(s => !items.Contains(s)));
            var ages = fromCriteria.Stated ? fromCriteria : fromLabel.Stated ? fromLabel : fromProse;
            (min, max) = (ages.Min, ages.Max);
            if (!fromCriteria.Stated && !fromLabel.Stated && fromProse.Stated)
            {
                inferred.Add("eligibility.ages");
            }
        }

        var sex = layout.Values("sex").Select(v => SexInProse.FromLabel(v.Value)).FirstOrDefault(s => s is not null) ?? EuSexRows(layout);
        if (sex is null)
        {
            sex = SexInProse.Find(items) ?? SexInProse.Find(own) ?? (title is null ? null : SexInProse.Of(title));
            if (sex is not null)
            {
                inferred.Add("eligibility.sex");
            }
        }

        if (inclusion.Count + exclusion.Count == 0 && min is null && max is null && sex is null)
        {
            return null;
        }

        return new Eligibility
        {
            MinAgeYears = min,
            MaxAgeYears = max,
            Sex = sex,
            HealthyVolunteers = layout.Values("healthyVolunteers").Select(v => FieldParsers.YesNo(v.Value)).FirstOrDefault(h => h is not null),
            Inclusion = inclusion,
            Exclusion = exclusion,
            CriteriaText = texts.Count > 0 ? string.Join("\n\n", texts) : null,
        };
    }

    /// <summary>EU register age groups ("Adults (18-64 years), Elderly (>=65 years)"): the youngest group's lower bound, no upper bound when the elderly may join.</summary>
    private static (int? Min, int? Max, bool Stated)? EuAgeGroups(string value)
    {
        if (!Regex.IsMatch(value, @"\b(?:adults|elderly|adolescents|children|infants|under\s+18|in\s+utero|preterm)\b", RegexOptions.IgnoreCase, PatternLimits.MatchTimeout))
        {
            return null;
        }

        var young = Regex.IsMatch(value, @"\b(?:adolescents|children|infants|toddlers|under\s+18|in\s+utero|preterm|newborns)\b", RegexOptions.IgnoreCase, PatternLimits.MatchTimeout);
        int? min = young ? null : Regex.IsMatch(value, @"\badults\b", RegexOptions.IgnoreCase, PatternLimits.MatchTimeout) ? 18 : 65;
        int? max = Regex.IsMatch(value, @"\belderly\b", RegexOptions.IgnoreCase, PatternLimits.MatchTimeout) ? null
            : Regex.IsMatch(value, @"\badults\b", RegexOptions.IgnoreCase, PatternLimits.MatchTimeout) ? 64 : 17;
        return (min, max, true);
    }

    /// <summary>EU register rows "Female: Yes" and "Male: Yes".</summary>
    private static Sex? EuSexRows(TextLayout layout)
    {
        bool Yes(string label) => layout.Fields.Any(f => f.Label.Equals(label, StringComparison.OrdinalIgnoreCase) && f.Value.StartsWith("Yes", StringComparison.OrdinalIgnoreCase));
        return (Yes("Female"), Yes("Male")) switch
        {
            (true, true) => Sex.All,
            (true, false) => Sex.Female,
            (false, true) => Sex.Male,
            _ => null,
        };
    }

    /// <summary>The body without the parts about other things: forward-looking statements, contacts, disclosures, a company's "About" boilerplate.</summary>
    private static string OwnBody(TextLayout layout, TrialContext context, string? heading)
    {
        var kept = new List<string>();
        var skipping = false;
        var paragraphStart = true;
        foreach (var line in layout.Body)
        {
            var t = line.Trim();
            if (t.Length == 0)
            {
                kept.Add(string.Empty);
                paragraphStart = true;
                continue;
            }

            if (heading is not null && TextClean.Fold(t) == heading)
            {
                kept.Add(string.Empty);
                continue;
            }

            if (paragraphStart || t.Length < 80)
            {
                if (BoilerplateHeading().IsMatch(t))
                {
                    skipping = true;
                    paragraphStart = false;
                    continue;
                }

                if (AboutHeading().Match(t) is { Success: true } about)
                {
                    // "About the FELIX Study" and "About obe-cel" are about the trial; "About Kite" is about a company.
                    skipping = false;
                    kept.Add(t);
                    paragraphStart = false;
                    continue;
                }
            }

            if (paragraphStart && CompanyBoilerplate().IsMatch(t))
            {
                skipping = true;
            }
            else if (paragraphStart && skipping && !BoilerplateHeading().IsMatch(t) && kept.Count > 0 && kept[^1].Length == 0 && AboutHeading().IsMatch(t))
            {
                skipping = false;
            }

            paragraphStart = false;
            if (!skipping)
            {
                kept.Add(line);
            }
        }

        _ = context;
        return string.Join('\n', kept).Trim();
    }

    /// <summary>Short facts set side by side ("Recruiting | Phase 1/2 | Adults 18–70 | All sexes", "Condition: … · Phase: 1").</summary>
    private static IEnumerable<string> FactFragments(TextLayout layout) =>
        layout.Body.Where(l => l.Contains(" | ", StringComparison.Ordinal) || l.Contains(" · ", StringComparison.Ordinal))
            .SelectMany(l => l.Split(['|', '·'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length is > 2 and < 60);

    private static string? FirstParagraph(string body)
    {
        foreach (var paragraph in body.Split("\n\n"))
        {
            var folded = TextClean.Fold(paragraph);
            if (folded is { Length: >= 120 } && folded.Contains(". ", StringComparison.Ordinal))
            {
                return folded;
            }
        }

        return null;
    }

    private static Intervention? ProductIntervention(string value)
    {
        var name = TextClean.Fold(Regex.Split(value, @"\s*(?:\(|:|;|,\s+(?=[a-z])|\n)", RegexOptions.None, PatternLimits.MatchTimeout)[0]);
        return name is { Length: >= 2 and <= 120 } ? new Intervention { Name = name, Description = value.Length > name.Length ? value : null } : null;
    }
}
