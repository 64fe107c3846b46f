using TrialRegistry.Data.Search;

namespace TrialRegistry.Data.Tests;

/// <summary>What the words of the search box mean, without a database.</summary>
public sealed class SearchWordsTests
{
    [Theory]
    [InlineData("NCT05850234", "NCT05850234")]
    [InlineData(" nct05850234 ", "NCT05850234")]
    [InlineData("NCT05850234, NCT06586658", "NCT05850234|NCT06586658")]
    [InlineData("NCT05850234 or nct06586658", "NCT05850234|NCT06586658")]
    [InlineData("chictr2400081234", "ChiCTR2400081234")]
    [InlineData("2021-001234-12", "2021-001234-12")]
    public void Registry_numbers_alone_are_a_search_for_those_trials(string typed, string ids)
    {
        var words = SearchWords.Read(typed);
        Assert.True(words.OnlyIds);
        Assert.Equal(ids.Split('|'), words.RegistryIds);
    }

    [Theory]
    [InlineData("NCT05850234 glioblastoma")]
    [InlineData("CD19 2023")]
    [InlineData("phase 2")]
    public void Numbers_among_other_words_are_searched_as_text(string typed)
    {
        var words = SearchWords.Read(typed);
        Assert.False(words.OnlyIds);
        Assert.Equal(typed, words.FullText);
    }

    [Theory]
    [InlineData("CD-19", "CD19", "CD19")]
    [InlineData("her-2 breast cancer", "HER2 breast cancer", "HER2")]
    [InlineData("cd 22 leukemia", "CD22 leukemia", "CD22")]
    [InlineData("BCMA myeloma", "BCMA myeloma", "BCMA")]
    [InlineData("mesothelin", "mesothelin", "MSLN")]
    public void Antigen_spellings_are_read_as_the_symbol_the_records_carry(string typed, string fullText, string symbol)
    {
        var words = SearchWords.Read(typed);
        Assert.Equal(fullText, words.FullText);
        Assert.Equal(symbol, Assert.Single(words.Antigens).Symbol);
    }

    [Theory]
    [InlineData("all patients with lymphoma")]
    [InlineData("renal cell carcinoma")]
    [InlineData("car t cells")]
    public void Ordinary_words_name_no_antigen(string typed) => Assert.Empty(SearchWords.Read(typed).Antigens);
}
