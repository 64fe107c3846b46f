using TrialRegistry.Data.Model;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Search;

/// <summary>How a choice filter is offered on the search page.</summary>
public enum ChoiceControl
{
    /// <summary>A box per value; any number may be ticked.</summary>
    Checkboxes,

    /// <summary>A drop-down of one value or none (the API still takes several).</summary>
    Select,
}

/// <summary>
/// A search filter over one closed vocabulary that every trial carries as a value or a list (phase, status, route,
/// kind of therapy, source of cells, kind of disease). Everything the registry does with such a filter comes from its
/// definition: the query parameter and the names it accepts, the validation message, the OpenAPI description, the
/// SQL over the trial's column, the bit sets of the facet index, the facet counts, the page control and how a
/// dropped filter reads. A new vocabulary filter is one definition (a file beside this one) listed in
/// <see cref="SearchFilters.Choices"/>, with its property on the API request and in the facets.
/// </summary>
public sealed class ChoiceFilter
{
    /// <summary>The query-string parameter and facet name ("phase").</summary>
    public required string Parameter { get; init; }

    /// <summary>What one value is, after "is not": "a phase".</summary>
    public required string Noun { get; init; }

    /// <summary>The page's heading for the control ("Phase").</summary>
    public required string Legend { get; init; }

    /// <summary>The OpenAPI description of the parameter.</summary>
    public required string Description { get; init; }

    /// <summary>The names the filter accepts (ClinicalTrials.gov's), in the order the API documents them.</summary>
    public required IReadOnlyList<string> Values { get; init; }

    /// <summary>The names the page offers, in the page's order (default: all of <see cref="Values"/>).</summary>
    public IReadOnlyList<string>? Offered { get; init; }

    /// <summary>A value as typed (any case; for enums also the human form) to its name; null when it is none.</summary>
    public required Func<string, string?> Canonical { get; init; }

    /// <summary>How a value reads on the pages (default: <see cref="Humanize"/>).</summary>
    public Func<string, string> Label { get; init; } = Humanize;

    /// <summary>How the page writes the filter in a sentence before its values ("route "), or nothing.</summary>
    public string Mention { get; init; } = string.Empty;

    public ChoiceControl Control { get; init; } = ChoiceControl.Checkboxes;

    /// <summary>The drop-down's first option, meaning "no filter" (for <see cref="ChoiceControl.Select"/>).</summary>
    public string AnyLabel { get; init; } = "any";

    /// <summary>SQL over <c>trials</c> giving a trial's values as a text array (the facet index reads it).</summary>
    public required string ValuesSql { get; init; }

    /// <summary>The trials with any of the values (the names, already canonical), as SQL through EF.</summary>
    public required Func<IQueryable<Trial>, List<string>, IQueryable<Trial>> Narrow { get; init; }

    /// <summary>The names the page offers.</summary>
    public IReadOnlyList<string> PageValues => Offered ?? Values;

    /// <summary>"Phase 1 or Phase 2", "route Intravenous": the values as the page writes them.</summary>
    public string Describe(IEnumerable<string> values) => Mention + string.Join(" or ", values.Select(Label));

    public override string ToString() => Parameter;

    /// <summary>
    /// A vocabulary name as words: RECRUITING → "Recruiting", EARLY_PHASE1 → "Early phase 1", PHASE2 → "Phase 2",
    /// NA → "Not applicable", INTRA_ARTERIAL → "Intra-arterial".
    /// </summary>
    public static string Humanize(string value) => value switch
    {
        "" => value,
        "EARLY_PHASE1" => "Early phase 1",
        "NA" => "Not applicable",
        "INTRA_ARTERIAL" => "Intra-arterial",
        "ROUTE_NOT_STATED" => "Route not stated",
        _ when value.StartsWith("PHASE", StringComparison.Ordinal) => "Phase " + value[5..],
        _ => char.ToUpperInvariant(value[0]) + value[1..].ToLowerInvariant().Replace('_', ' '),
    };

    /// <summary>Labels for some values; the others as <see cref="Humanize"/> words them.</summary>
    public static Func<string, string> Labelled(IReadOnlyDictionary<string, string> labels) =>
        value => labels.GetValueOrDefault(value) ?? Humanize(value);

    /// <summary>How an enum's values are read: their ClinicalTrials.gov names, or null.</summary>
    public static Func<string, string?> NameOf<T>() where T : struct, Enum => VocabularyNames.Canonical<T>;
}
