namespace TrialRegistry.Data.Model;

/// <summary>What an admin may do.</summary>
public enum AdminRole
{
    /// <summary>Uploads documents and sees what was understood; cannot store them in the registry.</summary>
    Uploader,

    /// <summary>Everything an uploader does, and confirms batches, corrects, withdraws, re-reads and manages admins.</summary>
    Curator,
}

/// <summary>Someone allowed to write: upload, confirm, withdraw. Passwords and API keys are stored as hashes only.</summary>
public sealed class AdminUser
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    /// <summary>ASP.NET Core Identity's password hash (PBKDF2).</summary>
    public required string PasswordHash { get; set; }
    public AdminRole Role { get; set; } = AdminRole.Curator;
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When an admin disabled the account: it cannot sign in or use its keys until enabled again.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
    /// <summary>Wrong passwords in a row since the last good one.</summary>
    public int FailedSignIns { get; set; }
    /// <summary>After too many wrong passwords, no sign-in (even with the right one) until then.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
    /// <summary>
    /// Changes whenever the account's credentials do (password set or reset): a session cookie carries the stamp it
    /// was issued with, and one with an older stamp is refused.
    /// </summary>
    public string SecurityStamp { get; set; } = AdminSession.NewToken();
}

/// <summary>
/// One signed-in browser session, kept server-side so that signing out, a password reset or the account's removal
/// ends it at once. The cookie holds the session's token; only its SHA-256 is stored here.
/// </summary>
public sealed class AdminSession
{
    /// <summary>SHA-256 of the session token, hex.</summary>
    public required string TokenHash { get; set; }
    public long AdminUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The absolute end of the session, however active it is.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>When the session was ended (sign-out, revocation); null while it lasts.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    public static string NewToken() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}

/// <summary>An admin's API key: named, shown once, kept as its SHA-256 only, expiring if given an end, revocable.</summary>
public sealed class ApiKey
{
    public long Id { get; set; }
    public long AdminUserId { get; set; }
    /// <summary>What the key is for ("nightly import"), as the admin named it.</summary>
    public required string Name { get; set; }
    /// <summary>SHA-256 of the key, hex.</summary>
    public required string KeyHash { get; set; }
    /// <summary>The key's first characters, to tell keys apart in a list (never enough to use it).</summary>
    public required string Prefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>Who wrote what, when.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? Target { get; set; }
    public string? Details { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>Where an upload stands.</summary>
public enum UploadStatus
{
    /// <summary>Awaiting an admin's review of its preview.</summary>
    Pending,
    /// <summary>Confirmed: queued for storing, or stored.</summary>
    Confirmed,
    Discarded,
    /// <summary>Refused by the limits, with its error.</summary>
    Rejected,
}

/// <summary>An uploaded document, kept in the database (never served back as a file) until confirmed or discarded.</summary>
public sealed class Upload
{
    public long Id { get; set; }
    public long BatchId { get; set; }
    public required string FileName { get; set; }
    public required byte[] Content { get; set; }
    public required string Sha256 { get; set; }
    /// <summary>Where the upload stands; stored as its name (PENDING, CONFIRMED, DISCARDED, REJECTED).</summary>
    public required UploadStatus Status { get; set; }
    public string? Error { get; set; }
    public required string UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    /// <summary>An admin's decisions for records without a registry id: the record's content-derived id -> the trial it is.</summary>
    public Dictionary<string, string> MatchDecisions { get; set; } = [];
    /// <summary>
    /// What the preview showed, record by record (JSON): worked out against the registry at change version
    /// <see cref="PreviewVersion"/>, and kept as it stood when the upload was confirmed.
    /// </summary>
    public string? Preview { get; set; }
    public long? PreviewVersion { get; set; }
}

/// <summary>A set of uploads made together; their ingestion jobs report progress against it.</summary>
public sealed class UploadBatch
{
    public long Id { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One confirmed upload to store. Workers claim jobs with FOR UPDATE SKIP LOCKED and store the document in the
/// same transaction that marks the job done, so a crash leaves the job queued and nothing half-stored.
/// </summary>
public sealed class IngestionJob
{
    public long Id { get; set; }
    public long BatchId { get; set; }
    public long UploadId { get; set; }
    /// <summary>QUEUED, DONE or FAILED.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public string? Result { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
