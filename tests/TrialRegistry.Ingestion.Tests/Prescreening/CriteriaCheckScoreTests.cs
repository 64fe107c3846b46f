using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Testing;

namespace TrialRegistry.Ingestion.Tests.Prescreening;

/// <summary>
/// The structured checks read from real criteria items, scored against what careful readers wrote for each
/// (criteria-checks.jsonl: 470 items from ../shared, seeds and corpus, inclusion and exclusion, a third with checks
/// of every kind and the rest with none). The items themselves are read from ../shared through the parser and found
/// by the hash of their text, so the labels never copy them. A check counts as right when its kind, subject and
/// values equal a labelled check of the same item; precision must stay at or above 95% (a wrong check is worse than
/// none); recall is reported per kind (docs/prescreening.md).
/// </summary>
public sealed class CriteriaCheckScoreTests(ITestOutputHelper output)
{
    /// <summary>The development set (the reader was written against it) and a held-out set labelled afterwards and never tuned on.</summary>
    public const string DevelopmentSet = "criteria-checks.jsonl";
    public const string HeldOutSet = "criteria-checks-heldout.jsonl";

    public sealed record LabelledItem(string File, string Trial, string Side, string Hash, IReadOnlyList<JsonObject> Checks, string Text);

    public static IReadOnlyList<LabelledItem> Load(string set)
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Prescreening", set)).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var items = new List<LabelledItem>();
        foreach (var byFile in rows.GroupBy(r => (string)r["file"]!))
        {
            var parsed = DocumentParser.Default.Parse(File.ReadAllBytes(Path.Combine(SharedPaths.Root, byFile.Key)), Path.GetFileName(byFile.Key));
            var texts = new Dictionary<(string, string, string), string>();
            foreach (var record in parsed.Records)
            {
                foreach (var (side, list) in new[] { ("inclusion", record.Eligibility?.Inclusion ?? []), ("exclusion", record.Eligibility?.Exclusion ?? []) })
                {
                    foreach (var c in list)
                    {
                        texts.TryAdd((record.RegistryId ?? string.Empty, side, Hash(c.Flattened)), c.Flattened);
                    }
                }
            }

            foreach (var row in byFile)
            {
                var key = ((string)row["trial"]!, (string)row["side"]!, (string)row["hash"]!);
                Assert.True(texts.TryGetValue(key, out var text), $"labelled item {key} of {byFile.Key} is no longer an item the criteria parser reads: re-align the label (its text's hash changed)");
                items.Add(new LabelledItem(byFile.Key, key.Item1, key.Item2, key.Item3, row["checks"]!.AsArray().Select(c => c!.AsObject()).ToList(), text));
            }
        }

        return items;
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

    /// <summary>A check reduced to what must agree: kind, subject and values (conditional and either are reported apart).</summary>
    public static string Key(JsonObject check)
    {
        string S(string name) => check[name]?.ToString() ?? "";
        string N(string name) => check[name] is { } v ? Math.Round(v.GetValue<double>(), 2).ToString(CultureInfo.InvariantCulture) : "";
        var kind = S("kind");
        return kind switch
        {
            "age" or "prior-lines" => $"{kind} {N("min")}..{N("max")}",
            "ecog" => $"{kind} ≤{N("max")}",
            "karnofsky" or "lansky" => $"{kind} ≥{N("min")}",
            "sex" => $"{kind} {S("sex")}",
            "lab" => $"{kind} {S("analyte")} {S("op")} {N("value")} {S("unit")}",
            "prior-antigen-therapy" or "antigen-expression" => $"{kind} {AntigenVocabulary.Find(S("antigen"))?.Symbol ?? S("antigen")} {S("stance")}",
            "prior-transplant" => $"{kind} {S("type")} {S("stance")} {N("withinDays")}",
            "disease-state" => $"{kind} {S("state")} {S("stance")}",
            "infection" => $"{kind} {S("agent")} {S("stance")}",
            _ => $"{kind} {S("stance")}",
        };
    }

    public static JsonObject ToJson(EligibilityCheck check) => JsonSerializer.SerializeToNode(check)!.AsObject();

    [Theory]
    [InlineData(DevelopmentSet, 300)]
    [InlineData(HeldOutSet, 150)]
    public void Structured_checks_are_right_at_least_95_percent_of_the_time(string set, int size)
    {
        var items = Load(set);
        Assert.True(items.Count >= size, $"the labelled set has {items.Count} items; it needs at least {size}");
        var extractedByKind = new Dictionary<string, (int Right, int Total)>();
        var labelledByKind = new Dictionary<string, (int Found, int Total)>();
        var wrong = new List<string>();
        var missed = new List<string>();
        foreach (var item in items)
        {
            var side = item.Side == "inclusion" ? CriterionKind.Inclusion : CriterionKind.Exclusion;
            var extracted = EligibilityChecks.From(item.Text, side).Select(c => Key(ToJson(c))).ToList();
            var labelled = item.Checks.Select(Key).ToList();
            foreach (var key in extracted)
            {
                var kind = key.Split(' ')[0];
                var isRight = labelled.Contains(key);
                var (r, t) = extractedByKind.GetValueOrDefault(kind);
                extractedByKind[kind] = (r + (isRight ? 1 : 0), t + 1);
                if (!isRight)
                {
                    wrong.Add($"  {item.Hash} {item.Side}: read [{key}], labelled [{string.Join("; ", labelled)}] — {Clip(item.Text)}");
                }
            }

            foreach (var key in labelled)
            {
                var kind = key.Split(' ')[0];
                var found = extracted.Contains(key);
                var (f, t) = labelledByKind.GetValueOrDefault(kind);
                labelledByKind[kind] = (f + (found ? 1 : 0), t + 1);
                if (!found)
                {
                    missed.Add($"  {item.Hash} {item.Side}: missed [{key}], read [{string.Join("; ", extracted)}] — {Clip(item.Text)}");
                }
            }
        }

        var right = extractedByKind.Values.Sum(v => v.Right);
        var total = extractedByKind.Values.Sum(v => v.Total);
        var precision = total == 0 ? 0 : (double)right / total;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"{items.Count} items, {labelledByKind.Values.Sum(v => v.Total)} labelled checks, {total} read, {right} right: precision {precision:P1}, recall {(double)right / labelledByKind.Values.Sum(v => v.Total):P1}");
        report.AppendLine("| kind | labelled | found (recall) | read | right (precision) |");
        foreach (var kind in labelledByKind.Keys.Union(extractedByKind.Keys).Order(StringComparer.Ordinal))
        {
            var (f, lt) = labelledByKind.GetValueOrDefault(kind);
            var (r, et) = extractedByKind.GetValueOrDefault(kind);
            report.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {lt} | {f} ({(lt == 0 ? 0 : (double)f / lt):P0}) | {et} | {r} ({(et == 0 ? 0 : (double)r / et):P0}) |");
        }

        output.WriteLine(report.ToString());
        if (Environment.GetEnvironmentVariable("TRIALREGISTRY_SCORE_REPORT") is { Length: > 0 } reportDirectory)
        {
            File.WriteAllText(Path.Combine(reportDirectory, set + ".report.txt"), $"{report}\nRead and not labelled:\n{string.Join("\n", wrong)}\n\nLabelled and not read:\n{string.Join("\n", missed)}\n");
        }

        output.WriteLine("Read and not labelled:\n" + string.Join("\n", wrong));
        output.WriteLine("Labelled and not read:\n" + string.Join("\n", missed));
        Assert.True(total >= size / 5, $"only {total} checks read from {items.Count} items: the reader has stopped reading\n{report}");
        Assert.True(precision >= 0.95, $"precision {precision:P1} is below 95%\n{report}\nRead and not labelled:\n{string.Join("\n", wrong)}");
    }

    private static string Clip(string text) => text.Length <= 160 ? text : text[..160] + "…";
}
