namespace TrialRegistry.Data.Search;

/// <summary>The registry's search filters that are defined once each (see <see cref="ChoiceFilter"/>).</summary>
public static class SearchFilters
{
    /// <summary>The vocabulary filters, in the order the page and the empty-result help list them.</summary>
    public static IReadOnlyList<ChoiceFilter> Choices { get; } =
    [
        PhaseFilter.Definition,
        StatusFilter.Definition,
        CategoryFilter.Definition,
        ModalityFilter.Definition,
        ProductTypeFilter.Definition,
        RouteFilter.Definition,
    ];

    /// <summary>The choice filter read from a query parameter, or null.</summary>
    public static ChoiceFilter? Choice(string parameter) => Choices.FirstOrDefault(f => f.Parameter == parameter);
}
