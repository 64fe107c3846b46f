using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace TrialRegistry.Data.Search;

/// <summary>
/// Values kept by key, at most <c>most</c> of them: when the set is full it starts again (the values are cheap to
/// make again, and what a registry's searches ask for repeats). Safe for concurrent readers.
/// </summary>
internal sealed class KeptValues<T>(int most)
    where T : class
{
    private readonly ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);

    public bool TryGet(string key, [MaybeNullWhen(false)] out T value) => _values.TryGetValue(key, out value);

    public T Keep(string key, T value)
    {
        if (_values.Count >= most)
        {
            _values.Clear();
        }

        return _values[key] = value;
    }
}
