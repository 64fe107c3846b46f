namespace TrialRegistry.Web.Api;

/// <summary>Small pieces the API's XML and link-bearing answers (FHIR, Atom) share.</summary>
internal static class ResponseText
{
    /// <summary>Text without the characters XML 1.0 cannot hold (controls other than tab and line ends, U+FFFE, U+FFFF).</summary>
    public static string XmlSafe(string text) => new(text.Where(c => c is '\t' or '\n' or '\r' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF')).ToArray());

    /// <summary>The app's own absolute address as the request reached it (scheme, host, path base), for links in answers.</summary>
    public static string Origin(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
