using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TrialRegistry.Ingestion.Model;

/// <summary>
/// A record as the store keeps it: its JSON (versions' snapshots, each document's record), the fields that differ
/// between two versions, one field's JSON for showing a change, and the hash of its content.
/// </summary>
public static class RecordJson
{
    /// <summary>How records are stored (snapshots, per-document records): every field, enums by name.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(TrialRecord record) => JsonSerializer.Serialize(record, Options);

    public static TrialRecord Deserialize(string json) =>
        JsonSerializer.Deserialize<TrialRecord>(json, Options) ?? throw new InvalidOperationException("empty stored record");

    /// <summary>The top-level fields whose values differ between two records (the source is not compared).</summary>
    public static IReadOnlyList<string> ChangedFields(TrialRecord? before, TrialRecord after)
    {
        var a = before is null ? new JsonObject() : Fields(before);
        var b = Fields(after);
        return b.Select(p => p.Key).Union(a.Select(p => p.Key))
            .Where(k => k != "source" && !JsonNode.DeepEquals(a[k], b[k]))
            .ToList();
    }

    /// <summary>One top-level field of a record as JSON (null when absent), for showing a change.</summary>
    public static string? FieldJson(TrialRecord record, string field) =>
        Fields(record)[field] is { } node ? node.ToJsonString(Options) : null;

    /// <summary>A hash of the record's content, ignoring which document it came from.</summary>
    public static string ContentHash(TrialRecord record)
    {
        var fields = Fields(record);
        fields.Remove("source");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fields.ToJsonString())));
    }

    private static JsonObject Fields(TrialRecord record) =>
        JsonSerializer.SerializeToNode(record, Options)!.AsObject();
}
