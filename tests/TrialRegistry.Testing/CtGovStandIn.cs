using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace TrialRegistry.Testing;

/// <summary>
/// A stand-in for ClinicalTrials.gov's <c>/api/v2/studies</c> in the test process, over real HTTP: the API v2 records
/// of ../shared/corpus (ctgov-json), paged by token, with countTotal and filter.advanced on LastUpdatePostDate, and
/// faults on cue (<see cref="Faults"/>: "429" with Retry-After, "cut" for a dropped connection, "500").
/// </summary>
public sealed partial class CtGovStandIn : IAsyncDisposable
{
    private WebApplication? _server;

    /// <summary>The studies it holds, sorted by NCT number; a test may change or remove them.</summary>
    public List<JsonObject> Studies { get; } = [];

    /// <summary>Faults for the next requests, one a request; any other word answers normally.</summary>
    public Queue<string> Faults { get; } = new();

    public string BaseUrl { get; private set; } = string.Empty;

    public static string Nct(JsonObject study) => study["protocolSection"]!["identificationModule"]!["nctId"]!.GetValue<string>();

    public async Task<CtGovStandIn> StartAsync()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(SharedPaths.Corpus, "ctgov-json"), "*.json"))
        {
            var node = JsonNode.Parse(await File.ReadAllTextAsync(file));
            IEnumerable<JsonNode?> studies = node is JsonArray array ? array : [node];
            Studies.AddRange(studies.OfType<JsonObject>().Where(s => s["protocolSection"] is not null));
        }

        Studies.Sort((a, b) => string.CompareOrdinal(Nct(a), Nct(b)));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapGet("/api/v2/studies", AnswerAsync);
        await _server.StartAsync();
        BaseUrl = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return this;
    }

    [GeneratedRegex(@"AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),MAX\]")]
    private static partial Regex SinceFilter();

    private static string? Updated(JsonObject study) => study["protocolSection"]?["statusModule"]?["lastUpdatePostDateStruct"]?["date"]?.GetValue<string>();

    private async Task AnswerAsync(HttpContext http)
    {
        if (Faults.TryDequeue(out var fault))
        {
            switch (fault)
            {
                case "429":
                    http.Response.StatusCode = 429;
                    http.Response.Headers.RetryAfter = "1";
                    return;
                case "cut":
                    http.Abort();
                    return;
                case "500":
                    http.Response.StatusCode = 500;
                    return;
            }
        }

        var query = http.Request.Query;
        IEnumerable<JsonObject> matching = Studies;
        if (SinceFilter().Match(query["filter.advanced"].ToString()) is { Success: true } since)
        {
            matching = matching.Where(s => string.CompareOrdinal(Updated(s) ?? "", since.Groups[1].Value) >= 0);
        }

        var all = matching.ToList();
        var size = int.Parse(query["pageSize"].ToString(), CultureInfo.InvariantCulture);
        var offset = query["pageToken"].ToString() is { Length: > 0 } token ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture) : 0;
        var page = new JsonObject { ["studies"] = new JsonArray([.. all.Skip(offset).Take(size).Select(s => s.DeepClone())]) };
        if (offset + size < all.Count)
        {
            page["nextPageToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + size).ToString(CultureInfo.InvariantCulture)));
        }

        if (query["countTotal"] == "true")
        {
            page["totalCount"] = all.Count;
        }

        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(page.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
