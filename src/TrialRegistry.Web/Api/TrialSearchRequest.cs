using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using TrialRegistry.Data.Search;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Web.Api;

/// <summary>
/// The query string of <c>GET /api/v1/trials</c>, as given. Lists may repeat the parameter
/// (<c>phase=PHASE1&amp;phase=PHASE2</c>) or separate values with commas or <c>|</c>.
/// </summary>
public sealed class TrialSearchRequest
{
    /// <summary>Target antigen: canonical symbol or any synonym, any case (ERBB2, her-2 and HER2 all find HER2 trials). Several = any of.</summary>
    [FromQuery(Name = "antigen")]
    public string[]? Antigen { get; init; }

    // The phase filter: its values, description and checks are PhaseFilter's.
    [FromQuery(Name = "phase")]
    public string[]? Phase { get; init; }

    // The status filter: its values, description and checks are StatusFilter's.
    [FromQuery(Name = "status")]
    public string[]? Status { get; init; }

    /// <summary>
    /// Condition: a disease the registry's vocabulary knows finds its synonyms and narrower diseases ("B-ALL",
    /// "acute lymphoblastic leukemia", "lymphoma"); any text also finds condition names containing it, any case
    /// ("renal" finds "Renal Cell Carcinoma"). Several (repeated, or separated by |) = any of; commas belong to names.
    /// </summary>
    [FromQuery(Name = "condition")]
    public string[]? Condition { get; init; }

    /// <summary>Lowest dose level, in cells: 3e6, 3x10^6, 3×10^6 or 3000000.</summary>
    [FromQuery(Name = "doseMin")]
    public string? DoseMin { get; init; }

    /// <summary>Highest dose level, in cells (same notations as doseMin).</summary>
    [FromQuery(Name = "doseMax")]
    public string? DoseMax { get; init; }

    /// <summary>Unit of doseMin/doseMax: CELLS_PER_KG, CELLS or CELLS_PER_M2. Without it the range applies to any unit.</summary>
    [FromQuery(Name = "doseUnit")]
    public string? DoseUnit { get; init; }

    // The route filter: its values, description and checks are RouteFilter's.
    [FromQuery(Name = "route")]
    public string[]? Route { get; init; }

    // The modality filter: its values, description and checks are ModalityFilter's.
    [FromQuery(Name = "modality")]
    public string[]? Modality { get; init; }

    // The productType filter: its values, description and checks are ProductTypeFilter's.
    [FromQuery(Name = "productType")]
    public string[]? ProductType { get; init; }

    // The category filter: its values, description and checks are CategoryFilter's.
    [FromQuery(Name = "category")]
    public string[]? Category { get; init; }

    /// <summary>Country of a site, any case. Several = any of.</summary>
    [FromQuery(Name = "country")]
    public string[]? Country { get; init; }

    /// <summary>City of a site, any case ("Shanghai", "houston"). Several = any of.</summary>
    [FromQuery(Name = "city")]
    public string[]? City { get; init; }

    /// <summary>Region of a site: state, province or county as the registry writes it, any case ("Texas", "Zhejiang"). Several = any of.</summary>
    [FromQuery(Name = "region")]
    public string[]? Region { get; init; }

    /// <summary>
    /// Trials with a site within distanceKm of a place: "lat,lon" in degrees, a postal code, or a city where trials run
    /// ("Boston", "Cambridge, United Kingdom"); the place is located from the registry's own geocoded sites.
    /// </summary>
    [FromQuery(Name = "near")]
    public string? Near { get; init; }

    /// <summary>With near: the distance in kilometres, 1 to 20000 (default 100).</summary>
    [FromQuery(Name = "distanceKm")]
    public string? DistanceKm { get; init; }

    /// <summary>The patient's sex (FEMALE or MALE): trials open to it, to ALL, or that do not say.</summary>
    [FromQuery(Name = "sex")]
    public string? Sex { get; init; }

    /// <summary>The patient's age in years: trials whose age limits admit it, or that state none.</summary>
    [FromQuery(Name = "age")]
    public string? Age { get; init; }

    /// <summary>Full-text search over title, summaries, conditions, interventions, antigens and criteria (web search syntax: "quoted phrase", -not, or).</summary>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    /// <summary>
    /// relevance (default with q), lastUpdated (default without q), startDate, distance (with near: nearest site first).
    /// Dates are newest first; add :asc for oldest first (lastUpdated:asc), as ClinicalTrials.gov's sort does. Undated trials come last.
    /// </summary>
    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    /// <summary>Trials per page, 1 to 1000 (default 50).</summary>
    [FromQuery(Name = "pageSize")]
    public string? PageSize { get; init; }

    /// <summary>The nextPageToken of the previous page of the same query.</summary>
    [FromQuery(Name = "pageToken")]
    public string? PageToken { get; init; }

    /// <summary>true: include totalCount.</summary>
    [FromQuery(Name = "countTotal")]
    public string? CountTotal { get; init; }

    /// <summary>true: include facet counts (antigen, phase, status, condition, route, country, modality, productType) for the current filters.</summary>
    [FromQuery(Name = "facets")]
    public string? Facets { get; init; }

    /// <summary>
    /// Only these fields of each trial (like ClinicalTrials.gov's fields=): names of the trial summary's JSON fields,
    /// repeated or comma-separated; registryId is always given. In CSV, the columns.
    /// </summary>
    [FromQuery(Name = "fields")]
    public string[]? Fields { get; init; }

    /// <summary>The field names a trial in the search's answer has (its JSON names).</summary>
    public static IReadOnlyList<string> SummaryFields { get; } = typeof(TrialSummary).GetProperties()
        .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToList();

    /// <summary>json (default), csv, or atom (a feed of the trials changed here last, to follow the search).</summary>
    [FromQuery(Name = "format")]
    public string? Format { get; init; }

    internal static IReadOnlyList<string> Split(string[]? values) =>
        values is null ? [] : values.Where(v => !string.IsNullOrEmpty(v)).SelectMany(v => v.Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    /// <summary>Condition values: repeated, or separated by | (not commas: "Lymphoma, B-Cell" is one name).</summary>
    internal static IReadOnlyList<string> SplitConditions(string[]? values) =>
        values is null ? [] : values.Where(v => !string.IsNullOrEmpty(v)).SelectMany(v => v.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    /// <summary>The query parameter names this search reads, as written.</summary>
    public static IReadOnlySet<string> ParameterNames { get; } = QueryNames(_ => true);

    /// <summary>The parameters that take one value (the others are lists: repeated, or separated by commas or |).</summary>
    public static IReadOnlySet<string> SingleValued { get; } = QueryNames(p => p.PropertyType == typeof(string));

    /// <summary>The query-string names ([FromQuery]) of this request's properties that <paramref name="which"/> selects.</summary>
    private static HashSet<string> QueryNames(Func<System.Reflection.PropertyInfo, bool> which) => typeof(TrialSearchRequest).GetProperties()
        .Where(which)
        .Select(QueryName)
        .OfType<string>()
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// What the query string says that the search would otherwise ignore and so answer a different question than
    /// the one asked: a parameter it does not read, named with the one it probably meant ("page_size": pageSize),
    /// and a single-value parameter given twice (which of the two?).
    /// </summary>
    public static Dictionary<string, string[]> StrictnessProblems(IQueryCollection query)
    {
        static string Folded(string name) => new string(name.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        var unknown = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var name in query.Keys.Where(n => SingleValued.Contains(n) && query[n].Count > 1))
        {
            unknown[name] = [$"'{name}' takes one value and was given {query[name].Count}; give it once."];
        }

        foreach (var name in query.Keys.Where(n => !ParameterNames.Contains(n)))
        {
            var meant = ParameterNames.FirstOrDefault(p => Folded(p) == Folded(name));
            unknown[name] = [meant is null
                ? $"'{name}' is not a parameter of this search; the parameters are: {string.Join(", ", ParameterNames.Order(StringComparer.Ordinal))}."
                : $"'{name}' is not a parameter of this search; did you mean '{meant}'?"];
        }

        return unknown;
    }

    /// <summary>A property's name in the query string ([FromQuery]), or null.</summary>
    private static string? QueryName(System.Reflection.PropertyInfo property) =>
        property.GetCustomAttributes(typeof(FromQueryAttribute), false).OfType<FromQueryAttribute>().FirstOrDefault()?.Name;

    /// <summary>The request's property for each vocabulary filter, by parameter (every filter has one: checked as the type loads).</summary>
    private static readonly Dictionary<string, System.Reflection.PropertyInfo> ChoiceProperties = SearchFilters.Choices.ToDictionary(
        f => f.Parameter,
        f => typeof(TrialSearchRequest).GetProperties().SingleOrDefault(p => QueryName(p) == f.Parameter)
            ?? throw new InvalidOperationException($"The search filter '{f.Parameter}' has no [FromQuery(Name = \"{f.Parameter}\")] property on {nameof(TrialSearchRequest)}."),
        StringComparer.Ordinal);

    /// <summary>A vocabulary filter's parameter as given (each occurrence).</summary>
    internal string[]? Given(ChoiceFilter filter) => (string[]?)ChoiceProperties[filter.Parameter].GetValue(this);

    /// <summary>The sorts a request may name, each with its default direction first (as the OpenAPI enum lists them).</summary>
    internal static IReadOnlyList<string> SortValues { get; } =
        ["relevance", "lastUpdated", "lastUpdated:desc", "lastUpdated:asc", "startDate", "startDate:desc", "startDate:asc", "distance"];

    /// <summary>
    /// A sort as <c>field</c> or <c>field:asc|desc</c> (ClinicalTrials.gov's form; its names LastUpdatePostDate and
    /// @relevance are understood too). Relevance is always best first and distance nearest first. Null: not a sort.
    /// </summary>
    internal static (TrialSort? Sort, SortDirection? Direction)? ParseSort(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (null, null);
        }

        var parts = value.Split(':', StringSplitOptions.TrimEntries);
        TrialSort? sort = parts[0].ToUpperInvariant() switch
        {
            "RELEVANCE" or "@RELEVANCE" => TrialSort.Relevance,
            "LASTUPDATED" or "LAST_UPDATED" or "LASTUPDATEPOSTDATE" => TrialSort.LastUpdated,
            "STARTDATE" or "START_DATE" => TrialSort.StartDate,
            "DISTANCE" => TrialSort.Distance,
            _ => null,
        };
        SortDirection? direction = parts.Length == 1 ? null : parts[1].ToUpperInvariant() switch
        {
            "ASC" => SortDirection.Ascending,
            "DESC" => SortDirection.Descending,
            _ => (SortDirection)(-1),
        };
        var fits = sort switch
        {
            null => false,
            TrialSort.Relevance => direction is null or SortDirection.Descending,
            TrialSort.Distance => direction is null or SortDirection.Ascending,
            _ => direction is null or SortDirection.Ascending or SortDirection.Descending,
        };
        return parts.Length <= 2 && fits ? (sort, direction) : null;
    }

    internal static bool? ParseBool(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => false,
        "TRUE" or "1" or "YES" => true,
        "FALSE" or "0" or "NO" => false,
        _ => null,
    };

    /// <summary>The query this request asks for; call only after validation passed.</summary>
    public TrialQuery ToQuery() => SearchFilters.Choices.Aggregate(new TrialQuery
    {
        Antigens = Split(Antigen),
        Conditions = SplitConditions(Condition),
        DoseMin = DoseExtractor.ParseValue(DoseMin),
        DoseMax = DoseExtractor.ParseValue(DoseMax),
        DoseUnit = string.IsNullOrWhiteSpace(DoseUnit) ? null : VocabularyNames.Canonical<DoseUnit>(DoseUnit),
        Countries = Split(Country),
        Cities = Split(City),
        Regions = Split(Region),
        Near = string.IsNullOrWhiteSpace(Near) ? null : Near.Trim(),
        DistanceKm = string.IsNullOrWhiteSpace(DistanceKm) ? TrialQuery.DefaultDistanceKm : double.Parse(DistanceKm, System.Globalization.CultureInfo.InvariantCulture),
        Sex = string.IsNullOrWhiteSpace(Sex) || VocabularyNames.Canonical<Sex>(Sex) == "ALL" ? null : VocabularyNames.Canonical<Sex>(Sex),
        Age = string.IsNullOrWhiteSpace(Age) ? null : int.Parse(Age, System.Globalization.CultureInfo.InvariantCulture),
        Text = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(),
        Sort = ParseSort(Sort)?.Sort,
        Direction = ParseSort(Sort)?.Direction,
        PageSize = string.IsNullOrWhiteSpace(PageSize) ? TrialQuery.DefaultPageSize : int.Parse(PageSize, System.Globalization.CultureInfo.InvariantCulture),
        CountTotal = ParseBool(CountTotal) == true,
        Facets = ParseBool(Facets) == true,
        After = PageCursor.TryDecode(PageToken),
    }, (query, filter) => query.Choosing(filter, [.. Split(Given(filter)).Select(v => filter.Canonical(v)!).Distinct()]));
}

/// <summary>Names the bad parameter and its allowed values.</summary>
public sealed class TrialSearchRequestValidator : AbstractValidator<TrialSearchRequest>
{
    private static string Allowed<T>() where T : struct, Enum => string.Join(", ", VocabularyNames.AllNames<T>());

    private static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"'{(v.Length > 40 ? v[..40] + "…" : v)}'"));

    public TrialSearchRequestValidator()
    {
        foreach (var filter in SearchFilters.Choices)
        {
            RuleFor(r => TrialSearchRequest.Split(r.Given(filter))).Must(values => values.All(v => filter.Canonical(v) is not null))
                .OverridePropertyName(filter.Parameter)
                .WithMessage(r => $"{Quoted(TrialSearchRequest.Split(r.Given(filter)).Where(v => filter.Canonical(v) is null))} is not {filter.Noun}; allowed: {string.Join(", ", filter.Values)}.");
            NotOnlySeparators(r => r.Given(filter), filter.Parameter);
        }

        NotOnlySeparators(r => r.Antigen, "antigen");
        NotOnlySeparators(r => r.Country, "country");
        NotOnlySeparators(r => r.City, "city");
        NotOnlySeparators(r => r.Region, "region");
        NotOnlySeparators(r => r.Condition, "condition");
        NotOnlySeparators(r => r.Fields, "fields");
        RuleFor(r => TrialSearchRequest.Split(r.Fields)).Must((r, values) => values.All(v => (string.Equals(r.Format?.Trim(), "csv", StringComparison.OrdinalIgnoreCase) ? CsvExport.Columns : TrialSearchRequest.SummaryFields).Contains(v)))
            .OverridePropertyName("fields")
            .WithMessage(r =>
            {
                var csv = string.Equals(r.Format?.Trim(), "csv", StringComparison.OrdinalIgnoreCase);
                var allowed = csv ? CsvExport.Columns : TrialSearchRequest.SummaryFields;
                return $"{Quoted(TrialSearchRequest.Split(r.Fields).Where(v => !allowed.Contains(v)))} is not a {(csv ? "CSV column" : "field of a trial")}; allowed: {string.Join(", ", allowed)}.";
            });
        RuleFor(r => r.Facets).Must(_ => false)
            .When(r => TrialSearchRequest.ParseBool(r.Facets) == true && string.Equals(r.Format?.Trim(), "csv", StringComparison.OrdinalIgnoreCase))
            .OverridePropertyName("facets").WithMessage("Facets are not part of the CSV export; ask for them with format=json (the default).");
        RuleFor(r => TrialSearchRequest.Split(r.Antigen)).Must(values => values.All(v => v.Length <= 64))
            .OverridePropertyName("antigen").WithMessage("An antigen name is at most 64 characters.");
        RuleFor(r => TrialSearchRequest.Split(r.Country)).Must(values => values.All(v => v.Length <= 100))
            .OverridePropertyName("country").WithMessage("A country name is at most 100 characters.");
        RuleFor(r => TrialSearchRequest.Split(r.Antigen).Count + TrialSearchRequest.Split(r.Country).Count).LessThanOrEqualTo(50)
            .OverridePropertyName("antigen").WithMessage("At most 50 antigen and country values in one query.");
        RuleFor(r => TrialSearchRequest.SplitConditions(r.Condition)).Must(values => values.All(v => v.Length <= 200) && values.Count <= 20)
            .OverridePropertyName("condition").WithMessage("At most 20 conditions, each at most 200 characters.");
        RuleFor(r => r).Must(r => !AllText(r).Any(v => v.Any(c => char.IsControl(c))))
            .OverridePropertyName("query").WithMessage("Parameters may not hold control characters.");
        RuleFor(r => r.Q).MaximumLength(500).OverridePropertyName("q");

        RuleFor(r => r.DoseMin).Must(BeADose).When(r => !string.IsNullOrWhiteSpace(r.DoseMin))
            .OverridePropertyName("doseMin").WithMessage("'{PropertyValue}' is not a dose; write a number of cells such as 3e6, 3x10^6, 3×10^6 or 3000000.");
        RuleFor(r => r.DoseMax).Must(BeADose).When(r => !string.IsNullOrWhiteSpace(r.DoseMax))
            .OverridePropertyName("doseMax").WithMessage("'{PropertyValue}' is not a dose; write a number of cells such as 1e7, 1x10^7, 1×10^7 or 10000000.");
        RuleFor(r => r).Must(r => DoseExtractor.ParseValue(r.DoseMin) <= DoseExtractor.ParseValue(r.DoseMax))
            .When(r => BeADose(r.DoseMin) && BeADose(r.DoseMax))
            .OverridePropertyName("doseMax").WithMessage("doseMax must not be below doseMin.");
        RuleFor(r => r.DoseUnit).Must(v => VocabularyNames.Canonical<DoseUnit>(v!) is not null).When(r => !string.IsNullOrWhiteSpace(r.DoseUnit))
            .OverridePropertyName("doseUnit").WithMessage($"'{{PropertyValue}}' is not a dose unit; allowed: {Allowed<DoseUnit>()}.");
        RuleFor(r => r.Sex).Must(v => VocabularyNames.Canonical<Sex>(v!) is not null).When(r => !string.IsNullOrWhiteSpace(r.Sex))
            .OverridePropertyName("sex").WithMessage($"'{{PropertyValue}}' is not a sex; allowed: {Allowed<Sex>()}.");
        RuleFor(r => r.Age).Must(v => int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var age) && age is >= 0 and <= 130)
            .When(r => !string.IsNullOrWhiteSpace(r.Age))
            .OverridePropertyName("age").WithMessage("'{PropertyValue}' is not an age; give whole years from 0 to 130.");
        RuleFor(r => r.Sort).Must(v => TrialSearchRequest.ParseSort(v) is not null)
            .OverridePropertyName("sort").WithMessage($"'{{PropertyValue}}' is not a sort; allowed: {string.Join(", ", TrialSearchRequest.SortValues)} (relevance is best match first, distance nearest first).");
        RuleFor(r => r.Sort).Must(_ => false).When(r => TrialSearchRequest.ParseSort(r.Sort)?.Sort == TrialSort.Distance && string.IsNullOrWhiteSpace(r.Near))
            .OverridePropertyName("sort").WithMessage("sort=distance needs near (a place to measure from).");
        RuleFor(r => TrialSearchRequest.Split(r.City).Concat(TrialSearchRequest.Split(r.Region))).Must(values => values.All(v => v.Length <= 100))
            .OverridePropertyName("city").WithMessage("A city or region name is at most 100 characters.");
        RuleFor(r => r.Near).MaximumLength(200).OverridePropertyName("near").WithMessage("near is at most 200 characters.");
        RuleFor(r => r.DistanceKm).Must(v => double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var km) && km is >= 1 and <= 20000)
            .When(r => !string.IsNullOrWhiteSpace(r.DistanceKm))
            .OverridePropertyName("distanceKm").WithMessage("'{PropertyValue}' is not a distance; give kilometres from 1 to 20000.");
        RuleFor(r => r.PageSize).Must(v => int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= TrialQuery.MaxPageSize)
            .When(r => !string.IsNullOrWhiteSpace(r.PageSize))
            .OverridePropertyName("pageSize").WithMessage($"'{{PropertyValue}}' is not a page size; give a whole number from 1 to {TrialQuery.MaxPageSize}.");
        RuleFor(r => r.CountTotal).Must(v => TrialSearchRequest.ParseBool(v) is not null)
            .OverridePropertyName("countTotal").WithMessage("'{PropertyValue}' is not a boolean; allowed: true, false.");
        RuleFor(r => r.Facets).Must(v => TrialSearchRequest.ParseBool(v) is not null)
            .OverridePropertyName("facets").WithMessage("'{PropertyValue}' is not a boolean; allowed: true, false.");
        RuleFor(r => r.Format).Must(v => v is null || v.Trim().ToUpperInvariant() is "JSON" or "CSV" or "ATOM")
            .OverridePropertyName("format").WithMessage("'{PropertyValue}' is not a format; allowed: json, csv, atom.");
        // A feed is one page of the latest changes: what would page or reorder it, or add to it, is not part of it.
        RuleFor(r => r.Sort).Must(_ => false).When(r => IsAtom(r) && !string.IsNullOrWhiteSpace(r.Sort))
            .OverridePropertyName("sort").WithMessage("A feed is ordered by change time, latest first; leave sort out with format=atom.");
        RuleFor(r => r.PageToken).Must(_ => false).When(r => IsAtom(r) && !string.IsNullOrEmpty(r.PageToken))
            .OverridePropertyName("pageToken").WithMessage("A feed has one page (the latest changes); leave pageToken out with format=atom.");
        RuleFor(r => r.Fields).Must(_ => false).When(r => IsAtom(r) && r.Fields is { Length: > 0 })
            .OverridePropertyName("fields").WithMessage("A feed's entries are whole trials; leave fields out with format=atom.");
        RuleFor(r => r.Facets).Must(_ => false).When(r => IsAtom(r) && TrialSearchRequest.ParseBool(r.Facets) == true)
            .OverridePropertyName("facets").WithMessage("Facets are not part of a feed; ask for them with format=json (the default).");
        RuleFor(r => r.PageToken).Must(v => PageCursor.TryDecode(v) is not null).When(r => !string.IsNullOrEmpty(r.PageToken))
            .OverridePropertyName("pageToken").WithMessage("The pageToken is not one this API issued; use the nextPageToken of the previous page.");
    }

    private static bool IsAtom(TrialSearchRequest r) => string.Equals(r.Format?.Trim(), "atom", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> AllText(TrialSearchRequest r) =>
        new[] { r.DoseMin, r.DoseMax, r.DoseUnit, r.Sex, r.Age, r.Q, r.Sort, r.PageSize, r.PageToken, r.CountTotal, r.Facets, r.Format, r.Near, r.DistanceKm }
            .Concat(r.Condition ?? []).Concat(r.Fields ?? []).Concat(r.Antigen ?? []).Concat(r.Country ?? []).Concat(r.City ?? []).Concat(r.Region ?? [])
            .Concat(SearchFilters.Choices.SelectMany(f => r.Given(f) ?? []))
            .Where(v => v is not null)!;

    /// <summary>
    /// A list parameter that is given but holds only separators or spaces (<c>antigen=,,,</c>) is an error, not "no
    /// filter": dropping it silently would return every trial.
    /// </summary>
    private void NotOnlySeparators(System.Linq.Expressions.Expression<Func<TrialSearchRequest, string[]?>> values, string name)
    {
        RuleFor(values).Must(v => v is null || v.All(string.IsNullOrEmpty) || v.Any(x => x.Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length > 0))
            .OverridePropertyName(name)
            .WithMessage($"'{name}' is given without a value; leave it out to search without it.");
    }

    private static bool BeADose(string? value) => DoseExtractor.ParseValue(value) is >= 0;
}
