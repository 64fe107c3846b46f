using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TrialRegistry.Data.Search;
using TrialRegistry.Data.Store;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Web.Pages.Admin;

/// <summary>
/// Correct a trial: set or remove one field's value with a reason (kept over every source until released), release a
/// correction, and resolve readers' reports about this trial.
/// </summary>
public sealed class CorrectModel(TrialReader reader, TrialStore store, ValueFlags flags) : PageModel
{
    public TrialDetail? Trial { get; private set; }
    public string Id { get; private set; } = string.Empty;
    public IReadOnlyList<FlagLine> Flags { get; private set; } = [];

    /// <summary>The field the form is about, and its value as it would be typed (the current value, or what was sent back).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Field { get; set; }

    [BindProperty]
    public string? Value { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public string? Error { get; private set; }
    public string? Done { get; private set; }

    public static IReadOnlyList<string> Fields => RecordCorrections.CorrectableFields;

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken, string? done = null)
    {
        Done = done;
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (Field is not null && Fields.Contains(Field))
        {
            // The latest version holds the value as it stands, corrections included.
            Value = Entry(Field, await CurrentValueAsync(Field, cancellationToken));
        }

        return Page();
    }

    public async Task<IActionResult> OnPostCorrectAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var (json, error) = Field is null ? (null, "Choose the field to correct.") : RecordCorrections.FromEntry(Field, Value);
        error ??= string.IsNullOrWhiteSpace(Reason) ? "Say why the value is corrected." : Reason.Length > 500 ? "A reason is at most 500 characters." : null;
        if (error is not null)
        {
            Error = error;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var result = await store.CorrectAsync(Trial!.RegistryId, Field!, json, Reason!.Trim(), User.Identity!.Name!, "page", cancellationToken);
        return RedirectToPage(new { id = Trial.RegistryId, field = Field, done = $"{Field} corrected (version {result.Version})." });
    }

    public async Task<IActionResult> OnPostReleaseAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken) || Field is null)
        {
            return NotFound();
        }

        var result = await store.ReleaseAsync(Trial!.RegistryId, Field, User.Identity!.Name!, "page", Reason, cancellationToken);
        return RedirectToPage(new { id = Trial.RegistryId, done = result.Outcome == CurationOutcome.Released ? $"The correction of {Field} was released (version {result.Version})." : $"{Field} was not corrected." });
    }

    public async Task<IActionResult> OnPostResolveAsync(string id, long flagId, string? resolution, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var resolved = await flags.ResolveAsync(flagId, User.Identity!.Name!, FlagsModel.Resolution(resolution), "page", cancellationToken);
        return RedirectToPage(new { id = Trial!.RegistryId, done = resolved ? "The report was resolved." : "That report was already resolved." });
    }

    /// <summary>Withdraws the trial (or, when it is withdrawn, restores it) with the reason given.</summary>
    public async Task<IActionResult> OnPostWithdrawalAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(Reason) || Reason.Length > 500)
        {
            Error = "Say why (at most 500 characters).";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var by = new AdminAction(User.Identity!.Name!, "page", Reason.Trim());
        var withdraw = !Trial!.Withdrawn;
        _ = withdraw ? await store.WithdrawAsync(Trial.RegistryId, by, cancellationToken) : await store.RestoreAsync(Trial.RegistryId, by, cancellationToken);
        return RedirectToPage(new { id = Trial.RegistryId, done = withdraw ? "The trial was withdrawn: it is kept, out of search." : "The trial was restored: it is searchable again." });
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        Id = id;
        Trial = await reader.GetAsync(id, cancellationToken);
        if (Trial is null)
        {
            return false;
        }

        Flags = await flags.ListAsync(open: true, registryId: Trial.RegistryId, cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>The field's value in the trial's latest version, as stored JSON.</summary>
    private async Task<string?> CurrentValueAsync(string field, CancellationToken cancellationToken) =>
        await reader.SnapshotAsync(Trial!.RegistryId, cancellationToken) is { } record ? RecordCorrections.ValueOf(record, field) : null;

    /// <summary>A stored JSON value as the form takes it: text as is, a list one value a line, anything else as JSON.</summary>
    public static string? Entry(string field, string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var parsed = System.Text.Json.JsonDocument.Parse(json);
        var root = parsed.RootElement;
        return RecordCorrections.EntryOf(field) switch
        {
            RecordCorrections.Entry.Text when root.ValueKind == System.Text.Json.JsonValueKind.String => root.GetString(),
            RecordCorrections.Entry.Lines when root.ValueKind == System.Text.Json.JsonValueKind.Array => string.Join('\n', root.EnumerateArray().Select(e => e.ToString())),
            _ => System.Text.Json.JsonSerializer.Serialize(root, new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
        };
    }

    public static string HowToType(string field) => RecordCorrections.EntryOf(field) switch
    {
        RecordCorrections.Entry.Text => "one line of text",
        RecordCorrections.Entry.Lines => "one value a line",
        _ => "JSON, in the shape the record stores",
    };
}
