using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Search;

/// <summary>Route of administration: any of the trial's routes.</summary>
public static class RouteFilter
{
    public static ChoiceFilter Definition { get; } = new()
    {
        Parameter = "route",
        Noun = "a route",
        Legend = "Route",
        Description = "Route of administration: INTRAVENOUS, INTRAPERITONEAL, INTRAPLEURAL, INTRATUMORAL, INTRATHECAL, INTRAVENTRICULAR, INTRA_ARTERIAL, OTHER. Several = any of.",
        Values = VocabularyNames.AllNames<Route>(),
        Canonical = ChoiceFilter.NameOf<Route>(),
        Mention = "route ",
        ValuesSql = "routes",
        Narrow = (trials, routes) => trials.Where(t => t.Routes.Any(r => routes.Contains(r))),
    };
}
