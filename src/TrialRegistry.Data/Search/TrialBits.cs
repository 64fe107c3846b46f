using System.Numerics;

namespace TrialRegistry.Data.Search;

/// <summary>A set of trials as one bit per trial (by its position in a <see cref="FacetIndex"/> snapshot).</summary>
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

    public bool Get(int index) => (_words[index >> 6] & (1UL << (index & 63))) != 0;

    public TrialBits Clone() => new((ulong[])_words.Clone());

    public void IntersectWith(TrialBits other)
    {
        for (var i = 0; i < _words.Length; i++)
        {
            _words[i] &= other._words[i];
        }
    }

    public void UnionWith(TrialBits other)
    {
        for (var i = 0; i < _words.Length; i++)
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
        for (var i = 0; i < _words.Length; i++)
        {
            count += BitOperations.PopCount(_words[i] & other._words[i]);
        }

        return count;
    }
}
