namespace TrialRegistry.Ingestion.Knowledge;

/// <summary>A phrase of an index found in a text: its value, where it starts, how long it is as written.</summary>
public readonly record struct PhraseHit<T>(T Value, int Index, int Length);

/// <summary>
/// Finds the phrases of a vocabulary (names of up to a few words) in a text by looking its word n-grams up in a
/// dictionary: linear in the text, and nothing to compile, unlike one regular expression of a thousand alternatives.
/// Words are runs of letters and digits; a phrase matches whatever separates its words (space, hyphen, nothing:
/// "KYV-101" = "KYV 101" = "KYV101") and, where the index says so, whatever the case. The longest phrase wins.
/// </summary>
public sealed class PhraseIndex<T>
{
    private readonly Dictionary<string, T> _ignoreCase = new(StringComparer.Ordinal);
    private readonly Dictionary<string, T> _exactCase = new(StringComparer.Ordinal);
    // The first words of the phrases (upper case): a word that begins none is passed over with one lookup.
    private readonly HashSet<string> _firsts = new(StringComparer.Ordinal);
    private int _maxWords = 1;

    /// <summary>Adds a phrase; <paramref name="matchCase"/> for names that are words of their own in another case ("US", "UK").</summary>
    public void Add(string phrase, T value, bool matchCase = false)
    {
        var words = Words(phrase).Select(w => phrase.Substring(w.Start, w.Length)).ToList();
        if (words.Count == 0)
        {
            return;
        }

        _maxWords = Math.Max(_maxWords, words.Count);
        _firsts.Add(words[0].ToUpperInvariant());
        var key = string.Concat(words);
        if (matchCase)
        {
            _exactCase.TryAdd(key, value);
        }
        else
        {
            _ignoreCase.TryAdd(key.ToUpperInvariant(), value);
        }
    }

    /// <summary>Every phrase in the text, in order, the longest at each place, none overlapping.</summary>
    public IReadOnlyList<PhraseHit<T>> Find(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var words = Words(text).ToList();
        var hits = new List<PhraseHit<T>>();
        var upper = text.ToUpperInvariant();
        var firsts = _firsts.GetAlternateLookup<ReadOnlySpan<char>>();
        var i = 0;
        var buffer = new System.Text.StringBuilder();
        while (i < words.Count)
        {
            if (!firsts.Contains(upper.AsSpan(words[i].Start, words[i].Length)))
            {
                i++;
                continue;
            }

            var matched = 0;
            for (var n = Math.Min(_maxWords, words.Count - i); n >= 1 && matched == 0; n--)
            {
                // The words of a phrase are apart by at most one separator character ("KYV-101", "New York").
                var contiguous = true;
                buffer.Clear();
                for (var k = 0; k < n; k++)
                {
                    var w = words[i + k];
                    if (k > 0 && w.Start - (words[i + k - 1].Start + words[i + k - 1].Length) > 1)
                    {
                        contiguous = false;
                        break;
                    }

                    buffer.Append(text, w.Start, w.Length);
                }

                if (!contiguous)
                {
                    continue;
                }

                var key = buffer.ToString();
                var start = words[i].Start;
                var length = words[i + n - 1].Start + words[i + n - 1].Length - start;
                if (_exactCase.TryGetValue(key, out var exact) || _ignoreCase.TryGetValue(key.ToUpperInvariant(), out exact))
                {
                    hits.Add(new PhraseHit<T>(exact, start, length));
                    matched = n;
                }
            }

            i += Math.Max(matched, 1);
        }

        return hits;
    }

    /// <summary>The value of one phrase written on its own, else default.</summary>
    public bool TryGet(string phrase, out T value)
    {
        var key = string.Concat(Words(phrase).Select(w => phrase.Substring(w.Start, w.Length)));
        if (_exactCase.TryGetValue(key, out value!) || _ignoreCase.TryGetValue(key.ToUpperInvariant(), out value!))
        {
            return true;
        }

        value = default!;
        return false;
    }

    private static IEnumerable<(int Start, int Length)> Words(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || (text[i] is '\'' or '’' && i + 1 < text.Length && char.IsLetter(text[i + 1]) && i > start)))
            {
                i++;
            }

            if (i > start)
            {
                yield return (start, i - start);
            }
        }
    }
}
