using System.Collections.Concurrent;
using System.Text;

namespace TrialRegistry.Ingestion.Model;

/// <summary>
/// The one place that turns vocabulary enums into ClinicalTrials.gov's names and back
/// (<c>ActiveNotRecruiting</c> &lt;-&gt; <c>ACTIVE_NOT_RECRUITING</c>). The API, the parse output and the
/// database all use these names.
/// </summary>
public static class VocabularyNames
{
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    public static string ToName<T>(T value) where T : struct, Enum =>
        Names.GetOrAdd(value, static v => ToUpperSnake(v.ToString()));

    public static string? ToName<T>(T? value) where T : struct, Enum =>
        value is { } v ? ToName(v) : null;

    /// <summary>A value as typed (any of the forms <see cref="Parse{T}"/> reads) as its ClinicalTrials.gov name; null when it is none.</summary>
    public static string? Canonical<T>(string? text) where T : struct, Enum =>
        Parse<T>(text) is { } parsed ? ToName(parsed) : null;

    /// <summary>Parses a ClinicalTrials.gov name (<c>PHASE1</c>), an enum name (<c>Phase1</c>) or a
    /// human form (<c>Phase 1</c>, <c>Active, not recruiting</c>); null when it is none of them.</summary>
    public static T? Parse<T>(string? text) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var key = Squash(text);
        foreach (var value in Enum.GetValues<T>())
        {
            if (Squash(value.ToString()) == key)
            {
                return value;
            }
        }

        return Aliases.TryGetValue((typeof(T), key), out var alias) ? (T)alias : null;
    }

    /// <summary>Older ClinicalTrials.gov wordings (legacy XML) for today's names.</summary>
    private static readonly Dictionary<(Type, string), Enum> Aliases = new()
    {
        [(typeof(TrialStatus), "UNKNOWNSTATUS")] = TrialStatus.Unknown,
        [(typeof(TrialStatus), "WITHHELD")] = TrialStatus.WithheldFromPublic,
        [(typeof(TrialPhase), "NOTAPPLICABLE")] = TrialPhase.Na,
        [(typeof(TrialPhase), "NA")] = TrialPhase.Na,
    };

    public static IReadOnlyList<string> AllNames<T>() where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => ToName(v)).ToArray();

    private static string Squash(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
        }

        return sb.ToString();
    }

    private static string ToUpperSnake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (i > 0 && char.IsUpper(c))
            {
                sb.Append('_');
            }

            sb.Append(char.ToUpperInvariant(c));
        }

        return sb.ToString();
    }
}
