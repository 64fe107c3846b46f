using System.Reflection;
using System.Web;
using Microsoft.AspNetCore.Mvc;
using TrialRegistry.Data.Search;
using TrialRegistry.Web.Api;

namespace TrialRegistry.Testing;

/// <summary>Search queries written as the API's query strings, read by the API's own request parsing.</summary>
public static class ApiQueries
{
    /// <summary>Each query parameter of the API's search request with its property.</summary>
    private static readonly (string Name, PropertyInfo Property)[] Parameters = [.. typeof(TrialSearchRequest).GetProperties()
        .Select(p => (p.GetCustomAttribute<FromQueryAttribute>()?.Name, p))
        .Where(x => x.Name is not null)
        .Select(x => (x.Name!, x.p))];

    /// <summary>The query <c>GET /api/v1/trials?{queryString}</c> searches for (every parameter the API reads); the parameters must be valid.</summary>
    public static TrialQuery Parse(string queryString) => Request(queryString).ToQuery();

    /// <summary>The API's search request for a query string, as bound and before validation.</summary>
    public static TrialSearchRequest Request(string queryString)
    {
        var q = HttpUtility.ParseQueryString(queryString);
        var unknown = q.AllKeys.Where(k => k is not null && Parameters.All(p => p.Name != k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Not parameters of the search: {string.Join(", ", unknown)}", nameof(queryString));
        }

        var request = new TrialSearchRequest();
        foreach (var (name, property) in Parameters)
        {
            property.SetValue(request, property.PropertyType == typeof(string[]) ? q.GetValues(name) : q[name]);
        }

        return request;
    }
}
