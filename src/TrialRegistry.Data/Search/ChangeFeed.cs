using System.Buffers.Text;
using System.Text;
using Npgsql;

namespace TrialRegistry.Data.Search;

/// <summary>One change to a trial's record: a new version of it, and what kind of change that version was.</summary>
public sealed record TrialChange(string RegistryId, int Version, string Change, IReadOnlyList<string> ChangedFields, DateTimeOffset At, string? MergedInto);

/// <summary>A page of the change feed and where to go on from.</summary>
public sealed record ChangePage(IReadOnlyList<TrialChange> Changes, string NextToken, bool HasMore);

/// <summary>
/// The trials created, updated, withdrawn or merged, in the order their writing transactions began, for clients
/// that keep a copy: each version row carries the id of the transaction that wrote it (<c>change_xid</c>, added by
/// the ChangeFeed migration), and the feed only shows rows of transactions older than every one still running
/// (<c>pg_snapshot_xmin</c>), so a change that commits late can never slip in behind a token already handed out.
/// Every change appears once, in the same order on every read; a change shows as soon as the transactions that
/// began before it have ended. Transaction ids are the server's, not the database's: a long transaction in any
/// database of the server (a first bulk load is one) delays the feed until it ends; it never makes it skip.
/// </summary>
public sealed class ChangeFeed(NpgsqlDataSource dataSource)
{
    public const int MaxLimit = 1000;

    private const string Sql = """
        SELECT v.change_xid::text, v.id, t.registry_id, v.version, v.changed_fields, v.created_at, t.merged_into
        FROM trial_versions v JOIN trials t ON t.id = v.trial_id
        WHERE v.change_xid < pg_snapshot_xmin(pg_current_snapshot())
          AND (v.change_xid, v.id) > (@xid::xid8, @id)
        ORDER BY v.change_xid, v.id
        LIMIT @limit
        """;

    public async Task<ChangePage> ReadAsync(ChangeToken? after, int limit, CancellationToken cancellationToken)
    {
        var from = after ?? ChangeToken.Start;
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("xid", from.Xid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("id", from.Id);
        command.Parameters.AddWithValue("limit", limit + 1);
        var changes = new List<TrialChange>();
        var last = from;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (changes.Count == limit)
            {
                return new ChangePage(changes, last.Encode(), HasMore: true);
            }

            var fields = reader.GetFieldValue<string[]>(4);
            var version = reader.GetInt32(3);
            var mergedInto = reader.IsDBNull(6) ? null : reader.GetString(6);
            changes.Add(new TrialChange(reader.GetString(2), version, Kind(version, fields), fields, reader.GetFieldValue<DateTimeOffset>(5), mergedInto));
            last = new ChangeToken(ulong.Parse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture), reader.GetInt64(1));
        }

        return new ChangePage(changes, last.Encode(), HasMore: false);
    }

    private static string Kind(int version, IReadOnlyList<string> fields) =>
        fields.Contains("withdrawn") ? "WITHDRAWN"
        : fields.Contains("restored") ? "RESTORED"
        : fields.Contains("mergedInto") ? "MERGED"
        : version == 1 ? "CREATED"
        : "UPDATED";
}

/// <summary>A place in the change feed: after the version row with this transaction id and row id.</summary>
public sealed record ChangeToken(ulong Xid, long Id)
{
    public static ChangeToken Start { get; } = new(0, 0);

    public string Encode() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{Xid}.{Id}"));

    public static ChangeToken? TryDecode(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 64)
        {
            return null;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
            return text.Split('.') is [var xid, var id]
                && ulong.TryParse(xid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var x)
                && long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i)
                ? new ChangeToken(x, i)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
