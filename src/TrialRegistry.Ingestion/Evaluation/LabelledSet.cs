using System.Globalization;
using System.Text.Json;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Evaluation;

/// <summary>One field of one labelled document: what a careful reader took, what the parser read, and whether they agree.</summary>
public sealed record FieldScore(string Document, string Field, bool Right, string Expected, string Actual);

/// <summary>The parser's agreement with a labelled set, field by field.</summary>
public sealed record EvaluationReport(IReadOnlyList<FieldScore> Scores, IReadOnlyList<string> UnknownDocuments)
{
    public int Right => Scores.Count(s => s.Right);

    public double Accuracy => Scores.Count == 0 ? 0 : (double)Right / Scores.Count;

    public int Documents => Scores.Select(s => s.Document).Distinct().Count();

    /// <summary>Accuracy of each field over the documents, in the labelled set's field order.</summary>
    public IReadOnlyList<(string Field, int Right, int Total)> ByField =>
        Scores.GroupBy(s => s.Field).Select(g => (g.Key, g.Count(s => s.Right), g.Count())).ToList();

    /// <summary>The table the CLI prints: one line a field, the misses, then the totals in the last lines.</summary>
    public string ToTable(bool withMisses = true)
    {
        var lines = new List<string> { $"{"field",-18} {"right",7} {"accuracy",9}" };
        lines.AddRange(ByField.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Field,-18} {f.Right,3}/{f.Total,-3} {100.0 * f.Right / f.Total,8:0.0}%")));
        if (withMisses)
        {
            lines.Add(string.Empty);
            lines.Add("misses (document, field: expected | read):");
            lines.AddRange(Scores.Where(s => !s.Right).Select(s => $"  {s.Document}, {s.Field}: {s.Expected} | {s.Actual}"));
        }

        lines.Add(string.Empty);
        lines.Add($"documents: {Documents}, read as unknown: {UnknownDocuments.Count}{(UnknownDocuments.Count > 0 ? " (" + string.Join(", ", UnknownDocuments) + ")" : string.Empty)}");
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"fields right: {Right}/{Scores.Count}"));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"accuracy: {100.0 * Accuracy:0.0}%"));
        return string.Join('\n', lines);
    }
}

/// <summary>
/// Scores the parser on a labelled set: a folder with <c>docs/NAME.*</c> and <c>expected/NAME.json</c> (the keys of
/// shared/corpus/labelled/README.md). Lists compare as sets, text with white space folded and case ignored, a title
/// given as a list is right when any of its readings is, dose levels compare by value and unit.
/// </summary>
public static class LabelledSet
{
    public static EvaluationReport Evaluate(string folder, DocumentParser parser)
    {
        var docs = Path.Combine(folder, "docs");
        var expectedDir = Path.Combine(folder, "expected");
        if (!Directory.Exists(docs) || !Directory.Exists(expectedDir))
        {
            throw new DirectoryNotFoundException($"a labelled set needs {docs} and {expectedDir}");
        }

        var scores = new List<FieldScore>();
        var unknown = new List<string>();
        foreach (var expectedFile in Directory.GetFiles(expectedDir, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(expectedFile);
            var doc = Directory.GetFiles(docs, name + ".*").FirstOrDefault();
            if (doc is null)
            {
                continue;
            }

            var parsed = parser.Parse(File.ReadAllBytes(doc), Path.GetFileName(doc));
            if (!parsed.Recognized)
            {
                unknown.Add(name);
            }

            using var expected = JsonDocument.Parse(File.ReadAllText(expectedFile));
            scores.AddRange(Score(name, expected.RootElement, parsed.Records[0]));
        }

        return new EvaluationReport(scores, unknown);
    }

    public static IEnumerable<FieldScore> Score(string document, JsonElement expected, TrialRecord actual)
    {
        foreach (var property in expected.EnumerateObject())
        {
            var (right, read) = property.Name switch
            {
                "registryId" => Text(property.Value, actual.RegistryId is { } id && !id.StartsWith("TR-", StringComparison.Ordinal) ? id : null),
                "title" => Text(property.Value, actual.Title),
                "status" => Text(property.Value, VocabularyNames.ToName(actual.Status)),
                "phases" => Set(property.Value, actual.Phases.Select(p => VocabularyNames.ToName(p))),
                "enrollmentCount" => Number(property.Value, actual.Enrollment?.Count),
                "conditions" => Set(property.Value, actual.Conditions),
                "targetAntigens" => Set(property.Value, actual.TargetAntigens),
                "modality" => Text(property.Value, VocabularyNames.ToName(actual.Modality)),
                "productType" => Text(property.Value, VocabularyNames.ToName(actual.ProductType)),
                "routes" => Set(property.Value, actual.Routes.Select(r => VocabularyNames.ToName(r))),
                "doseLevels" => Doses(property.Value, actual.DoseLevels),
                "minAgeYears" => Number(property.Value, actual.Eligibility?.MinAgeYears),
                "maxAgeYears" => Number(property.Value, actual.Eligibility?.MaxAgeYears),
                "sex" => Text(property.Value, VocabularyNames.ToName(actual.Eligibility?.Sex)),
                "inclusionCount" => Number(property.Value, actual.Eligibility?.Inclusion.Count ?? 0),
                "exclusionCount" => Number(property.Value, actual.Eligibility?.Exclusion.Count ?? 0),
                "leadSponsor" => Text(property.Value, actual.Sponsors.FirstOrDefault(s => s.Role == SponsorRole.Lead)?.Name),
                "countries" => Set(property.Value, actual.Locations.Select(l => l.Country).OfType<string>()),
                "lymphodepletion" => Set(property.Value, actual.Lymphodepletion),
                _ => (true, "(not scored)"),
            };
            if (read != "(not scored)")
            {
                yield return new FieldScore(document, property.Name, right, Show(property.Value), read);
            }
        }
    }

    private static string Fold(string? text) => (TextClean.Fold(text) ?? string.Empty).ToUpperInvariant();

    /// <summary>Text: equal after folding; a list of readings is right when the parser read any of them.</summary>
    private static (bool, string) Text(JsonElement expected, string? read)
    {
        var readings = expected.ValueKind switch
        {
            JsonValueKind.Array => expected.EnumerateArray().Select(e => e.GetString()).ToList(),
            JsonValueKind.Null => [null],
            _ => [expected.GetString()],
        };
        if (readings is [null])
        {
            return (read is null, read ?? "null");
        }

        return (read is not null && readings.Any(r => Fold(r) == Fold(read)), read ?? "null");
    }

    private static (bool, string) Set(JsonElement expected, IEnumerable<string?> actual)
    {
        var want = expected.ValueKind == JsonValueKind.Array ? expected.EnumerateArray().Select(e => Fold(e.GetString())).ToHashSet() : [];
        var got = actual.Select(Fold).ToHashSet();
        return (want.SetEquals(got), "[" + string.Join(", ", actual) + "]");
    }

    private static (bool, string) Number(JsonElement expected, int? actual)
    {
        int? want = expected.ValueKind == JsonValueKind.Number ? expected.GetInt32() : null;
        return (want == actual, actual?.ToString(CultureInfo.InvariantCulture) ?? "null");
    }

    private static (bool, string) Doses(JsonElement expected, IReadOnlyList<DoseLevel> actual)
    {
        var want = expected.EnumerateArray()
            .Select(d => (Math.Round(d.GetProperty("value").GetDouble()), d.GetProperty("unit").GetString()))
            .ToHashSet();
        var got = actual.Select(d => (Math.Round(d.Value), (string?)VocabularyNames.ToName(d.Unit))).ToHashSet();
        return (want.SetEquals(got), "[" + string.Join(", ", actual.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Value:G4} {VocabularyNames.ToName(d.Unit)}"))) + "]");
    }

    private static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array when value.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.Object) =>
            "[" + string.Join(", ", value.EnumerateArray().Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.GetProperty("value").GetDouble():G4} {d.GetProperty("unit").GetString()}"))) + "]",
        _ => value.GetRawText(),
    };
}
