using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;

namespace TrialRegistry.Data.Ingestion;

/// <summary>
/// Admin accounts: created from the CLI or configuration (never a default password), PBKDF2-hashed passwords,
/// hashed API keys, and server-side sessions that sign-out, a password reset or the account's removal end at once.
/// </summary>
public sealed class AdminAccounts(RegistryDbContext db, TimeProvider? clock = null)
{
    private static readonly PasswordHasher<AdminUser> Hasher = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>How long a browser session may last at most, however active it is.</summary>
    public static readonly TimeSpan DefaultSessionLifetime = TimeSpan.FromHours(12);

    /// <summary>How often a session's last-seen time is written (not on every request).</summary>
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    public static string HashApiKey(string key) => Hash(key);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    /// <summary>Creates an admin; refuses a name that exists (use <see cref="ResetPasswordAsync"/>) and a weak password.</summary>
    public async Task<AdminUser> CreateAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(userName) || userName.Length > 100)
        {
            throw new ArgumentException("A user name of 1 to 100 characters is needed.", nameof(userName));
        }

        PasswordPolicy.Check(password, userName);
        if (await db.AdminUsers.AnyAsync(u => u.UserName == userName, cancellationToken))
        {
            throw new ArgumentException($"An admin named '{userName}' exists already; to give them a new password use: admin reset-password --user {userName}", nameof(userName));
        }

        var user = new AdminUser { UserName = userName, PasswordHash = string.Empty, CreatedAt = _clock.GetUtcNow() };
        user.PasswordHash = Hasher.HashPassword(user, password);
        db.AdminUsers.Add(user);
        db.AuditEntries.Add(Audit("system", "admin-created", userName));
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>
    /// Sets a new password for an existing admin and changes their security stamp, which ends every session they
    /// had. False when there is no such admin.
    /// </summary>
    public async Task<bool> ResetPasswordAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        PasswordPolicy.Check(password, userName);
        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            return false;
        }

        user.PasswordHash = Hasher.HashPassword(user, password);
        user.SecurityStamp = AdminSession.NewToken();
        await EndSessionsAsync(user.Id, cancellationToken);
        db.AuditEntries.Add(Audit("system", "admin-password-reset", userName));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Removes an admin with their API key and sessions; false when there is no such admin.</summary>
    public async Task<bool> RemoveAsync(string userName, CancellationToken cancellationToken = default)
    {
        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            return false;
        }

        db.AdminUsers.Remove(user);
        db.AuditEntries.Add(Audit("system", "admin-removed", userName));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Gives an admin a new API key (shown once; only its hash is kept).</summary>
    public async Task<string?> NewApiKeyAsync(string userName, CancellationToken cancellationToken = default)
    {
        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var key = "trk_" + NewSecret();
        user.ApiKeyHash = HashApiKey(key);
        db.AuditEntries.Add(Audit("system", "admin-api-key-issued", userName));
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    public async Task<AdminUser?> VerifyPasswordAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        var user = await db.AdminUsers.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            Hasher.HashPassword(new AdminUser { UserName = userName, PasswordHash = string.Empty }, password); // same work either way
            return null;
        }

        return Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed ? null : user;
    }

    public Task<AdminUser?> FindByApiKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        var hash = HashApiKey(key);
        return db.AdminUsers.AsNoTracking().FirstOrDefaultAsync(u => u.ApiKeyHash == hash, cancellationToken);
    }

    /// <summary>Starts a browser session for a signed-in admin; returns the token the cookie carries.</summary>
    public async Task<string> StartSessionAsync(AdminUser user, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var token = AdminSession.NewToken();
        var now = _clock.GetUtcNow();
        db.AdminSessions.Add(new AdminSession
        {
            TokenHash = Hash(token),
            AdminUserId = user.Id,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>
    /// True while the session is open: not ended, not past its absolute lifetime, its admin still there, and the
    /// admin's security stamp the one the cookie was issued with.
    /// </summary>
    public async Task<bool> IsSessionValidAsync(string token, string userName, string stamp, CancellationToken cancellationToken = default)
    {
        var hash = Hash(token);
        var now = _clock.GetUtcNow();
        var session = await (
            from s in db.AdminSessions
            join u in db.AdminUsers on s.AdminUserId equals u.Id
            where s.TokenHash == hash && s.EndedAt == null && s.ExpiresAt > now && u.UserName == userName && u.SecurityStamp == stamp
            select s).FirstOrDefaultAsync(cancellationToken);
        if (session is null)
        {
            return false;
        }

        if (now - session.LastSeenAt >= LastSeenResolution)
        {
            session.LastSeenAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>Ends one session (sign-out).</summary>
    public Task EndSessionAsync(string token, CancellationToken cancellationToken = default)
    {
        var hash = Hash(token);
        var now = _clock.GetUtcNow();
        return db.AdminSessions.Where(s => s.TokenHash == hash && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now), cancellationToken);
    }

    /// <summary>Marks the admin's open sessions ended, saved with the caller's other changes in one transaction.</summary>
    private async Task EndSessionsAsync(long userId, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        foreach (var session in await db.AdminSessions.Where(s => s.AdminUserId == userId && s.EndedAt == null).ToListAsync(cancellationToken))
        {
            session.EndedAt = now;
        }
    }

    public async Task AuditAsync(string actor, string action, string? target, string? details = null, CancellationToken cancellationToken = default)
    {
        db.AuditEntries.Add(Audit(actor, action, target, details));
        await db.SaveChangesAsync(cancellationToken);
    }

    private AuditEntry Audit(string actor, string action, string? target, string? details = null) =>
        new() { Actor = actor, Action = action, Target = target, Details = details, At = _clock.GetUtcNow() };
}
