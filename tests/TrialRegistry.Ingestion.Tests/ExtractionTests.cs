using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Tests;

public sealed class ExtractionTests
{
    [Theory]
    [InlineData("3×10^6 cells/kg", 3e6, DoseUnit.CellsPerKg)]
    [InlineData("3 x 10\\^6 CAR-T cells/kg", 3e6, DoseUnit.CellsPerKg)]
    [InlineData("2.5×10⁶ cells/kg", 2.5e6, DoseUnit.CellsPerKg)]
    [InlineData("1e6 CAR+ T cells per kg", 1e6, DoseUnit.CellsPerKg)]
    [InlineData("a flat dose of 1.0 × 10^8 CAR-T cells", 1e8, DoseUnit.Cells)]
    [InlineData("5x10^7 cells/m2", 5e7, DoseUnit.CellsPerM2)]
    [InlineData("100 million CAR T cells", 1e8, DoseUnit.Cells)]
    public void Every_dose_notation_is_read_as_a_number_of_cells(string text, double value, DoseUnit unit)
    {
        var dose = Assert.Single(DoseExtractor.Extract(text));
        Assert.Equal(value, dose.Value, 6);
        Assert.Equal(unit, dose.Unit);
    }

    [Theory]
    [InlineData("White blood cell count >2.0×10⁹/L, platelets >50×10⁹/L")]
    [InlineData("absolute neutrophil count ≥1.5×109/L")]
    [InlineData("lymphocytes \\>0.5×10^9/L; hemoglobin >90g/L")]
    public void Lab_values_are_not_doses(string text) => Assert.Empty(DoseExtractor.Extract(text));

    [Fact]
    public void A_list_of_doses_shares_its_unit()
    {
        var doses = DoseExtractor.Extract("three dose levels: 1×10^6, 3×10^6 and 1×10^7 cells/kg");
        Assert.Equal([1e6, 3e6, 1e7], doses.Select(d => d.Value));
        Assert.All(doses, d => Assert.Equal(DoseUnit.CellsPerKg, d.Unit));
    }

    [Theory]
    [InlineData("3e6", 3e6)]
    [InlineData("3x10^6", 3e6)]
    [InlineData("3×10^6", 3e6)]
    [InlineData("3000000", 3e6)]
    public void Dose_values_from_user_input(string text, double expected) => Assert.Equal(expected, DoseExtractor.ParseValue(text));

    [Theory]
    [InlineData("Anti-CD19CAR-4-1BB-CD3zeta-EGFRt-expressing T lymphocytes", "CD19")]
    [InlineData("AntiCD19 Chimeric Antigen Receptor T Cells", "CD19")]
    [InlineData("CART-19 cells", "CD19")]
    [InlineData("Tisagenlecleucel", "CD19")]
    [InlineData("Idecabtagene vicleucel (bb2121)", "BCMA")]
    [InlineData("Anti-HER-2/neu CAR-T", "HER2")]
    [InlineData("cMet RNA CAR T cells", "MET")]
    [InlineData("Claudin18.2 CAR-T", "CLDN18.2")]
    public void Antigens_in_names_and_products(string name, string symbol) =>
        Assert.Equal([symbol], AntigenExtractor.FromNames([name]).Distinct());

    [Theory]
    [InlineData("second-generation CAR backbone with 4-1BB and CD3ζ and a CD28 hinge")]
    [InlineData("the immunophenotype should be CD4 and CD8 negative")]
    [InlineData("patients with CD20 positive disease")]
    public void Domains_and_markers_in_prose_are_not_targets(string prose) => Assert.Empty(AntigenExtractor.FromProse([prose]));

    [Fact]
    public void Prose_counts_antigens_in_a_targeting_phrase()
    {
        Assert.Equal(["CD7"], AntigenExtractor.FromProse(["to evaluate CD7-specific CAR-T cells in relapsed tumors"]).Distinct());
        Assert.Equal(["GPC3"], AntigenExtractor.FromProse(["T cells targeting glypican-3"]).Distinct());
    }

    [Theory]
    [InlineData("This is a phase I clinical study of CAR-T cells", TrialPhase.Phase1)]
    [InlineData("An open-label Phase 2 trial", TrialPhase.Phase2)]
    public void Phase_from_prose(string text, TrialPhase phase) => Assert.Equal([phase], FieldParsers.PhasesInProse(text));

    [Fact]
    public void Recommended_phase_II_dose_is_not_a_phase() =>
        Assert.Empty(FieldParsers.PhasesInProse("to determine the recommended phase II dose (RP2D) of the CAR-T cells"));

    [Theory]
    [InlineData("18 Years", 18)]
    [InlineData("6 Months", 0)]
    [InlineData("65 years", 65)]
    public void Ages_in_years(string text, int years) => Assert.Equal(years, FieldParsers.AgeYears(text));

    [Theory]
    [InlineData("Unknown status", TrialStatus.Unknown)]
    [InlineData("Active, not recruiting", TrialStatus.ActiveNotRecruiting)]
    [InlineData("RECRUITING", TrialStatus.Recruiting)]
    public void Status_in_every_wording(string text, TrialStatus status) => Assert.Equal(status, VocabularyNames.Parse<TrialStatus>(text));
}
