using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrialRegistry.Ingestion.Model;

/// <summary>An admin's value for one top-level field of a trial, as stored JSON (<see cref="RecordJson.Options"/>); null: the field has no value.</summary>
public sealed record FieldCorrection(string Field, string? ValueJson);

/// <summary>
/// Corrections by an admin, laid over the merged record: a corrected field takes the admin's value whatever the
/// sources say (also "no value", which the merge alone never gives), and is no longer inferred. Which fields can be
/// corrected, and how a value typed on a page becomes the field's JSON, are decided here from the record's own shape.
/// </summary>
public static class RecordCorrections
{
    private static readonly JsonObject EmptyFields = Fields(new TrialRecord { Source = new SourceInfo(null, "manual", string.Empty) });

    private static readonly Dictionary<string, PropertyInfo> Properties = typeof(TrialRecord).GetProperties()
        .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.Ordinal);

    /// <summary>
    /// The fields an admin may correct: every field of a record but its identity and bookkeeping (registry id, source,
    /// inferred fields, warnings), in the record's order.
    /// </summary>
    public static IReadOnlyList<string> CorrectableFields { get; } = [.. EmptyFields.Select(p => p.Key).Where(k => k is not ("registryId" or "source" or "inferred" or "warnings"))];

    /// <summary>How a field's value is typed on a page.</summary>
    public enum Entry
    {
        /// <summary>One line of text (a title, a status name, a date).</summary>
        Text,
        /// <summary>One value a line (conditions, antigens, phase names).</summary>
        Lines,
        /// <summary>The stored JSON (arms, eligibility, sites).</summary>
        Json,
    }

    public static Entry EntryOf(string field)
    {
        var type = Properties[field].PropertyType;
        var scalar = Nullable.GetUnderlyingType(type) ?? type;
        if (scalar == typeof(string) || scalar.IsEnum)
        {
            return Entry.Text;
        }

        return type.IsGenericType && type.GetGenericArguments()[0] is { } item && (item == typeof(string) || item.IsEnum) ? Entry.Lines : Entry.Json;
    }

    /// <summary>The field's value in a record, as stored JSON (null when it has none: null or an empty list).</summary>
    public static string? ValueOf(TrialRecord record, string field) =>
        Fields(record)[field] is { } node && !(node is JsonArray { Count: 0 }) ? node.ToJsonString(RecordJson.Options) : null;

    /// <summary>
    /// Reads a value as typed on a page into the field's JSON: text as a string, lines as a list, JSON as given; a blank
    /// entry is "no value". Null Json with an Error when the value does not fit the field.
    /// </summary>
    public static (string? Json, string? Error) FromEntry(string field, string? entry)
    {
        if (!CorrectableFields.Contains(field))
        {
            return (null, $"'{field}' is not a field that can be corrected.");
        }

        if (string.IsNullOrWhiteSpace(entry))
        {
            return (null, null);
        }

        JsonNode? node;
        switch (EntryOf(field))
        {
            case Entry.Text:
                node = JsonValue.Create(Normalized(field, entry.Trim()));
                break;
            case Entry.Lines:
                node = new JsonArray([.. entry.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(l => (JsonNode?)JsonValue.Create(Normalized(field, l)))]);
                break;
            default:
                try
                {
                    node = JsonNode.Parse(entry);
                }
                catch (JsonException ex)
                {
                    return (null, $"The value of '{field}' is not JSON: {ex.Message}");
                }

                break;
        }

        return Check(field, node);
    }

    /// <summary>Checks a JSON value against the field's type; the value as stored JSON (null: no value), or an error.</summary>
    public static (string? Json, string? Error) Check(string field, JsonNode? value)
    {
        if (!CorrectableFields.Contains(field))
        {
            return (null, $"'{field}' is not a field that can be corrected; the fields are: {string.Join(", ", CorrectableFields)}.");
        }

        if (value is null || value is JsonArray { Count: 0 })
        {
            return (null, null);
        }

        try
        {
            var fields = EmptyFields.DeepClone().AsObject();
            fields[field] = value.DeepClone();
            var record = fields.Deserialize<TrialRecord>(RecordJson.Options) ?? throw new JsonException("empty");
            return (Fields(record)[field]?.ToJsonString(RecordJson.Options), null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException)
        {
            return (null, $"That is not a value of '{field}': {ex.Message}");
        }
    }

    /// <summary>The merged record with the corrections laid over it.</summary>
    public static TrialRecord Apply(TrialRecord merged, IReadOnlyCollection<FieldCorrection> corrections)
    {
        if (corrections.Count == 0)
        {
            return merged;
        }

        var fields = Fields(merged);
        foreach (var correction in corrections)
        {
            fields[correction.Field] = correction.ValueJson is null ? EmptyFields[correction.Field]?.DeepClone() : JsonNode.Parse(correction.ValueJson);
        }

        // What an admin set is not a guess: the field (and for eligibility its parts) is no longer inferred.
        var corrected = corrections.Select(c => c.Field).ToHashSet(StringComparer.Ordinal);
        fields["inferred"] = new JsonArray([.. merged.Inferred.Where(f => !corrected.Contains(f.Split('.')[0])).Select(f => (JsonNode?)JsonValue.Create(f))]);
        return fields.Deserialize<TrialRecord>(RecordJson.Options)!;
    }

    /// <summary>The corrected fields whose value a source record states differently: the correction is kept over it.</summary>
    public static IReadOnlyList<string> Overridden(TrialRecord incoming, IReadOnlyCollection<FieldCorrection> corrections) =>
        [.. corrections.Where(c => ValueOf(incoming, c.Field) is { } stated && !JsonNode.DeepEquals(JsonNode.Parse(stated), c.ValueJson is null ? null : JsonNode.Parse(c.ValueJson)))
            .Select(c => c.Field)];

    /// <summary>Vocabulary names typed any way ("Phase 1", "recruiting") as the stored name, where the field is one.</summary>
    private static string Normalized(string field, string text)
    {
        var type = Properties[field].PropertyType;
        var item = type.IsGenericType ? type.GetGenericArguments()[0] : type;
        var enumType = Nullable.GetUnderlyingType(item) ?? item;
        if (!enumType.IsEnum)
        {
            return text;
        }

        var parse = typeof(VocabularyNames).GetMethod(nameof(VocabularyNames.Parse))!.MakeGenericMethod(enumType);
        var parsed = parse.Invoke(null, [text]);
        return parsed is null ? text : JsonSerializer.SerializeToNode(parsed, enumType, RecordJson.Options)!.GetValue<string>();
    }

    private static JsonObject Fields(TrialRecord record) => JsonSerializer.SerializeToNode(record, RecordJson.Options)!.AsObject();
}
