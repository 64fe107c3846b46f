using FluentValidation;
using TrialRegistry.Data.Search;
using TrialRegistry.Testing;
using TrialRegistry.Web.Api;

namespace TrialRegistry.Web.Tests;

/// <summary>
/// The vocabulary filters' definitions, without a database: what the request reads, refuses and how the page writes
/// them come from each definition, for every filter listed in <see cref="SearchFilters.Choices"/>.
/// </summary>
public sealed class SearchFilterTests
{
    public static TheoryData<string> Choices() => [.. SearchFilters.Choices.Select(f => f.Parameter)];

    private static readonly TrialSearchRequestValidator Validator = new();

    [Theory]
    [MemberData(nameof(Choices))]
    public void Each_value_is_read_in_any_case_and_listed_once(string parameter)
    {
        var filter = SearchFilters.Choice(parameter)!;
        Assert.NotEmpty(filter.Values);
        Assert.All(filter.PageValues, v => Assert.Contains(v, filter.Values));
        foreach (var value in filter.Values)
        {
            Assert.Equal(value, filter.Canonical(value));
            Assert.Equal(value, filter.Canonical(value.ToLowerInvariant()));
        }

        Assert.Null(filter.Canonical("NO_SUCH_VALUE"));
        var query = ApiQueries.Parse($"{parameter}={string.Join(',', filter.Values.Select(v => v.ToLowerInvariant()))}&{parameter}={filter.Values[0]}");
        Assert.Equal(filter.Values, query.Chosen(filter));
        Assert.True(query.HasCriteria);
        Assert.NotEqual(new TrialQuery().Fingerprint(), query.Fingerprint());
    }

    [Theory]
    [MemberData(nameof(Choices))]
    public void A_value_outside_the_vocabulary_is_refused_naming_the_allowed_ones(string parameter)
    {
        var filter = SearchFilters.Choice(parameter)!;
        var request = ApiQueries.Request($"{parameter}={filter.Values[0]},made-up");
        var errors = Validator.Validate(request).Errors.Where(e => e.PropertyName == parameter).Select(e => e.ErrorMessage).ToList();
        var error = Assert.Single(errors);
        Assert.StartsWith($"'made-up' is not {filter.Noun}; allowed: ", error, StringComparison.Ordinal);
        Assert.All(filter.Values, v => Assert.Contains(v, error, StringComparison.Ordinal));

        var empty = Validator.Validate(ApiQueries.Request($"{parameter}=,,")).Errors.Select(e => e.ErrorMessage);
        Assert.Contains($"'{parameter}' is given without a value; leave it out to search without it.", empty);
    }

    [Theory]
    [MemberData(nameof(Choices))]
    public void Each_value_reads_as_words_of_its_own(string parameter)
    {
        var filter = SearchFilters.Choice(parameter)!;
        var labels = filter.Values.Select(filter.Label).ToList();
        Assert.All(labels, l => Assert.False(string.IsNullOrWhiteSpace(l) || l.Contains('_', StringComparison.Ordinal), $"{parameter}: '{l}'"));
        Assert.Equal(labels.Count, labels.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(filter.Mention + labels[0] + " or " + labels[1], filter.Describe(filter.Values.Take(2)));
    }

    [Fact]
    public void A_dropped_filter_leaves_the_others()
    {
        var query = ApiQueries.Parse("phase=PHASE1&status=RECRUITING&route=INTRAVENOUS");
        var without = query.Choosing(StatusFilter.Definition, []);
        Assert.Empty(without.Statuses);
        Assert.Equal(["PHASE1"], without.Phases);
        Assert.Equal(["INTRAVENOUS"], without.Routes);
        Assert.NotEqual(query.Fingerprint(), without.Fingerprint());
    }
}
