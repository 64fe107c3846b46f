using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;
using TrialRegistry.Data.Model;

namespace TrialRegistry.Data.Ingestion;

/// <summary>Admin accounts: created from the CLI or configuration (never a default password), PBKDF2-hashed passwords, hashed API keys.</summary>
public sealed class AdminAccounts(RegistryDbContext db)
{
    private static readonly PasswordHasher<AdminUser> Hasher = new();

    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    public static string HashApiKey(string key) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    /// <summary>Creates an admin, or sets the password of an existing one. Passwords of fewer than 12 characters are refused.</summary>
    public async Task<AdminUser> CreateOrUpdateAsync(string userName, string password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(userName) || userName.Length > 100)
        {
            throw new ArgumentException("A user name of 1 to 100 characters is needed.", nameof(userName));
        }

        if (password.Length < 12)
        {
            throw new ArgumentException("An admin password needs at least 12 characters.", nameof(password));
        }

        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        if (user is null)
        {
            user = new AdminUser { UserName = userName, PasswordHash = string.Empty, CreatedAt = DateTimeOffset.UtcNow };
            db.AdminUsers.Add(user);
        }

        user.PasswordHash = Hasher.HashPassword(user, password);
        db.AuditEntries.Add(new AuditEntry { Actor = "system", Action = "admin-password-set", Target = userName, At = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(cancellationToken);
        return user;
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
        db.AuditEntries.Add(new AuditEntry { Actor = "system", Action = "admin-api-key-issued", Target = userName, At = DateTimeOffset.UtcNow });
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

    public async Task AuditAsync(string actor, string action, string? target, string? details = null, CancellationToken cancellationToken = default)
    {
        db.AuditEntries.Add(new AuditEntry { Actor = actor, Action = action, Target = target, Details = details, At = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync(cancellationToken);
    }
}
