using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Knowledge;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>
/// What a document's own trial is, so that its sentences can be told from the ones about something else: the
/// trial's registry ids and the products it gives. A sentence is background when it names another trial (another
/// registry id, "a separate study", "the preceding phase 1 study"), another cell product, or speaks of the field
/// rather than the trial ("in current practice", "for context", "is approved for", a company's pipeline,
/// forward-looking statements). Background sentences lend the trial no target, dose, status, site or enrollment.
/// </summary>
public sealed partial class TrialContext
{
    [GeneratedRegex(@"\b(?:separate|another|other|related|similar|earlier|previous|preceding|parent|companion|sister|larger|smaller|follow-on)\s+(?:(?!part\b|half\b|stage\b|cohort\b|arm\b|portion\b|of\b|the\b)[\w.’'-]+\s+){0,3}(?:study|studies|trial|trials|protocol|programme|program)\b|\ba\s+(?:second|third)\s+(?:[\w.’'-]+\s+){0,3}(?:study|trial)\b|\b(?:in current practice|for context|for scale|benchmark|is approved|are approved|approved (?:for|in|by)|marketed|markets|is developing|pipeline|also (?:being )?(?:evaluated|studied|tested|developing)|being studied in|forward-looking|trademarks? of|other CAR-T news|news in brief|in passing|similar trials|related trials|you may be interested|more related|earlier CAR-T work|went to|deal|acquired|bought)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex BackgroundCue();

    private readonly HashSet<string> _ids;
    private readonly IReadOnlyList<ProductMention> _products;
    private readonly HashSet<string> _productKeys;

    // What each sentence was found to be, read once however many steps ask (a record's steps share one context).
    private readonly Dictionary<string, bool> _background = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<ProductMention>> _mentions = new(StringComparer.Ordinal);

    public TrialContext(IEnumerable<string?> ownIds, IEnumerable<string?> names)
    {
        _ids = new HashSet<string>(ownIds.OfType<string>().Select(RegistryIds.Key), StringComparer.Ordinal);
        _products = names.OfType<string>().SelectMany(ProductsIn).Where(p => p.Modality != Model.Modality.NotCellTherapy).ToList();
        _productKeys = _products.SelectMany(p => p.Product is { } e ? e.Aliases.Prepend(e.Name).Select(Key) : [Key(p.Written)]).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The cell products the trial's names (title, interventions, product fields) give.</summary>
    public IReadOnlyList<ProductMention> OwnProducts => _products;

    public bool IsOwnId(string id) => _ids.Contains(RegistryIds.Key(id));

    /// <summary>The products a sentence names (read once per sentence).</summary>
    public IReadOnlyList<ProductMention> ProductsIn(string sentence)
    {
        if (!_mentions.TryGetValue(sentence, out var mentions))
        {
            mentions = ProductDictionary.Mentions(sentence);
            _mentions[sentence] = mentions;
        }

        return mentions;
    }

    /// <summary>True when the sentence is about something other than this trial.</summary>
    public bool IsBackground(string sentence)
    {
        if (!_background.TryGetValue(sentence, out var background))
        {
            background = ReadBackground(sentence);
            _background[sentence] = background;
        }

        return background;
    }

    // Words every background cue contains one of; a sentence with none is read without the cue pattern.
    private static readonly string[] CueWords =
    [
        "separate", "another", "other", "related", "similar", "earlier", "previous", "preceding", "parent", "companion", "sister",
        "larger", "smaller", "follow-on", "second", "third", "practice", "context", "scale", "benchmark", "approved", "market",
        "developing", "pipeline", "also", "being studied", "forward", "trademark", "news", "passing", "interested", "went to",
        "deal", "acquired", "bought",
    ];

    private bool ReadBackground(string sentence)
    {
        try
        {
            if (CueWords.Any(w => sentence.Contains(w, StringComparison.OrdinalIgnoreCase)) && BackgroundCue().IsMatch(sentence))
            {
                return true;
            }
        }
        catch (RegexMatchTimeoutException ex)
        {
            PatternLimits.TimedOut("background sentences", ex);
            return true;
        }

        if (RegistryIds.Find(sentence).Any(id => !IsOwnId(id.Id)) && _ids.Count > 0)
        {
            return true;
        }

        // Another cell product than this trial's.
        return _productKeys.Count > 0 && ProductsIn(sentence)
            .Any(p => p.Modality != Model.Modality.NotCellTherapy && !IsOwnProduct(p));
    }

    public bool IsOwnProduct(ProductMention mention) =>
        mention.Product is { } e ? e.Aliases.Prepend(e.Name).Any(n => _productKeys.Contains(Key(n))) : _productKeys.Contains(Key(mention.Written));

    /// <summary>The sentences of the texts that are about this trial.</summary>
    public IEnumerable<string> OwnSentences(IEnumerable<string?> texts) =>
        texts.SelectMany(t => Sentences.Split(t)).Where(s => !IsBackground(s));

    private static string Key(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
}
