using TrialRegistry.Ingestion.Model;
using TrialRegistry.Testing;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>Every value a person reading each seed would write down, field by field.</summary>
public sealed class SeedGoldenTests
{
    [Fact]
    public void Seed000_ctgov_page_CD70_renal_cell_carcinoma()
    {
        var parsed = Documents.ParseFile(SharedPaths.Seed("000"));
        Assert.Equal("ctgov-page", parsed.Format);
        var r = Assert.Single(parsed.Records);

        Assert.Equal("NCT06586658", r.RegistryId);
        Assert.Equal(["CD70-CN-A5"], r.SecondaryIds);
        Assert.StartsWith("Anti-CD70-CAR-T Cell Injection for the Treatment of Locally Advanced or Relapsed/Metastatic", r.Title, StringComparison.Ordinal);
        Assert.StartsWith("This is an investigator-initiated trial to evaluate the role of anti-CD70-CAR T cells", r.BriefSummary, StringComparison.Ordinal);
        Assert.Equal(TrialStatus.Recruiting, r.Status);
        Assert.Equal([TrialPhase.EarlyPhase1], r.Phases);
        Assert.Equal(StudyType.Interventional, r.StudyType);
        Assert.Equal(9, r.Enrollment?.Count);
        Assert.Equal("2024-09-06", r.StartDate);
        Assert.Equal("2027-07-16", r.CompletionDate);
        Assert.Equal("2024-10-22", r.LastUpdated);
        Assert.Equal(["Renal Cell Carcinoma"], r.Conditions);
        Assert.Equal(["CD70"], r.TargetAntigens);
        Assert.Equal([Route.Intravenous], r.Routes);
        Assert.Equal(["cyclophosphamide", "fludarabine"], r.Lymphodepletion);
        Assert.Equal([(3e6, DoseUnit.CellsPerKg), (1e7, DoseUnit.CellsPerKg), (2e7, DoseUnit.CellsPerKg)], r.DoseLevels.Select(d => (d.Value, d.Unit)));
        Assert.Equal("3×10^6 cells/Kg", r.DoseLevels[0].Text);

        var arm = Assert.Single(r.Arms);
        Assert.Equal("anti-CD70-CAR-T cells", arm.Label);
        Assert.Equal(ArmType.Experimental, arm.Type);
        Assert.Equal([Route.Intravenous], arm.Routes);
        Assert.Equal(["anti-CD70-CAR-T cells"], arm.Interventions);
        Assert.Equal([3e6, 1e7, 2e7], arm.DoseLevels.Select(d => d.Value));
        var intervention = Assert.Single(r.Interventions);
        Assert.Equal(("anti-CD70-CAR-T cells", InterventionType.Biological), (intervention.Name, intervention.Type));

        var e = r.Eligibility!;
        Assert.Equal((18, 70, Sex.All, false), (e.MinAgeYears, e.MaxAgeYears, e.Sex, e.HealthyVolunteers));
        Assert.Equal(14, e.Inclusion.Count);
        Assert.Equal(23, e.Exclusion.Count);
        Assert.Equal("Understand and sign informed consent, and voluntarily participate in clinical research;", e.Inclusion[0].Text);
        Assert.Equal("Age ≥18, and <70 years old, gender is not limited;", e.Inclusion[1].Text);
        Assert.Equal("Persons involved in the planning and execution of the research.", e.Exclusion[^1].Text);

        Assert.Equal(
            [("Shanghai Changzheng Hospital", SponsorRole.Lead, "OTHER"), ("Shanghai First Song Biotechnology Co., LTD", SponsorRole.Collaborator, "INDUSTRY")],
            r.Sponsors.Select(s => (s.Name, s.Role, s.Class)));
        var site = Assert.Single(r.Locations);
        Assert.Equal(("Changzheng hospital", "Shanghai", "China", TrialStatus.Recruiting), (site.Facility, site.City, site.Country, site.Status));

        // The doses, antigen and agents come from prose, not labelled fields.
        Assert.Contains("doseLevels", r.Inferred);
        Assert.Contains("targetAntigens", r.Inferred);
        Assert.DoesNotContain("phases", r.Inferred);
    }

    [Fact]
    public void Seed001_csv_row_block_without_id_gets_content_id_and_inferred_arms()
    {
        var parsed = Documents.ParseFile(SharedPaths.Seed("001"));
        Assert.Equal("ctgov-csv-row", parsed.Format);
        var r = Assert.Single(parsed.Records);

        Assert.Matches("^TR-[0-9A-F]{10}$", r.RegistryId);
        Assert.Contains(r.Warnings, w => w.Code == WarningCodes.NoRegistryId && w.Field == "registryId");
        Assert.StartsWith("A Clinical Study of CD70-targeted CAR-T in the Treatment of CD70-positive Advanced/Metastatic", r.Title, StringComparison.Ordinal);
        Assert.Equal(["Metastatic Tumor", "Advanced Solid Tumor", "Renal Cell Carcinoma", "Ovarian Cancer", "Cervix Cancer"], r.Conditions);
        Assert.Equal(["CD70"], r.TargetAntigens);
        Assert.Equal([TrialPhase.Phase1], r.Phases);
        Assert.Contains("phases", r.Inferred);
        Assert.Equal([Route.Intravenous, Route.Intraperitoneal], r.Routes);
        Assert.Equal(
            [("Intravenous infusion group", Route.Intravenous), ("Intraperitoneal injection group", Route.Intraperitoneal)],
            r.Arms.Select(a => (a.Label, Assert.Single(a.Routes))));
        Assert.Contains("arms", r.Inferred);
        Assert.Equal("CD70 CAR-T cells", Assert.Single(r.Interventions).Name);
        Assert.Equal(16, r.Outcomes.Count);
        Assert.Equal(OutcomeKind.Primary, r.Outcomes[0].Kind);
        Assert.Equal("28 days", r.Outcomes[0].TimeFrame);
        Assert.Null(r.Status);
        Assert.Contains(r.Warnings, w => w.Code == WarningCodes.MissingField && w.Field == "status");
    }

    [Fact]
    public void Seed002_ctgov_page_HER2_three_dose_levels()
    {
        var r = Documents.Seed("002");

        Assert.Equal("NCT06101082", r.RegistryId);
        Assert.Equal(["HER2-CN-A1"], r.SecondaryIds);
        Assert.StartsWith("A Clinical Study Evaluating the Safety and Efficacy of Anti-HER2-CAR-T Cells Injection", r.Title, StringComparison.Ordinal);
        Assert.Equal(TrialStatus.Recruiting, r.Status);
        Assert.Equal([TrialPhase.Phase1], r.Phases);
        Assert.Equal(9, r.Enrollment?.Count);
        Assert.Equal(("2024-01-16", "2026-10-19", "2024-03-06"), (r.StartDate, r.CompletionDate, r.LastUpdated));
        Assert.Equal(["Solid Tumor"], r.Conditions);
        Assert.Equal(["HER2"], r.TargetAntigens);
        Assert.Equal(["cyclophosphamide", "fludarabine"], r.Lymphodepletion);
        Assert.Equal([1e6, 3e6, 1e7], r.DoseLevels.Select(d => d.Value));
        Assert.All(r.DoseLevels, d => Assert.Equal(DoseUnit.CellsPerKg, d.Unit));
        var arm = Assert.Single(r.Arms);
        Assert.Equal("Anti-HER2-CAR-T cell infusion", arm.Label);
        Assert.Equal([Route.Intravenous], arm.Routes);
        Assert.Equal(["Intravenous infusion anti-HER2-CAR-T cell"], arm.Interventions);
        Assert.Equal(3, arm.DoseLevels.Count);
        var e = r.Eligibility!;
        Assert.Equal((18, 70, Sex.All, false), (e.MinAgeYears, e.MaxAgeYears, e.Sex, e.HealthyVolunteers));
        Assert.Equal((14, 27), (e.Inclusion.Count, e.Exclusion.Count));
        Assert.Equal(["China Medical University, China", "Shanghai First Song Therapeutics Co., Ltd"], r.Sponsors.Select(s => s.Name));
    }

    [Fact]
    public void Seed003_aggregator_scrape_with_empty_labels()
    {
        var parsed = Documents.ParseFile(SharedPaths.Seed("003"));
        Assert.Equal("aggregator-page", parsed.Format);
        var r = Assert.Single(parsed.Records);

        Assert.Matches("^TR-[0-9A-F]{10}$", r.RegistryId);
        Assert.Null(r.Title); // the scrape has no title: said, not invented
        Assert.Contains(r.Warnings, w => w.Code == WarningCodes.MissingField && w.Field == "title");
        Assert.StartsWith("This study is a single-center, open, prospective single-arm clinical study of patients with CD7", r.BriefSummary, StringComparison.Ordinal);
        Assert.Equal(["CD7"], r.TargetAntigens); // not CD4/CD8 (markers) nor 4-1BB/CD3 (CAR domains)
        Assert.Equal(80, r.Enrollment?.Count); // "80 participants in 1 patient group"
        Assert.Contains("enrollment", r.Inferred);
        Assert.Empty(r.Phases);
        Assert.Empty(r.Conditions);
        Assert.Null(r.Status);
        Assert.Null(r.Eligibility!.Sex); // "Sex" label with no value

        var e = r.Eligibility!;
        Assert.Equal(9, e.Inclusion.Count);
        Assert.Equal("Subjects with a diagnosis of relapsed/refractory hematologic malignancies that meet any of the following criteria:", e.Inclusion[0].Text);
        Assert.StartsWith("Recurrence: peripheral blood or bone marrow blasts", e.Inclusion[1].Text, StringComparison.Ordinal);
        Assert.Equal(
            ["Early recurrence within 12 months", "Late recurrence of 12 months or more with no remission after one course of standard induction chemotherapy",
             "Relapse after autologous or allogeneic hematopoietic stem cell transplantation."],
            e.Inclusion[1].SubItems);
        Assert.StartsWith("Echocardiography LVSF <30% or LVEF <50%", Assert.Single(e.Exclusion).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Seed004_editorial_page_three_routes_and_numbered_criteria_with_sub_items()
    {
        var parsed = Documents.ParseFile(SharedPaths.Seed("004"));
        Assert.Equal("editorial-page", parsed.Format);
        var r = Assert.Single(parsed.Records);

        Assert.Equal("NCT07181720", r.RegistryId);
        Assert.Equal("Clinical Study of CD70-Targeted Chimeric Antigen Receptor T Lymphocytes (CAR-T) in Advanced CD70-Positive Malignant Solid Tumors", r.Title);
        Assert.Equal([TrialPhase.Phase1], r.Phases);
        Assert.Equal(StudyType.Interventional, r.StudyType);
        Assert.Equal(new Enrollment(90, EnrollmentType.Estimated), r.Enrollment);
        Assert.Equal(["CD70"], r.TargetAntigens);
        Assert.Equal(["Renal Cell Carcinoma", "Lung Cancer", "Anaplastic Thyroid Carcinomas", "Ovarian Cancer", "Cervical Cancer", "Thymic Carcinoma"], r.Conditions);
        Assert.Equal(
            [("Intravenous administration", Route.Intravenous), ("Intrapleural administration", Route.Intrapleural), ("Intraperitoneal administration", Route.Intraperitoneal)],
            r.Arms.Select(a => (a.Label, Assert.Single(a.Routes))));
        Assert.Equal(["CAR-T", "chemotherapy", "prednisone"], r.Interventions.Select(i => i.Name));
        Assert.Equal(("Chongqing Precision Biotech Co., Ltd", SponsorRole.Lead, "INDUSTRY"), (r.Sponsors[0].Name, r.Sponsors[0].Role, r.Sponsors[0].Class));
        Assert.Equal(("Hefei", "Anhui"), (r.Locations[0].City, r.Locations[0].State));
        Assert.Empty(r.DoseLevels); // "1.5×10⁹/L"-style lab values in the criteria are not doses

        var e = r.Eligibility!;
        Assert.Equal((18, (int?)null, Sex.All), (e.MinAgeYears, e.MaxAgeYears, e.Sex));
        Assert.Equal((11, 12), (e.Inclusion.Count, e.Exclusion.Count));
        Assert.Equal("Age ≥18 years, regardless of gender;", e.Inclusion[0].Text);
        Assert.Equal("At least one measurable lesion per RECIST 1.1 criteria, with measurable lesions defined as:", e.Inclusion[3].Text);
        Assert.Equal(
            ["Extranodal lesions with a long axis ≥10mm on CT scan;", "Lymph node lesions with a short axis ≥15mm on CT scan;", "CT slice thickness ≤5mm."],
            e.Inclusion[3].SubItems);
        Assert.Equal(5, e.Inclusion[7].SubItems.Count); // organ function: hematology, cardiac, renal, hepatic, oxygen
        Assert.Equal("Prior treatment with anti-CD70 therapies;", e.Exclusion[0].Text);
        Assert.Equal(4, e.Exclusion[2].SubItems.Count);
    }

    [Fact]
    public void Every_seed_is_read_and_has_an_id_and_a_target()
    {
        foreach (var file in Directory.GetFiles(SharedPaths.Seeds))
        {
            var parsed = Documents.ParseFile(file);
            Assert.True(parsed.Recognized, $"{file}: {parsed.Error}");
            var record = Assert.Single(parsed.Records);
            Assert.NotNull(record.RegistryId);
            Assert.NotEmpty(record.TargetAntigens);
        }
    }
}
