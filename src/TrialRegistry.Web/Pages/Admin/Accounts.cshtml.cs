using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TrialRegistry.Data.Admins;
using TrialRegistry.Data.Uploads;
using TrialRegistry.Data.Model;
using TrialRegistry.Web.Pages.Shared;

namespace TrialRegistry.Web.Pages.Admin;

/// <summary>
/// Who may write (curators only): admins with their role, state, sessions and API keys; create an admin, change a
/// role, disable or enable, sign out everywhere, set a new password, remove; issue a named key with an end date,
/// revoke one. A new password or key is shown once, on the answer to the request that made it.
/// </summary>
public sealed class AccountsModel(AdminAccounts accounts) : PageModel
{
    public IReadOnlyList<AdminAccountView> Admins { get; private set; } = [];

    /// <summary>What was done, or why not.</summary>
    public string? Message { get; private set; }

    public bool Refused { get; private set; }

    /// <summary>A new secret (password or key) and whose it is, shown this once.</summary>
    public (string What, string Secret)? Shown { get; private set; }

    public DateTimeOffset Now { get; } = DateTimeOffset.UtcNow;

    private string Actor => User.Identity!.Name!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Admins = await accounts.ListAsync(cancellationToken);

    public Task<IActionResult> OnPostCreateAsync(string userName, AdminRole role, CancellationToken cancellationToken) => DoAsync(async () =>
    {
        var password = AdminAccounts.NewSecret();
        await accounts.CreateAsync(userName.Trim(), password, role, Actor, cancellationToken);
        Shown = ($"{userName.Trim()}'s password", password);
        return $"{userName.Trim()} can sign in as {Display.Name(role.ToString().ToUpperInvariant())}. Give them the password below; they should keep it somewhere safe.";
    }, cancellationToken);

    public Task<IActionResult> OnPostRoleAsync(string userName, AdminRole role, CancellationToken cancellationToken) => DoAsync(async () =>
        await accounts.SetRoleAsync(userName, role, Actor, cancellationToken)
            ? $"{userName} is now {Display.Name(role.ToString().ToUpperInvariant()).ToLowerInvariant()}; their sessions ended."
            : null, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(string userName, bool disabled, CancellationToken cancellationToken) => DoAsync(async () =>
        await accounts.SetDisabledAsync(userName, disabled, Actor, cancellationToken)
            ? disabled ? $"{userName} is disabled: signed out everywhere, their keys refused." : $"{userName} may sign in again."
            : null, cancellationToken);

    public Task<IActionResult> OnPostSessionsAsync(string userName, CancellationToken cancellationToken) => DoAsync(async () =>
        await accounts.RevokeSessionsAsync(userName, Actor, cancellationToken) ? $"{userName} is signed out everywhere." : null, cancellationToken);

    public Task<IActionResult> OnPostPasswordAsync(string userName, CancellationToken cancellationToken) => DoAsync(async () =>
    {
        var password = AdminAccounts.NewSecret();
        if (!await accounts.ResetPasswordAsync(userName, password, Actor, cancellationToken))
        {
            return null;
        }

        Shown = ($"{userName}'s new password", password);
        return $"{userName} has a new password (below); their sessions ended.";
    }, cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(string userName, bool sure, CancellationToken cancellationToken) => DoAsync(async () =>
    {
        if (userName == Actor)
        {
            throw new ArgumentException("You cannot remove your own account.");
        }

        if (!sure)
        {
            throw new ArgumentException($"Tick 'yes, remove {userName}' to remove the account.");
        }

        return await accounts.RemoveAsync(userName, Actor, cancellationToken) ? $"{userName} is removed, with their sessions and keys." : null;
    }, cancellationToken);

    public Task<IActionResult> OnPostKeyAsync(string userName, string name, string? expires, CancellationToken cancellationToken) => DoAsync(async () =>
    {
        DateTimeOffset? end = null;
        if (!string.IsNullOrWhiteSpace(expires))
        {
            end = DateTimeOffset.TryParseExact(expires, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var day)
                ? day.ToUniversalTime()
                : throw new ArgumentException($"'{expires}' is not a date; pick one or leave the field empty for a key without an end.");
        }

        var key = await accounts.NewApiKeyAsync(userName, name ?? string.Empty, end, Actor, cancellationToken);
        if (key is null)
        {
            return null;
        }

        Shown = ($"{userName}'s key '{name!.Trim()}'", key);
        return $"A new key for {userName} (below){(end is { } e ? $", good until {e:yyyy-MM-dd}" : "")}. It is shown this once.";
    }, cancellationToken);

    public Task<IActionResult> OnPostRevokeAsync(long keyId, CancellationToken cancellationToken) => DoAsync(async () =>
        await accounts.RevokeApiKeyAsync(keyId, Actor, cancellationToken) ? "The key is revoked: it is refused from now on." : null, cancellationToken);

    /// <summary>Runs one action and shows the list again with what came of it (a refusal is a 400 saying why; no such admin or key, a 404).</summary>
    private async Task<IActionResult> DoAsync(Func<Task<string?>> action, CancellationToken cancellationToken)
    {
        try
        {
            Message = await action();
            if (Message is null)
            {
                Refused = true;
                Message = "There is no such admin or key (any more).";
                Response.StatusCode = StatusCodes.Status404NotFound;
            }
        }
        catch (ArgumentException ex)
        {
            Refused = true;
            Message = ex.Message.Split(" (Parameter", 2)[0];
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        // A new secret is only in this answer: never cached, never stored by a browser's history.
        Response.Headers.CacheControl = "no-store";
        Admins = await accounts.ListAsync(cancellationToken);
        return Page();
    }
}
