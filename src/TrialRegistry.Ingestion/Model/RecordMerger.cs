using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TrialRegistry.Ingestion.Model;

/// <summary>
/// Merges the records several documents give for one trial into one. Records are applied oldest first; a later
/// record's value replaces an earlier one only where the later record states it (a non-null value, a non-empty
/// list), so an aggregator scrape with empty labels never erases what a registry page said. The merge says
/// which record each field came from.
/// </summary>
public static class RecordMerger
{
    /// <summary>How records are stored (snapshots, per-document records): every field, enums by name.</summary>
    public static JsonSerializerOptions StorageJson { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(TrialRecord record) => JsonSerializer.Serialize(record, StorageJson);

    public static TrialRecord Deserialize(string json) =>
        JsonSerializer.Deserialize<TrialRecord>(json, StorageJson) ?? throw new InvalidOperationException("empty stored record");

    public static (TrialRecord Merged, IReadOnlyDictionary<string, SourceInfo> FieldSources) Merge(IReadOnlyList<TrialRecord> oldestFirst)
    {
        if (oldestFirst.Count == 0)
        {
            throw new ArgumentException("nothing to merge", nameof(oldestFirst));
        }

        var sources = new Dictionary<string, SourceInfo>();
        var merged = oldestFirst[0];
        Track(sources, merged, null);
        foreach (var next in oldestFirst.Skip(1))
        {
            var before = merged;
            merged = new TrialRecord
            {
                Source = next.Source,
                RegistryId = next.RegistryId ?? merged.RegistryId,
                SecondaryIds = Pick(next.SecondaryIds, merged.SecondaryIds),
                Title = next.Title ?? merged.Title,
                OfficialTitle = next.OfficialTitle ?? merged.OfficialTitle,
                BriefSummary = next.BriefSummary ?? merged.BriefSummary,
                DetailedDescription = next.DetailedDescription ?? merged.DetailedDescription,
                Status = next.Status ?? merged.Status,
                Phases = Pick(next.Phases, merged.Phases),
                StudyType = next.StudyType ?? merged.StudyType,
                Enrollment = next.Enrollment ?? merged.Enrollment,
                StartDate = next.StartDate ?? merged.StartDate,
                CompletionDate = next.CompletionDate ?? merged.CompletionDate,
                LastUpdated = next.LastUpdated ?? merged.LastUpdated,
                Conditions = Pick(next.Conditions, merged.Conditions),
                TargetAntigens = Pick(next.TargetAntigens, merged.TargetAntigens),
                Modality = next.Modality ?? merged.Modality,
                ProductType = next.ProductType ?? merged.ProductType,
                Products = Pick(next.Products, merged.Products),
                Routes = Pick(next.Routes, merged.Routes),
                Lymphodepletion = Pick(next.Lymphodepletion, merged.Lymphodepletion),
                DoseLevels = Pick(next.DoseLevels, merged.DoseLevels),
                Arms = Pick(next.Arms, merged.Arms),
                Interventions = Pick(next.Interventions, merged.Interventions),
                Eligibility = MergeEligibility(merged.Eligibility, next.Eligibility),
                Sponsors = Pick(next.Sponsors, merged.Sponsors),
                Locations = Pick(next.Locations, merged.Locations),
                Contacts = Pick(next.Contacts, merged.Contacts),
                Outcomes = Pick(next.Outcomes, merged.Outcomes),
                Inferred = merged.Inferred.Union(next.Inferred).ToList(),
                Warnings = next.Warnings,
            };
            Track(sources, next, before);
        }

        return (merged, sources);
    }

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
        Fields(record)[field] is { } node ? node.ToJsonString(StorageJson) : null;

    /// <summary>A hash of the record's content, ignoring which document it came from.</summary>
    public static string ContentHash(TrialRecord record)
    {
        var fields = Fields(record);
        fields.Remove("source");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fields.ToJsonString())));
    }

    private static JsonObject Fields(TrialRecord record) =>
        JsonSerializer.SerializeToNode(record, StorageJson)!.AsObject();

    private static IReadOnlyList<T> Pick<T>(IReadOnlyList<T> next, IReadOnlyList<T> current) => next.Count > 0 ? next : current;

    private static Eligibility? MergeEligibility(Eligibility? current, Eligibility? next)
    {
        if (next is null || current is null)
        {
            return next ?? current;
        }

        var nextHasCriteria = next.Inclusion.Count + next.Exclusion.Count > 0;
        return new Eligibility
        {
            MinAgeYears = next.MinAgeYears ?? current.MinAgeYears,
            MaxAgeYears = next.MaxAgeYears ?? current.MaxAgeYears,
            Sex = next.Sex ?? current.Sex,
            HealthyVolunteers = next.HealthyVolunteers ?? current.HealthyVolunteers,
            Inclusion = nextHasCriteria ? next.Inclusion : current.Inclusion,
            Exclusion = nextHasCriteria ? next.Exclusion : current.Exclusion,
            CriteriaText = nextHasCriteria ? next.CriteriaText : current.CriteriaText,
        };
    }

    private static void Track(Dictionary<string, SourceInfo> sources, TrialRecord record, TrialRecord? before)
    {
        var now = Fields(record);
        var then = before is null ? null : Fields(before);
        foreach (var (key, value) in now)
        {
            if (key is "source" or "inferred" or "warnings" || IsEmpty(value))
            {
                continue;
            }

            if (then is null || !JsonNode.DeepEquals(then[key], value) || !sources.ContainsKey(key))
            {
                sources[key] = record.Source;
            }
        }
    }

    private static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        _ => false,
    };
}
