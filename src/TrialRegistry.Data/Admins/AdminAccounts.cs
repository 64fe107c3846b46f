using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;

namespace TrialRegistry.Data.Admins;

/// <summary>What a sign-in attempt came to. Only <see cref="Signed"/> lets anyone in; the page says the same for the others.</summary>
public enum SignInOutcome
{
    Signed,
    WrongPassword,
    Locked,
    Disabled,
}

/// <summary>An admin as the accounts page lists them: role, state, open sessions and API keys (never a secret).</summary>
public sealed record AdminAccountView(string UserName, AdminRole Role, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt, DateTimeOffset? LockedUntil,
    int OpenSessions, DateTimeOffset? LastSeenAt, IReadOnlyList<ApiKeyView> Keys);

public sealed record ApiKeyView(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
{
    public bool Usable(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>
/// Admin accounts: created from the CLI, configuration or the accounts page (never a default password),
/// PBKDF2-hashed passwords, roles (uploader, curator), named API keys kept as hashes that expire and can be
/// revoked, a per-account lockout after wrong passwords, and server-side sessions that sign-out, a password reset,
/// a role change, disabling or removal end at once. Every change is audited with who made it, in its own transaction.
/// </summary>
public sealed class AdminAccounts(RegistryDbContext db, TimeProvider? clock = null)
{
    /// <summary>Wrong passwords in a row before the account locks.</summary>
    public const int LockoutThreshold = 5;

    /// <summary>The first lock; each further wrong password doubles it, up to <see cref="MaxLockout"/>.</summary>
    public static readonly TimeSpan FirstLockout = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxLockout = TimeSpan.FromHours(1);

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
    public async Task<AdminUser> CreateAsync(string userName, string password, CancellationToken cancellationToken = default) =>
        await CreateAsync(userName, password, AdminRole.Curator, "system", cancellationToken);

    /// <summary>Creates an admin with a role; <paramref name="actor"/> is who did it, for the audit log.</summary>
    public async Task<AdminUser> CreateAsync(string userName, string password, AdminRole role, string actor, CancellationToken cancellationToken = default)
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

        var user = new AdminUser { UserName = userName, PasswordHash = string.Empty, Role = role, CreatedAt = _clock.GetUtcNow() };
        user.PasswordHash = Hasher.HashPassword(user, password);
        db.AdminUsers.Add(user);
        db.AuditEntries.Add(Audit(actor, "admin-created", userName, $"role {role}"));
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    /// <summary>
    /// Sets a new password for an existing admin and changes their security stamp, which ends every session they
    /// had. False when there is no such admin.
    /// </summary>
    public async Task<bool> ResetPasswordAsync(string userName, string password, CancellationToken cancellationToken = default) =>
        await ResetPasswordAsync(userName, password, "system", cancellationToken);

    public async Task<bool> ResetPasswordAsync(string userName, string password, string actor, CancellationToken cancellationToken = default)
    {
        PasswordPolicy.Check(password, userName);
        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            return false;
        }

        user.PasswordHash = Hasher.HashPassword(user, password);
        user.SecurityStamp = AdminSession.NewToken();
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await EndSessionsAsync(user.Id, cancellationToken);
        db.AuditEntries.Add(Audit(actor, "admin-password-reset", userName));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Removes an admin with their API keys and sessions; false when there is no such admin.</summary>
    public async Task<bool> RemoveAsync(string userName, CancellationToken cancellationToken = default) =>
        await RemoveAsync(userName, "system", cancellationToken);

    public async Task<bool> RemoveAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            return false;
        }

        db.AdminUsers.Remove(user);
        db.AuditEntries.Add(Audit(actor, "admin-removed", userName));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Gives an admin a new API key named "key" that does not expire (shown once; only its hash is kept).</summary>
    public async Task<string?> NewApiKeyAsync(string userName, CancellationToken cancellationToken = default) =>
        await NewApiKeyAsync(userName, "key", expiresAt: null, "system", cancellationToken);

    /// <summary>A new named API key for an admin, valid until <paramref name="expiresAt"/> (null: until revoked); null when there is no such admin.</summary>
    public async Task<string?> NewApiKeyAsync(string userName, string name, DateTimeOffset? expiresAt, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new ArgumentException("A key needs a name of 1 to 100 characters, saying what it is for.", nameof(name));
        }

        if (expiresAt is { } end && end <= _clock.GetUtcNow())
        {
            throw new ArgumentException("A key's end must be in the future.", nameof(expiresAt));
        }

        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            return null;
        }

        var key = "trk_" + NewSecret();
        db.ApiKeys.Add(new ApiKey
        {
            AdminUserId = user.Id,
            Name = name.Trim(),
            KeyHash = HashApiKey(key),
            Prefix = key[..10],
            CreatedAt = _clock.GetUtcNow(),
            ExpiresAt = expiresAt,
        });
        db.AuditEntries.Add(Audit(actor, "admin-api-key-issued", userName, $"'{name.Trim()}' ({key[..10]}…){(expiresAt is { } e ? $", until {e:yyyy-MM-dd}" : "")}"));
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <summary>Revokes one key at once; false when there is no such key or it was revoked already.</summary>
    public async Task<bool> RevokeApiKeyAsync(long keyId, string actor, CancellationToken cancellationToken = default)
    {
        var found = await (from k in db.ApiKeys join u in db.AdminUsers on k.AdminUserId equals u.Id where k.Id == keyId && k.RevokedAt == null select new { Key = k, u.UserName })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return false;
        }

        found.Key.RevokedAt = _clock.GetUtcNow();
        db.AuditEntries.Add(Audit(actor, "admin-api-key-revoked", found.UserName, $"'{found.Key.Name}' ({found.Key.Prefix}…)"));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Disables an account (it cannot sign in or use its keys; its sessions end) or enables it again; false when
    /// there is no such admin. An admin cannot disable themselves, so there is always someone to undo it.
    /// </summary>
    public async Task<bool> SetDisabledAsync(string userName, bool disabled, string actor, CancellationToken cancellationToken = default)
    {
        if (disabled && userName == actor)
        {
            throw new ArgumentException("You cannot disable your own account.", nameof(userName));
        }

        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            return false;
        }

        user.DisabledAt = disabled ? _clock.GetUtcNow() : null;
        if (disabled)
        {
            user.SecurityStamp = AdminSession.NewToken();
            await EndSessionsAsync(user.Id, cancellationToken);
        }
        else
        {
            user.FailedSignIns = 0;
            user.LockedUntil = null;
        }

        db.AuditEntries.Add(Audit(actor, disabled ? "admin-disabled" : "admin-enabled", userName));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Gives an admin another role; their sessions end (the role travels with a session); false when there is no such admin.</summary>
    public async Task<bool> SetRoleAsync(string userName, AdminRole role, string actor, CancellationToken cancellationToken = default)
    {
        if (userName == actor && role != AdminRole.Curator)
        {
            throw new ArgumentException("You cannot take the curator role from yourself; another curator can.", nameof(role));
        }

        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            return false;
        }

        if (user.Role != role)
        {
            user.Role = role;
            user.SecurityStamp = AdminSession.NewToken();
            await EndSessionsAsync(user.Id, cancellationToken);
            db.AuditEntries.Add(Audit(actor, "admin-role-changed", userName, $"now {role}"));
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>Ends every open session of an admin (signs them out everywhere); false when there is no such admin.</summary>
    public async Task<bool> RevokeSessionsAsync(string userName, string actor, CancellationToken cancellationToken = default)
    {
        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            return false;
        }

        await EndSessionsAsync(user.Id, cancellationToken);
        db.AuditEntries.Add(Audit(actor, "admin-sessions-revoked", userName));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Every admin with their state, open sessions and keys, by name.</summary>
    public async Task<IReadOnlyList<AdminAccountView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        var users = await db.AdminUsers.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var sessions = await db.AdminSessions.AsNoTracking().Where(s => s.EndedAt == null && s.ExpiresAt > now)
            .GroupBy(s => s.AdminUserId).Select(g => new { g.Key, Count = g.Count(), Last = g.Max(s => s.LastSeenAt) }).ToListAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
        return users.Select(u => new AdminAccountView(u.UserName, u.Role, u.CreatedAt, u.DisabledAt, u.LockedUntil > now ? u.LockedUntil : null,
                sessions.FirstOrDefault(s => s.Key == u.Id)?.Count ?? 0, sessions.FirstOrDefault(s => s.Key == u.Id)?.Last,
                keys.Where(k => k.AdminUserId == u.Id).Select(k => new ApiKeyView(k.Id, k.Name, k.Prefix, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt)).ToList()))
            .ToList();
    }

    /// <summary>
    /// Checks a password. A wrong one counts against the account: after <see cref="LockoutThreshold"/> in a row it
    /// is locked for <see cref="FirstLockout"/>, doubling with each further wrong one up to <see cref="MaxLockout"/>,
    /// and while locked even the right password is refused. A right one clears the count. A disabled account never
    /// signs in. The user is given only for <see cref="SignInOutcome.Signed"/>.
    /// </summary>
    public async Task<(SignInOutcome Outcome, AdminUser? User)> SignInAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            Hasher.HashPassword(new AdminUser { UserName = userName, PasswordHash = string.Empty }, password); // same work either way
            return (SignInOutcome.WrongPassword, null);
        }

        var now = _clock.GetUtcNow();
        var right = Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
        if (user.DisabledAt is not null)
        {
            return (SignInOutcome.Disabled, null);
        }

        if (user.LockedUntil > now)
        {
            return (SignInOutcome.Locked, null);
        }

        if (!right)
        {
            user.FailedSignIns++;
            if (user.FailedSignIns >= LockoutThreshold)
            {
                var doublings = Math.Min(user.FailedSignIns - LockoutThreshold, 10);
                var lockout = TimeSpan.FromTicks(Math.Min(FirstLockout.Ticks << doublings, MaxLockout.Ticks));
                user.LockedUntil = now + lockout;
                db.AuditEntries.Add(Audit(userName, "admin-locked", userName, $"{user.FailedSignIns} wrong passwords in a row; locked for {lockout.TotalMinutes:0} min"));
            }

            await db.SaveChangesAsync(cancellationToken);
            return (SignInOutcome.WrongPassword, null);
        }

        if (user.FailedSignIns != 0 || user.LockedUntil is not null)
        {
            user.FailedSignIns = 0;
            user.LockedUntil = null;
            await db.SaveChangesAsync(cancellationToken);
        }

        return (SignInOutcome.Signed, user);
    }

    /// <summary>
    /// The admin an API key belongs to, when the key is neither revoked nor expired and its admin is not disabled;
    /// the key's last use is written at most once a minute.
    /// </summary>
    public async Task<AdminUser?> FindByApiKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        var hash = HashApiKey(key);
        var now = _clock.GetUtcNow();
        var found = await (from k in db.ApiKeys
                           join u in db.AdminUsers on k.AdminUserId equals u.Id
                           where k.KeyHash == hash && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now) && u.DisabledAt == null
                           select new { Key = k, User = u }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        if (found.Key.LastUsedAt is not { } last || now - last >= LastSeenResolution)
        {
            found.Key.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }

        return found.User;
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
    /// True while the session is open: not ended, not past its absolute lifetime, its admin still there and not
    /// disabled, and the admin's security stamp the one the cookie was issued with.
    /// </summary>
    public async Task<bool> IsSessionValidAsync(string token, string userName, string stamp, CancellationToken cancellationToken = default)
    {
        var hash = Hash(token);
        var now = _clock.GetUtcNow();
        var session = await (
            from s in db.AdminSessions
            join u in db.AdminUsers on s.AdminUserId equals u.Id
            where s.TokenHash == hash && s.EndedAt == null && s.ExpiresAt > now && u.UserName == userName && u.SecurityStamp == stamp && u.DisabledAt == null
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
