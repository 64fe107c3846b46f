using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>The criteria clinicians screen on first, read from criteria as trials write them.</summary>
public sealed class ScreeningFactsTests
{
    private static string? Value(string topic, string[] inclusion, string[] exclusion) =>
        ScreeningFacts.From(inclusion, exclusion).SingleOrDefault(f => f.Topic == topic)?.Value;

    [Theory]
    [InlineData("ECOG performance status 0-1.", "0–1")]
    [InlineData("Eastern Cooperative Oncology Group (ECOG) performance status of 0 or 1", "0–1")]
    [InlineData("ECOG score ≤ 2", "0–2")]
    [InlineData("ECOG PS < 2", "0–1")]
    [InlineData("ECOG 0, 1 or 2;", "0–2")]
    [InlineData("ECOG performance status: 0 to 3", "0–3")]
    [InlineData("An ECOG performance status of 0", "0")]
    [InlineData("Subjects with the Eastern Cooperative Oncology Group (ECOG) fitness scores of 0 to 2.", "0–2")]
    [InlineData("ECOG score≤ 2 points;", "0–2")]
    [InlineData("Patients must have Eastern Cooperative Oncology Group (ECOG) performance status =< 1 and a life expectancy of at least 3 months", "0–1")]
    public void The_ecog_scores_an_inclusion_criterion_admits(string criterion, string scores) =>
        Assert.Equal(scores, Value(ScreeningFacts.Ecog, [criterion], []));

    [Theory]
    [InlineData("Karnofsky performance status ≥ 60%")]
    [InlineData("ECOG assessment will be repeated at every visit")]
    public void No_ecog_without_scores(string criterion) => Assert.Null(Value(ScreeningFacts.Ecog, [criterion], []));

    [Fact]
    public void Prior_car_t_excluded_required_or_allowed()
    {
        Assert.Equal("excluded", Value(ScreeningFacts.PriorCarT, [], ["Prior treatment with any CAR-T cell therapy."]));
        // Excluded only within a time: a CAR-T given earlier is the exception.
        Assert.Equal("excluded with exceptions", Value(ScreeningFacts.PriorCarT, [], ["Previously received chimeric antigen receptor T cells within 3 months"]));
        Assert.Equal("allowed", Value(ScreeningFacts.PriorCarT, ["Relapsed after prior CD19 CAR-T therapy"], []));
        Assert.Equal("excluded with exceptions", Value(ScreeningFacts.PriorCarT, [], ["Prior CAR-T therapy, unless given more than 3 months ago"]));
        Assert.Null(Value(ScreeningFacts.PriorCarT, ["CD19-positive B-cell lymphoma"], ["Active hepatitis B"]));
    }

    [Fact]
    public void Cns_involvement_excluded_or_allowed()
    {
        Assert.Equal("excluded", Value(ScreeningFacts.Cns, [], ["Active central nervous system involvement by malignancy"]));
        Assert.Equal("excluded", Value(ScreeningFacts.Cns, [], ["Known brain metastases"]));
        Assert.Equal("excluded with exceptions", Value(ScreeningFacts.Cns, [], ["Active CNS metastasis: subjects with treated brain metastases are eligible if stable for 4 weeks"]));
        Assert.Equal("excluded", Value(ScreeningFacts.Cns, [], ["Active CNS disease"]));
        Assert.Null(Value(ScreeningFacts.Cns, [], ["Other central nervous system diseases (such as seizures, cerebral hemorrhage, dementia)"]));
        Assert.Equal("allowed", Value(ScreeningFacts.Cns, ["Secondary CNS lymphoma"], []));
        Assert.Equal("allowed with conditions", Value(ScreeningFacts.Cns, ["Subjects with brain metastases are eligible provided they are stable"], []));
        Assert.Null(Value(ScreeningFacts.Cns, ["Symptomatic, untreated, or actively progressing CNS metastases"], []));
        Assert.Equal("excluded with exceptions", Value(ScreeningFacts.Cns, [], ["Known active CNS metastases. Participants with previously treated brain metastases may participate provided they are stable"]));
        Assert.Equal("excluded", Value(ScreeningFacts.Cns, ["No CNS disease"], [])); // an inclusion that negates it excludes it
        Assert.Null(Value(ScreeningFacts.Cns, ["Adequate renal function"], ["Pregnancy"]));
    }
}
