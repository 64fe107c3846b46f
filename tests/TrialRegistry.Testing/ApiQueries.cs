using System.Web;
using TrialRegistry.Data.Search;
using TrialRegistry.Web.Api;

namespace TrialRegistry.Testing;

/// <summary>Search queries written as the API's query strings, read by the API's own request parsing.</summary>
public static class ApiQueries
{
    /// <summary>The query <c>GET /api/v1/trials?{queryString}</c> searches for; the parameters must be valid.</summary>
    public static TrialQuery Parse(string queryString)
    {
        var q = HttpUtility.ParseQueryString(queryString);
        return new TrialSearchRequest
        {
            Antigen = q.GetValues("antigen"),
            Phase = q.GetValues("phase"),
            Status = q.GetValues("status"),
            Condition = q.GetValues("condition"),
            DoseMin = q["doseMin"],
            DoseMax = q["doseMax"],
            DoseUnit = q["doseUnit"],
            Route = q.GetValues("route"),
            Modality = q.GetValues("modality"),
            ProductType = q.GetValues("productType"),
            Country = q.GetValues("country"),
            Sex = q["sex"],
            Age = q["age"],
            Q = q["q"],
            Sort = q["sort"],
            PageSize = q["pageSize"],
        }.ToQuery();
    }
}
