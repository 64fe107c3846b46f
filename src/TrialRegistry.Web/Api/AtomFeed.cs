using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using TrialRegistry.Data.Infrastructure;

namespace TrialRegistry.Web.Api;

/// <summary>
/// A search to follow, as an Atom feed (RFC 4287): the trials it finds whose record changed here last, newest first
/// (a new trial, a status change, new sites or dose levels: each entry says which fields changed), for a feed
/// reader or an integrator polling with If-None-Match. Entry ids are the trials' pages, so a reader shows a trial
/// again when it changes.
/// </summary>
public static class AtomFeed
{
    public const string ContentType = "application/atom+xml";

    /// <summary>Entries a feed holds at most.</summary>
    public const int MaxEntries = 50;

    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private sealed record Entry(string RegistryId, string? Title, string? Status, DateTimeOffset UpdatedAt, int Version, List<string> Changed);

    public static async Task<string> WriteAsync(RegistryDbContext db, IReadOnlyList<string> registryIds, HttpContext http, CancellationToken cancellationToken)
    {
        var entries = await db.Trials.AsNoTracking().Where(t => registryIds.Contains(t.RegistryId))
            .Select(t => new Entry(t.RegistryId, t.Title, t.Status, t.UpdatedAt, t.Version,
                t.Versions.Where(v => v.Version == t.Version).Select(v => v.ChangedFields).FirstOrDefault() ?? new List<string>()))
            .ToListAsync(cancellationToken);
        entries = [.. entries.OrderByDescending(e => e.UpdatedAt).ThenBy(e => e.RegistryId, StringComparer.Ordinal)];

        var origin = ResponseText.Origin(http);
        var self = origin + http.Request.Path + http.Request.QueryString;
        var search = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(http.Request.QueryString.Value)
            .Where(p => p.Key is not "format")
            .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}"));
        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "id", self),
            new XElement(Atom + "title", "TrialRegistry: trials of this search, latest changes first"),
            new XElement(Atom + "updated", Instant(entries.Count > 0 ? entries[0].UpdatedAt : DateTimeOffset.UnixEpoch)),
            new XElement(Atom + "author", new XElement(Atom + "name", "TrialRegistry")),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("type", ContentType), new XAttribute("href", self)),
            new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", $"{origin}/?{string.Join('&', search)}")),
            entries.Select(e =>
            {
                var page = $"{origin}/trials/{Uri.EscapeDataString(e.RegistryId)}";
                var what = e.Version == 1
                    ? "New in the registry."
                    : $"Version {e.Version}: {(e.Changed.Count == 0 ? "sources added" : "changed " + string.Join(", ", e.Changed))}.";
                return new XElement(Atom + "entry",
                    new XElement(Atom + "id", page),
                    new XElement(Atom + "title", $"{e.RegistryId}: {ResponseText.XmlSafe(e.Title ?? "(untitled)")}"),
                    new XElement(Atom + "updated", Instant(e.UpdatedAt)),
                    new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", page)),
                    new XElement(Atom + "summary", ResponseText.XmlSafe($"{what}{(e.Status is null ? "" : $" Status: {e.Status}.")}")));
            }));

        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) };
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), feed).Save(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>An RFC 3339 date-time, as Atom's updated takes it.</summary>
    private static string Instant(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

}
