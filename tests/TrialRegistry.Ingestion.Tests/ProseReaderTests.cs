using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>
/// The small readers of free text, each on sentences written for the test: what a careful reader takes from a
/// sentence, and what they leave (a median age is not an age limit, a prior CAR-T is not this trial's target).
/// </summary>
public sealed class ProseReaderTests
{
    [Theory]
    [InlineData("The study is recruiting at two hospitals in Houston.", TrialStatus.Recruiting)]
    [InlineData("The study has enrolled 36 participants and is active but no longer recruiting.", TrialStatus.ActiveNotRecruiting)]
    [InlineData("The study has been completed; 134 participants were enrolled.", TrialStatus.Completed)]
    [InlineData("Status on ClinicalTrials.gov: Suspended", TrialStatus.Suspended)]
    [InlineData("Prematurely Ended", TrialStatus.Terminated)]
    public void Status_is_read_from_what_the_sentence_says_of_the_study(string sentence, TrialStatus status) =>
        Assert.Equal(status, StatusInProse.Of(sentence));

    [Theory]
    [InlineData("All subjects have completed lymphodepletion before the cells are released.")]
    [InlineData("Data will be shared within 6 months after the trial is completed.")]
    [InlineData("A second study at another hospital is listed as recruiting.")]
    public void Other_things_that_are_completed_or_recruiting_are_not_the_status(string sentence)
    {
        var context = new TrialContext(["NCT01234567"], []);
        Assert.Null(StatusInProse.Find([sentence]) is { } s && !context.IsBackground(sentence) ? s : null);
    }

    [Theory]
    [InlineData("Seventeen patients were enrolled and all 17 received the product.", 17, EnrollmentType.Actual)]
    [InlineData("It randomized 359 patients aged 18 years or older.", 359, EnrollmentType.Actual)]
    [InlineData("The study plans to treat up to 41 subjects across two parts.", 41, EnrollmentType.Estimated)]
    [InlineData("About 30 participants are planned.", 30, EnrollmentType.Estimated)]
    public void Enrollment_counts_the_enrolled_or_planned_not_the_treated(string sentence, int count, EnrollmentType type) =>
        Assert.Equal(new Enrollment(count, type), EnrollmentInProse.Find([sentence]));

    [Fact]
    public void Patients_treated_or_evaluable_are_not_the_enrollment() =>
        Assert.Null(EnrollmentInProse.Find(["Twenty subjects had received LB2102 and 17 were evaluable for response."]));

    [Theory]
    [InlineData("Male and female patients aged 3 to 39 years were eligible.", 3, 39)]
    [InlineData("Children and adults up to 75 years of age can take part.", null, 75)]
    [InlineData("Eligible patients were adults (≥18 years) with myeloma.", 18, null)]
    [InlineData("1. >= 18 years of age.", 18, null)]
    [InlineData("Aged >= 12 months at the time written consent is given.", 1, null)]
    [InlineData("Be 18 to 75 years old.", 18, 75)]
    public void Age_limits_come_from_eligibility_sentences(string sentence, int? min, int? max)
    {
        var (lo, hi, stated) = AgesInProse.Of(sentence);
        Assert.True(stated);
        Assert.Equal((min, max), (lo, hi));
    }

    [Theory]
    [InlineData("The median age was 60 years (range, 38–76).")]
    [InlineData("Thirteen had lupus (10 of 13 female; age range 17-58 years).")]
    [InlineData("Patients remain in remission with follow-up of up to 46 months.")]
    public void Ages_of_the_people_treated_are_not_limits(string sentence) => Assert.False(AgesInProse.Of(sentence).Stated);

    [Theory]
    [InlineData("sponsored by the National Cancer Institute (NCI), asked whether", "National Cancer Institute (NCI)")]
    [InlineData("The study is sponsored by Kite, a Gilead Company.", "Kite, a Gilead Company")]
    [InlineData("It is sponsored by Autolus Limited, a wholly owned subsidiary of Autolus Therapeutics plc.", "Autolus Limited")]
    [InlineData("Open-label phase I/II study sponsored by F. Hoffmann-La Roche Ltd.", "F. Hoffmann-La Roche Ltd")]
    [InlineData("Celgene was the lead sponsor and bluebird bio the collaborator.", "Celgene")]
    [InlineData("Baylor College of Medicine runs this phase I gene-transfer study.", "Baylor College of Medicine")]
    public void The_sponsor_name_ends_where_the_sentence_goes_on(string sentence, string sponsor) =>
        Assert.Equal(sponsor, SponsorInProse.Find([sentence]));

    [Theory]
    [InlineData("The study enrolled patients with B-cell acute lymphoblastic leukemia or B-cell non-Hodgkin lymphoma, relapsed or refractory.", "B-cell acute lymphoblastic leukemia|B-cell non-Hodgkin lymphoma")]
    [InlineData("for patients with small cell lung cancer (SCLC) or large cell neuroendocrine carcinoma (LCNEC) that relapsed", "small cell lung cancer|large cell neuroendocrine carcinoma")]
    [InlineData("in adults with head and neck cancer whose disease progressed", "head and neck cancer")]
    public void Conditions_are_the_diseases_named_after_patients_with(string sentence, string conditions) =>
        Assert.Equal(conditions.Split('|'), ConditionsInProse.FromProse([sentence]));

    [Theory]
    [InlineData("The study is enrolling adults with relapsed disease.")]
    [InlineData("Patients with the syndrome were excluded from the first cohort.")]
    public void A_word_for_any_illness_is_not_a_condition(string sentence) => Assert.Empty(ConditionsInProse.FromProse([sentence]));

    [Theory]
    [InlineData("It runs at sites in the United States and in Canada at the University of Alberta.", "United States|Canada")]
    [InlineData("Patients were treated at Peking University Shenzhen Hospital, China.", "China")]
    [InlineData("Location: Memorial Sloan Kettering Cancer Center, New York, NY", "United States")]
    public void Site_countries_come_from_sentences_about_sites(string sentence, string countries) =>
        Assert.Equal(countries.Split('|'), SiteCountries.FromProse([sentence]));

    [Theory]
    [InlineData("Kite is a biopharmaceutical company based in Santa Monica, California.")]
    [InlineData("In the United States, the product is approved for adults with lymphoma.")]
    public void A_company_seat_or_an_approval_is_not_a_site(string sentence) => Assert.Empty(SiteCountries.FromProse([sentence]));

    [Theory]
    [InlineData("T cells carrying a CAR that recognises CD22 are given once.", "CD22", AntigenRole.Target)]
    [InlineData("Anti-GD2 chimeric antigen receptor T cells", "GD2", AntigenRole.Target)]
    [InlineData("a truncated epidermal growth factor receptor (EGFRt) serves as a marker", "EGFR", AntigenRole.Marker)]
    [InlineData("the starting material was changed to selected CD4+ and CD8+ T cells", "CD4", AntigenRole.Marker)]
    [InlineData("rituximab, an antibody against the B-cell protein CD20, may be given", "CD20", AntigenRole.DrugTarget)]
    [InlineData("prior exposure to an anti-CD38 monoclonal antibody is required", "CD38", AntigenRole.DrugTarget)]
    [InlineData("patients with HER2-positive breast cancer", "HER2", AntigenRole.Expression)]
    [InlineData("Many participants had received CD19 CAR T cells before.", "CD19", AntigenRole.PriorTherapy)]
    public void Each_antigen_mention_gets_the_role_its_words_give(string sentence, string symbol, AntigenRole role)
    {
        var mention = Assert.Single(AntigenExtractor.Mentions(sentence), m => m.Symbol == symbol);
        Assert.Equal(role, mention.Role);
    }

    [Theory]
    [InlineData("CD19/20 bispecific CAR-T", "CD19|CD20")]
    [InlineData("BCMA-CD19 Compound CAR T Cells", "BCMA|CD19")]
    [InlineData("P-CD19CD20-ALLO1 CAR-T cells", "CD19|CD20")]
    [InlineData("CAR-20/19-T cells", "CD19|CD20")]
    [InlineData("CARPALL: CD19+CD22 CAR T-cells", "CD19|CD22")]
    [InlineData("CD19/79b Bi-specific CAR-T Cell Therapy", "CD19|CD79B")]
    [InlineData("TmCD19-IL18 CAR T cells", "CD19")]
    [InlineData("KYV-101, a fully human CAR T-cell product", "CD19")]
    [InlineData("Descartes-08 CAR-T Cells in Myasthenia Gravis", "BCMA")]
    public void Combination_spellings_and_products_name_their_targets(string name, string targets) =>
        Assert.Equal(targets.Split('|'), AntigenExtractor.FromNames([name]).Distinct().Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("CAR-T Cell Immunotherapy for GD2 Positive Glioma Patients", "GD2")]
    [InlineData("UCAR-T for CD19+ Refractory B Hematologic Malignancies", "CD19")]
    [InlineData("KSVCBD Injection in Multiple Myeloma Expressing CD19 and/or BCMA", "BCMA|CD19")]
    [InlineData("Allogeneic CAR-T Cells for Gliomas With Positive CD70 Expression", "CD70")]
    [InlineData("CAR-T cells for CD19-negative relapse", "")]
    [InlineData("CAR-T cells after loss of CD22 on the blasts", "")]
    [InlineData("CAR-T cells for HER2 status unknown tumours", "")]
    public void A_disease_said_to_express_an_antigen_names_it_and_its_absence_does_not(string name, string expressed) =>
        Assert.Equal(expressed.Split('|', StringSplitOptions.RemoveEmptyEntries),
            AntigenExtractor.ExpressedByDisease([name], areNames: true).Distinct().Order(StringComparer.Ordinal));

    [Fact]
    public void A_car_trial_that_names_no_target_takes_the_expressed_antigen_as_a_guess_and_says_so()
    {
        var parsed = Documents.ParseText("NCT01234567\nCAR-T Cell Immunotherapy for EphA2 Positive Malignant Glioma Patients\n\n"
            + "Patients with EphA2 positive glioma receive autologous CAR-T cells after fludarabine and cyclophosphamide.\n");
        var record = Assert.Single(parsed.Records);
        Assert.Equal(["EPHA2"], record.TargetAntigens);
        Assert.Contains("targetAntigens", record.Inferred);
        Assert.Contains(record.Warnings, w => w.Code == WarningCodes.Guessed && w.Field == "targetAntigens" && w.Message.Contains("disease expresses", StringComparison.Ordinal));

        // Not a CAR trial: an expressed antigen is an eligibility biomarker, never a target.
        var drug = Assert.Single(Documents.ParseText("NCT01234568\nTucatinib for HER2 Positive Breast Cancer\n\n"
            + "Patients with HER2-positive breast cancer receive tucatinib tablets twice daily.\n").Records);
        Assert.Empty(drug.TargetAntigens);
    }

    [Fact]
    public void Doses_written_in_intervention_names_are_dose_levels()
    {
        var csv = "NCTId,BriefTitle,OverallStatus,Interventions\n"
            + "NCT01234567,A Study of XY-1 CAR-T Cells in Myeloma,RECRUITING,\"Daratumumab 16 mg/kg|XY-1 CAR T cells (1 x 10^8 cells per dose)|XY-1 CAR T cells (3 x 108 cells per dose)\"\n";
        var record = Assert.Single(Documents.ParseText(csv, "export.csv").Records);
        Assert.Equal([100_000_000d, 300_000_000d], record.DoseLevels.Select(d => d.Value).Order());
        Assert.All(record.DoseLevels, d => Assert.Equal(DoseUnit.Cells, d.Unit));
    }

    [Fact]
    public void Sentences_about_other_trials_and_products_are_background()
    {
        var context = new TrialContext(["NCT06691685"], ["ESO-T01"]);
        Assert.True(context.IsBackground("A second ESO-T01 study at Tongji Hospital (NCT06791681) is listed as recruiting."));
        Assert.True(context.IsBackground("For scale, cilta-cel is dosed at 0.5–1.0 × 10⁶ CAR-positive viable T cells/kg."));
        Assert.True(context.IsBackground("In the preceding phase 1 study, donor-derived CD7 CAR T cells were given."));
        Assert.False(context.IsBackground("ESO-T01 is given once, as an intravenous infusion."));
    }

    [Theory]
    [InlineData("Three dose levels: 3 × 10⁵, 1 × 10⁶ and 3 × 10⁶ transduced T cells per kilogram of body weight.", "300000|1000000|3000000", DoseUnit.CellsPerKg)]
    [InlineData("dose levels (DL) of 0.3, 1.0, 2.0, and 16.0x10 6 CAR+ T cells/kg", "300000|1000000|2000000|16000000", DoseUnit.CellsPerKg)]
    [InlineData("a single infusion of 1.5-3×106 cCAR cells/kg", "1500000|3000000", DoseUnit.CellsPerKg)]
    [InlineData("Dose level 1    1 x 10(5) transduced T cells/kg", "100000", DoseUnit.CellsPerKg)]
    [InlineData("Total CAR+ T cells (CD8+ : CD4+ = 1:1) DL1 50 × 10^6 DL2 100 × 10^6", "50000000|100000000", DoseUnit.Cells)]
    [InlineData("at one of three levels: 1 × 10^7 cells/m², 5 × 10^7 cells/m² and 1 × 10^8 cells/m²", "10000000|50000000|100000000", DoseUnit.CellsPerM2)]
    public void Doses_are_read_in_every_notation_with_their_unit(string text, string values, DoseUnit unit)
    {
        var doses = DoseExtractor.Extract(text);
        Assert.Equal(values.Split('|').Select(double.Parse), doses.Select(d => d.Value).Order());
        Assert.All(doses, d => Assert.Equal(unit, d.Unit));
    }

    [Theory]
    [InlineData("the first patients received 0.2 × 10⁹ transducing units (TU)")]
    [InlineData("a vector dose of 1 × 10^13 vg/kg")]
    [InlineData("5 × 10^6 TU/kg of the lentiviral vector")]
    [InlineData("dose level 1, 2.5 ×10^5 mg")]
    public void Vector_doses_and_other_units_are_not_cell_doses(string text) => Assert.Empty(DoseExtractor.Extract(text));

    [Theory]
    [InlineData("No lymphodepleting chemotherapy is used: participants are not given fludarabine or cyclophosphamide.", "")]
    [InlineData("There is also no lymphodepletion, meaning patients skip the fludarabine and cyclophosphamide conditioning.", "")]
    [InlineData("Before receiving the cells, you get chemotherapy (cyclophosphamide and fludarabine).", "cyclophosphamide|fludarabine")]
    [InlineData("Bridging therapy (rituximab or bendamustine) must end before lymphodepletion.", "")]
    public void Conditioning_is_what_is_given_not_what_is_said_to_be_omitted(string sentence, string agents) =>
        Assert.Equal(agents.Split('|', StringSplitOptions.RemoveEmptyEntries), LymphodepletionExtractor.FromSentences([sentence]).Distinct().Order());

    [Theory]
    [InlineData("Intrathecal chemotherapy for CNS disease had to be finished before the cells were collected.")]
    [InlineData("Fludarabine 25 mg/m2/day IV on Days -5 to -3.")]
    public void A_route_next_to_a_co_medication_is_not_the_products(string sentence) => Assert.Empty(RouteExtractor.ForProduct(sentence));

    [Fact]
    public void Hard_wrapped_criteria_keep_one_item_a_bullet()
    {
        var text = """
                    Inclusion Criteria:

                      -  history within the last two years of at least six months with mood
                         disturbances of at least moderate severity;

                      -  age 18 to 50;

                    Exclusion Criteria:

                      -  Patient with clinical or laboratory evidence of active liver disease, liver
                         impairment/ dysfunction or cirrhosis irrespective of liver enzyme levels

                      -  Any active or unstable medical condition
            """;
        var (inclusion, exclusion) = CriteriaParser.Parse(text);
        Assert.Equal(2, inclusion.Count);
        Assert.Equal(2, exclusion.Count);
        Assert.EndsWith("irrespective of liver enzyme levels", exclusion[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_footers_and_running_headers_are_removed_and_broken_words_joined()
    {
        var text = """
            Juno Therapeutics, Inc.                     Protocol 017001
            Subjects are monitored closely for at least 29 days after the infusion, and the dose-expan-
            sion part treats more patients at the recommended dose in a modified toxicity probability

            Protocol 017001 Amendment 5 (v6.0)            Confidential           Page 4 of 112
            ________________________________________________________________________________

            Juno Therapeutics, Inc.                     Protocol 017001

            interval design.
            """;
        var cleaned = PageFurniture.Clean(text);
        Assert.DoesNotContain("Page 4 of 112", cleaned, StringComparison.Ordinal);
        Assert.DoesNotContain("Protocol 017001", cleaned, StringComparison.Ordinal);
        Assert.Contains("dose-expansion\npart treats", cleaned, StringComparison.Ordinal);
        Assert.Contains("probability\ninterval design.", cleaned, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_numbers_of_every_registry_are_found_in_their_own_form() =>
        Assert.Equal(
            ["NCT02315612", "ChiCTR-OIC-17011272", "2012-005327-33", "2023-501234-12-00", "ISRCTN83343031", "jRCTa040190099", "CTRI/2021/05/033587", "ACTRN12620000123456", "DRKS00012345"],
            RegistryIds.Find("NCT02315612 ChiCTR-OIC-17011272 EudraCT 2012-005327-33, EU CT 2023-501234-12-00, ISRCTN 83343031, jRCTa040190099, CTRI/2021/05/033587, ACTRN12620000123456, DRKS00012345").Select(i => i.Id));
}
