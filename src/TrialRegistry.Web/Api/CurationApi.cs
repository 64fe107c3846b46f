using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using TrialRegistry.Data.Search;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Web.Infrastructure;

namespace TrialRegistry.Web.Api;

/// <summary>An admin's value for a field: <c>value</c> in the field's JSON shape (as GET /trials/{id}/versions/{n} stores it; null removes the value), and why.</summary>
public sealed record CorrectionRequest(JsonElement Value, string? Reason);

/// <summary>What a correction or its release did: the trial's version after it, and the fields whose values changed.</summary>
public sealed record CorrectionResponse(string RegistryId, string Field, int Version, IReadOnlyList<string> ChangedFields);

/// <summary>A reader's report that a value is wrong: the field (or "other") and what is wrong with it.</summary>
public sealed record FlagRequest(string? Field, string? Message);

public sealed record FlagAccepted(long Id);

/// <summary>Why an admin resolved a report (corrected, or why not).</summary>
public sealed record FlagResolution(string? Resolution);

/// <summary>
/// Curation: admins correct a field of a trial (kept over every source until released) and work through readers'
/// reports of wrong values; anyone may file a report.
/// </summary>
public static class CurationApi
{
    private const int MaxReason = 500;

    public static IEndpointRouteBuilder MapCurationApi(this IEndpointRouteBuilder app)
    {
        var trials = app.MapGroup("/api/v1/trials").WithTags("Curation").RequireRateLimiting(TrialsApi.RateLimitPolicy);
        trials.ProducesProblem(StatusCodes.Status429TooManyRequests);
        trials.MapPost("/{id}/flags", FlagAsync).WithName("FlagTrialValue")
            .WithSummary("Report a wrong value on a trial (anyone): the report waits for an admin; nothing about the reporter is kept");
        var corrections = trials.MapAdminGroup(AdminAuthentication.CuratorApiPolicy);
        corrections.MapPut("/{id}/corrections/{field}", CorrectAsync).WithName("CorrectTrialField")
            .WithSummary("Correct one field of a trial (admin): the value wins over every source, also later ones, until released")
            .WithDescription($"Body: {{\"value\": …, \"reason\": \"…\"}}. The value has the field's JSON shape (a string, a list, an object as the record stores it); null removes the value. The fields: {string.Join(", ", RecordCorrections.CorrectableFields)}.");
        corrections.MapDelete("/{id}/corrections/{field}", ReleaseAsync).WithName("ReleaseTrialCorrection")
            .WithSummary("Release a correction (admin): the sources' value comes back");

        var flags = app.MapGroup("/api/v1/flags").WithTags("Curation").RequireRateLimiting(TrialsApi.RateLimitPolicy).MapAdminGroup(AdminAuthentication.CuratorApiPolicy);
        flags.MapGet("", ListFlagsAsync).WithName("ListFlags")
            .WithSummary("Readers' reports of wrong values (admin): open ones oldest first, or open=false for resolved ones");
        flags.MapPost("/{flagId:long}/resolve", ResolveFlagAsync).WithName("ResolveFlag")
            .WithSummary("Resolve a report (admin), with what was done");
        return app;
    }

    private static ProblemHttpResult NoTrial(string id) =>
        TypedResults.Problem(statusCode: 404, title: "No such trial", detail: $"No trial has the registry id '{id}'.");

    private static ValidationProblem? CheckReason(string? reason, bool required) =>
        required && string.IsNullOrWhiteSpace(reason) ? Invalid("reason", "Say why the value is corrected (at most 500 characters).")
        : reason is { Length: > MaxReason } ? Invalid("reason", "A reason is at most 500 characters.")
        : null;

    private static ValidationProblem Invalid(string parameter, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [parameter] = [message] }, title: "The request is not valid");

    private static async Task<Results<Ok<CorrectionResponse>, ValidationProblem, ProblemHttpResult>> CorrectAsync(
        string id, string field, CorrectionRequest body, TrialStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (!RecordCorrections.CorrectableFields.Contains(field))
        {
            return Invalid("field", $"'{field}' is not a field that can be corrected; the fields are: {string.Join(", ", RecordCorrections.CorrectableFields)}.");
        }

        if (body.Value.ValueKind == JsonValueKind.Undefined)
        {
            return Invalid("value", "Give the value (null removes the field's value).");
        }

        if (CheckReason(body.Reason, required: true) is { } bad)
        {
            return bad;
        }

        var (json, error) = RecordCorrections.Check(field, body.Value.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(body.Value.GetRawText()));
        if (error is not null)
        {
            return Invalid("value", error);
        }

        var registryId = TrialReader.NormalizeId(id);
        var result = await store.CorrectAsync(registryId, field, json, body.Reason!.Trim(), http.User.Identity!.Name!, "api", cancellationToken);
        return result.Outcome == CurationOutcome.NoSuchTrial
            ? NoTrial(id)
            : TypedResults.Ok(new CorrectionResponse(registryId, field, result.Version, result.ChangedFields));
    }

    private static async Task<Results<Ok<CorrectionResponse>, ValidationProblem, ProblemHttpResult>> ReleaseAsync(
        string id, string field, TrialStore store, HttpContext http, CancellationToken cancellationToken, string? reason = null)
    {
        if (CheckReason(reason, required: false) is { } bad)
        {
            return bad;
        }

        var registryId = TrialReader.NormalizeId(id);
        var result = await store.ReleaseAsync(registryId, field, http.User.Identity!.Name!, "api", reason?.Trim(), cancellationToken);
        return result.Outcome switch
        {
            CurationOutcome.NoSuchTrial => NoTrial(id),
            CurationOutcome.NotCorrected => TypedResults.Problem(statusCode: 404, title: "No correction", detail: $"'{field}' of {registryId} is not corrected."),
            _ => TypedResults.Ok(new CorrectionResponse(registryId, field, result.Version, result.ChangedFields)),
        };
    }

    private static async Task<Results<Accepted<FlagAccepted>, ValidationProblem, ProblemHttpResult>> FlagAsync(string id, FlagRequest body, ValueFlags flags, CancellationToken cancellationToken)
    {
        var field = body.Field?.Trim() ?? string.Empty;
        if (!ValueFlags.Subjects.Contains(field))
        {
            return Invalid("field", $"Say which value is wrong: one of {string.Join(", ", ValueFlags.Subjects)}.");
        }

        if (string.IsNullOrWhiteSpace(body.Message) || body.Message.Length > ValueFlags.MaxMessage || body.Message.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            return Invalid("message", $"Say what is wrong, in at most {ValueFlags.MaxMessage} characters of text.");
        }

        var flagId = await flags.AddAsync(TrialReader.NormalizeId(id), field, body.Message, cancellationToken);
        return flagId is null ? NoTrial(id) : TypedResults.Accepted((string?)null, new FlagAccepted(flagId.Value));
    }

    private static async Task<Ok<IReadOnlyList<FlagLine>>> ListFlagsAsync(ValueFlags flags, CancellationToken cancellationToken, bool open = true) =>
        TypedResults.Ok(await flags.ListAsync(open, cancellationToken: cancellationToken));

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ResolveFlagAsync(long flagId, FlagResolution body, ValueFlags flags, HttpContext http, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Resolution) || body.Resolution.Length > MaxReason)
        {
            return Invalid("resolution", "Say what was done (at most 500 characters).");
        }

        return await flags.ResolveAsync(flagId, http.User.Identity!.Name!, body.Resolution, "api", cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: 404, title: "No such open report", detail: $"There is no open report {flagId}.");
    }
}
