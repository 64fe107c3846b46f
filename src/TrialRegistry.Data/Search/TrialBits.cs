using System.Numerics;

namespace TrialRegistry.Data.Search;

/// <summary>
/// A set of trials as one bit per trial (by its position in a <see cref="FacetIndex"/> snapshot). A set made for a
/// smaller snapshot (shared by a later one that appended trials) is shorter: the positions past its end are not in it.
/// </summary>
internal sealed class TrialBits
{
    private readonly ulong[] _words;

    public TrialBits(int size) => _words = new ulong[(size + 63) / 64];

    private TrialBits(ulong[] words) => _words = words;

    public static TrialBits All(int size)
    {
        var bits = new TrialBits(size);
        Array.Fill(bits._words, ulong.MaxValue);
        if (size % 64 != 0)
        {
            bits._words[^1] = (1UL << (size % 64)) - 1;
        }

        return bits;
    }

    public void Set(int index) => _words[index >> 6] |= 1UL << (index & 63);

    public void Clear(int index)
    {
        if (index >> 6 < _words.Length)
        {
            _words[index >> 6] &= ~(1UL << (index & 63));
        }
    }

    public bool Get(int index) => index >> 6 < _words.Length && (_words[index >> 6] & (1UL << (index & 63))) != 0;

    public TrialBits Clone() => new((ulong[])_words.Clone());

    /// <summary>A copy for a snapshot of <paramref name="size"/> trials (at least as many as this set was made for).</summary>
    public TrialBits Copy(int size)
    {
        var words = new ulong[Math.Max((size + 63) / 64, _words.Length)];
        Array.Copy(_words, words, _words.Length);
        return new TrialBits(words);
    }

    public void IntersectWith(TrialBits other)
    {
        var shared = Math.Min(_words.Length, other._words.Length);
        for (var i = 0; i < shared; i++)
        {
            _words[i] &= other._words[i];
        }

        Array.Clear(_words, shared, _words.Length - shared);
    }

    public void UnionWith(TrialBits other)
    {
        var shared = Math.Min(_words.Length, other._words.Length);
        for (var i = 0; i < shared; i++)
        {
            _words[i] |= other._words[i];
        }
    }

    public int Count()
    {
        var count = 0;
        foreach (var word in _words)
        {
            count += BitOperations.PopCount(word);
        }

        return count;
    }

    /// <summary>How many trials are in both sets, without building the intersection.</summary>
    public int CountShared(TrialBits other)
    {
        var count = 0;
        var shared = Math.Min(_words.Length, other._words.Length);
        for (var i = 0; i < shared; i++)
        {
            count += BitOperations.PopCount(_words[i] & other._words[i]);
        }

        return count;
    }
}
