using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Prescreening;

namespace TrialRegistry.Ingestion.Tests.Prescreening;

/// <summary>A patient against checks read from criteria: met, not met, and unknown whenever the profile or the parser is unsure.</summary>
public sealed class CheckMatcherTests
{
    private static IReadOnlyList<CheckResult> Match(string criterion, CriterionKind side, PatientProfile patient) =>
        CheckMatcher.Match(EligibilityChecks.From(criterion, side), patient).Results;

    [Fact]
    public void An_exclusion_limit_is_met_or_not_by_the_patients_value_and_unknown_without_it()
    {
        const string criterion = "Platelet count < 50 × 10^9/L.";
        Assert.Equal(CheckOutcome.NotMet, Match(criterion, CriterionKind.Exclusion, new PatientProfile { Labs = new Dictionary<string, double> { ["platelets"] = 40 } }).Single().Outcome);
        Assert.Equal(CheckOutcome.Met, Match(criterion, CriterionKind.Exclusion, new PatientProfile { Labs = new Dictionary<string, double> { ["platelets"] = 60 } }).Single().Outcome);
        Assert.Equal(CheckOutcome.Unknown, Match(criterion, CriterionKind.Exclusion, new PatientProfile()).Single().Outcome);
    }

    [Fact]
    public void A_limit_in_another_unit_than_the_profiles_is_unknown()
    {
        // Bilirubin as a multiple of the upper limit; the profile gives mg/dL only.
        var result = Match("Total bilirubin ≤ 1.5 × ULN", CriterionKind.Inclusion, new PatientProfile { Labs = new Dictionary<string, double> { ["bilirubin"] = 3 } }).Single();
        Assert.Equal(CheckOutcome.Unknown, result.Outcome);
    }

    [Fact]
    public void An_exclusion_with_an_exception_is_to_confirm_never_not_met()
    {
        var results = Match("Active CNS involvement, unless treated and stable for 4 weeks", CriterionKind.Exclusion, new PatientProfile { CnsInvolvement = true });
        Assert.Equal(CheckOutcome.Unknown, results.Single().Outcome);
        Assert.Equal(CheckOutcome.NotMet, Match("Known CNS involvement by lymphoma", CriterionKind.Exclusion, new PatientProfile { CnsInvolvement = true }).Single().Outcome);
    }

    [Fact]
    public void Alternatives_of_one_criterion_count_once_and_are_met_by_either()
    {
        var results = Match("Serum creatinine ≤ 1.5 mg/dL or creatinine clearance ≥ 60 mL/min", CriterionKind.Inclusion,
            new PatientProfile { Labs = new Dictionary<string, double> { ["creatinine"] = 2.0, ["creatinine-clearance"] = 70 } });
        var single = Assert.Single(results);
        Assert.Equal(CheckOutcome.Met, single.Outcome);
        Assert.Contains(" or ", single.Requirement, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transplant_excluded_within_a_time_asks_how_long_ago()
    {
        const string criterion = "Allogeneic stem cell transplantation within 6 months before enrollment";
        Assert.Equal(CheckOutcome.NotMet, Match(criterion, CriterionKind.Exclusion, new PatientProfile { PriorAllogeneicTransplant = true, MonthsSinceTransplant = 3 }).Single().Outcome);
        Assert.Equal(CheckOutcome.Met, Match(criterion, CriterionKind.Exclusion, new PatientProfile { PriorAllogeneicTransplant = true, MonthsSinceTransplant = 12 }).Single().Outcome);
        Assert.Equal(CheckOutcome.Unknown, Match(criterion, CriterionKind.Exclusion, new PatientProfile { PriorAllogeneicTransplant = true }).Single().Outcome);
        Assert.Equal(CheckOutcome.Met, Match(criterion, CriterionKind.Exclusion, new PatientProfile { PriorAllogeneicTransplant = false }).Single().Outcome);
    }

    [Fact]
    public void Prior_therapy_against_an_antigen_is_matched_by_any_of_its_names()
    {
        var results = Match("Prior treatment with any BCMA-targeted therapy", CriterionKind.Exclusion, new PatientProfile { PriorAntigenTherapies = ["B-cell maturation antigen"] });
        Assert.Equal(CheckOutcome.NotMet, results.Single(r => r.Check.Kind == CheckKind.PriorAntigenTherapy).Outcome);
        Assert.Equal(CheckOutcome.Met, Match("Prior treatment with any BCMA-targeted therapy", CriterionKind.Exclusion, new PatientProfile { PriorAntigenTherapies = [] }).Single(r => r.Check.Kind == CheckKind.PriorAntigenTherapy).Outcome);
    }

    [Fact]
    public void Counting_agrees_with_matching_check_by_check()
    {
        var checks = new[]
        {
            "Age 18-70 years", "ECOG 0-1", "Serum creatinine ≤ 1.5 mg/dL or creatinine clearance ≥ 60 mL/min", "Platelets ≥ 75 × 10^9/L",
            "Prior CAR-T therapy", "Active hepatitis B or C", "Brain metastases unless treated and stable",
        }.SelectMany((c, i) => EligibilityChecks.From(c, i < 4 ? CriterionKind.Inclusion : CriterionKind.Exclusion)).ToList();
        var patients = new[]
        {
            new PatientProfile(),
            new PatientProfile { Age = 64, Ecog = 2, PriorCarT = true, Hbv = false, Hcv = false, CnsInvolvement = true, Labs = new Dictionary<string, double> { ["creatinine"] = 2, ["platelets"] = 80 } },
            new PatientProfile { Age = 30, Ecog = 0, PriorCarT = false, Labs = new Dictionary<string, double> { ["creatinine-clearance"] = 90 } },
        };
        foreach (var patient in patients)
        {
            var match = CheckMatcher.Match(checks, patient);
            Assert.Equal((match.Met, match.NotMet, match.Unknown), CheckMatcher.Count(checks, patient));
        }
    }

    [Theory]
    [InlineData("Age ≥ 18 years", CriterionKind.Inclusion, 18d, null)]
    [InlineData("Aged 18-75 years", CriterionKind.Inclusion, 18d, 75d)]
    [InlineData("Younger than 18 years old", CriterionKind.Exclusion, 18d, null)]
    [InlineData("Patients aged 18 years or older", CriterionKind.Inclusion, 18d, null)]
    public void Ages_read_as_the_limits_a_patient_must_meet(string criterion, CriterionKind side, double? min, double? max)
    {
        var age = EligibilityChecks.From(criterion, side).Single(c => c.Kind == CheckKind.Age);
        Assert.Equal((min, max), (age.Min, age.Max));
    }

    [Theory]
    [InlineData("Life expectancy of at least 12 weeks")]
    [InlineData("Written informed consent; for patients under 16 years, consent from a parent")]
    [InlineData("Women of childbearing potential must use effective contraception")]
    [InlineData("Adequate organ function")]
    public void Criteria_that_state_no_check_give_none(string criterion) =>
        Assert.Empty(EligibilityChecks.From(criterion, CriterionKind.Inclusion));
}
