using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TrialRegistry.Web.Api;

/// <summary>
/// Caching for the read API, on every GET (and HEAD) that returns a resource: a strong ETag (the record's own
/// version where it has one, else a hash of the body), <c>If-None-Match</c> answered 304 with strong or weak tags
/// (RFC 9110 compares weakly for it), and <c>Cache-Control: public, no-cache</c>: a cache may keep the answer but
/// asks each time whether it still holds, which costs a client a 304 when nothing changed.
/// </summary>
public sealed class ConditionalGet(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IEndpointFilter
{
    public const string CacheControl = "public, no-cache";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            return result;
        }

        // Handlers that declare several outcomes return Results<…>, which holds the one they chose.
        var chosen = result is INestedHttpResult nested ? nested.Result : result;
        (byte[] Body, string ContentType, IResult Answer)? body = chosen switch
        {
            IValueHttpResult { Value: { } value } and IStatusCodeHttpResult { StatusCode: null or StatusCodes.Status200OK } =>
                Bytes(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json.Value.SerializerOptions), "application/json; charset=utf-8"),
            IContentTypeHttpResult and IStatusCodeHttpResult { StatusCode: null or StatusCodes.Status200OK } and Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult { ResponseContent: { } text } content =>
                Bytes(Encoding.UTF8.GetBytes(text), content.ContentType ?? "text/plain; charset=utf-8"),
            Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult file => (file.FileContents.ToArray(), file.ContentType, file),
            _ => null,
        };
        if (body is not { } answer)
        {
            return result;
        }

        var etag = http.Response.Headers.ETag.ToString() is { Length: > 0 } own
            ? own
            : "\"" + Convert.ToHexStringLower(SHA256.HashData(answer.Body))[..24] + "\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = CacheControl;
        return Matches(http.Request.Headers.IfNoneMatch.ToString(), etag) ? Results.StatusCode(StatusCodes.Status304NotModified) : answer.Answer;
    }

    /// <summary>Whether If-None-Match names this tag: "*", or any listed tag equal to it once W/ is set aside.</summary>
    public static bool Matches(string ifNoneMatch, string etag)
    {
        static string Opaque(string tag) => tag.Trim() is var t && t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t;
        return ifNoneMatch.Length > 0
            && (ifNoneMatch.Trim() == "*" || ifNoneMatch.Split(',').Any(t => Opaque(t) == Opaque(etag)));
    }

    private static (byte[], string, IResult) Bytes(byte[] body, string contentType) => (body, contentType, Results.Bytes(body, contentType));
}
