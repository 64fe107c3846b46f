using TrialRegistry.Ingestion.Formats;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>Layouts recognised by what their lines look like, not by one source's exact template.</summary>
public sealed class LayoutTests
{
    // A ClinicalTrials.gov website export row written one value a line, in the export's column order.
    private const string ExportRow = """
        NCT03391466
        Study of Effectiveness of Axicabtagene Ciloleucel Compared to Standard of Care Therapy in Patients With Relapsed/Refractory Diffuse Large B Cell Lymphoma
        https://clinicaltrials.gov/study/NCT03391466
        ZUMA-7
        ACTIVE_NOT_RECRUITING
        Participants whose large B-cell lymphoma came back within a year of first-line chemoimmunotherapy are randomised to axicabtagene ciloleucel or to standard second-line therapy.
        YES
        Relapsed/Refractory Diffuse Large B Cell Lymphoma
        BIOLOGICAL: Axicabtagene Ciloleucel|DRUG: Cyclophosphamide|DRUG: Fludarabine|DRUG: Standard of care therapy
        Event-Free Survival, time from randomization to progression, new lymphoma therapy or death, Up to 5 years
        Overall Survival, time from randomization to death from any cause, Up to 5 years
        Kite, A Gilead Company
        ALL
        18 Years and older (ADULT, OLDER_ADULT)
        PHASE3
        359
        INDUSTRY
        INTERVENTIONAL
        Allocation: RANDOMIZED|Intervention Model: PARALLEL|Masking: NONE|Primary Purpose: TREATMENT
        KTE-C19-107|2017-002261-22
        2018-01-25
        2020-03-18
        2027-01
        2018-01-12
        2021-11-17
        2025-07-30
        Moffitt Cancer Center, Tampa, Florida, 33612, United States|Hopital Saint-Louis, Paris, 75010, France
        """;

    [Fact]
    public void A_csv_export_row_block_with_the_full_column_set_is_read_by_the_shape_of_its_values()
    {
        var r = Assert.Single(Documents.ParseText(ExportRow).Records);
        Assert.Equal("ctgov-csv-row", r.Source.Format);
        Assert.Equal("NCT03391466", r.RegistryId);
        Assert.StartsWith("Study of Effectiveness of Axicabtagene Ciloleucel", r.Title, StringComparison.Ordinal);
        Assert.Equal(TrialStatus.ActiveNotRecruiting, r.Status);
        Assert.Equal([TrialPhase.Phase3], r.Phases);
        Assert.Equal(359, r.Enrollment?.Count);
        Assert.Equal(["Relapsed/Refractory Diffuse Large B Cell Lymphoma"], r.Conditions);
        Assert.Equal("Kite, A Gilead Company", Assert.Single(r.Sponsors).Name);
        Assert.Equal((18, (int?)null, Sex.All), (r.Eligibility!.MinAgeYears!.Value, r.Eligibility.MaxAgeYears, r.Eligibility.Sex!.Value));
        Assert.Equal("2018-01-25", r.StartDate);
        Assert.Equal("2025-07-30", r.LastUpdated);
        Assert.Equal(["United States", "France"], r.Locations.Select(l => l.Country));
        Assert.Equal("Tampa", r.Locations[0].City);
        Assert.Equal(["CD19"], r.TargetAntigens);
        Assert.Equal(Modality.CarT, r.Modality);
        Assert.Equal(["cyclophosphamide", "fludarabine"], r.Lymphodepletion);
        Assert.Contains("2017-002261-22", r.SecondaryIds);
        Assert.Equal(2, r.Outcomes.Count);
    }

    [Fact]
    public void The_export_row_block_reads_with_any_subset_of_its_typed_columns_in_any_order()
    {
        var lines = ExportRow.Split('\n').Select(l => l.Trim()).ToList();
        // Without the URL, acronym, results flag and design; sex and phases swapped; enrollment moved before them.
        lines.RemoveAll(l => l.StartsWith("https://", StringComparison.Ordinal) || l is "ZUMA-7" or "YES" || l.StartsWith("Allocation:", StringComparison.Ordinal));
        var sex = lines.IndexOf("ALL");
        var phase = lines.IndexOf("PHASE3");
        (lines[sex], lines[phase]) = (lines[phase], lines[sex]);
        var r = Assert.Single(Documents.ParseText(string.Join('\n', lines)).Records);
        Assert.Equal(("ctgov-csv-row", "NCT03391466", TrialStatus.ActiveNotRecruiting), (r.Source.Format, r.RegistryId!, r.Status!.Value));
        Assert.Equal([TrialPhase.Phase3], r.Phases);
        Assert.Equal(Sex.All, r.Eligibility?.Sex);
        Assert.Equal(359, r.Enrollment?.Count);
        Assert.StartsWith("Study of Effectiveness", r.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aact_export_header_with_a_hash_and_a_repeated_header_line_reads_every_trial_once()
    {
        var csv = """
            #nct_id,brief_title,overall_status,phase,enrollment,conditions,unknown_column
            NCT01000001,First CD19 CAR-T study,Completed,Phase 1,20,Lymphoma,x
            nct_id,brief_title,overall_status,phase,enrollment,conditions,unknown_column
            NCT01000002,Second BCMA CAR-T study,Recruiting,Phase 1/Phase 2,40,Multiple Myeloma,y
            """;
        var parsed = Documents.ParseText(csv, "export.csv");
        Assert.Equal("ctgov-csv", parsed.Format);
        Assert.Equal(["NCT01000001", "NCT01000002"], parsed.Records.Select(r => r.RegistryId));
        Assert.Equal([TrialPhase.Phase1, TrialPhase.Phase2], parsed.Records[1].Phases);
        Assert.All(parsed.Records, r => Assert.Contains(r.Warnings, w => w is { Code: WarningCodes.UnmappedColumn, Line: 1, Raw: "unknown_column" }));
    }
}
