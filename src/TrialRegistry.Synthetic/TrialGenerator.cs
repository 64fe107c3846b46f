using System.Globalization;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Synthetic;

/// <summary>
/// Generates realistic CAR-T trials, deterministically: trial <c>i</c> of seed <c>s</c> is the same whatever the
/// order or the thread that asks for it. The distributions follow the shape of the real landscape (most trials
/// target CD19 or BCMA, are phase 1, in China or the United States, dose in cells/kg on a log scale; criteria lists
/// of 5 to 25 items, some with sub-items); the words are this project's own templates and vocabularies, not text
/// of the seeds or the corpus. NCT numbers start at NCT50000000, above any real one, so synthetic trials are never
/// mistaken for registered ones.
/// </summary>
public static class TrialGenerator
{
    public const int DefaultSeed = 20261124;
    public const int FirstNctNumber = 50_000_000;

    public static IEnumerable<SyntheticTrial> Trials(int count, int seed = DefaultSeed, int start = 0)
    {
        for (var i = start; i < start + count; i++)
        {
            yield return Trial(i, seed);
        }
    }

    public static SyntheticTrial Trial(int index, int seed = DefaultSeed)
    {
        var rng = new Random(HashCode.Combine(seed, index, 0x5EED));
        var target = Pick(rng, Targets);
        var antigens = target.Symbols;
        var heme = target.Hematologic;
        var conditions = PickDistinct(rng, heme ? HematologicConditions : SolidConditions, rng.Next(1, heme ? 4 : 5));
        var product = ProductName(rng);
        var phases = Pick(rng, PhaseMix);
        var status = Pick(rng, StatusMix);
        var start = new DateOnly(2014, 1, 1).AddDays(rng.Next(0, 12 * 365));
        var completion = start.AddDays(rng.Next(365, 6 * 365));
        var updated = start.AddDays(rng.Next(30, 3 * 365));
        var antigenText = AntigenMention(rng, antigens);
        var condition = conditions[0];

        var doseUnit = rng.NextDouble() switch { < 0.62 => DoseUnit.CellsPerKg, < 0.92 => DoseUnit.Cells, _ => DoseUnit.CellsPerM2 };
        var doseCount = rng.Next(1, 5);
        var routeCount = rng.NextDouble() < 0.08 ? 2 : 1;
        var routes = PickDistinct(rng, RouteMix.Select(r => r.Value).ToArray(), routeCount, w => RouteMix.First(r => r.Value == w).Weight);
        if (!heme && rng.NextDouble() < 0.3 && !routes.Contains(Route.Intravenous))
        {
            routes[0] = Route.Intravenous;
        }

        var lymphodepletion = Pick(rng, Lymphodepletions);
        var cellName = $"{antigenText} CAR-T cells";
        var interventions = new List<SyntheticIntervention>
        {
            new(product, InterventionType.Biological,
                $"Autologous T cells transduced with a {Pick(rng, Vectors)} vector encoding a {antigenText} chimeric antigen receptor with {Pick(rng, Costim)} costimulation.",
                rng.NextDouble() < 0.5 ? [cellName] : []),
        };
        if (lymphodepletion.Length > 0 && rng.NextDouble() < 0.7)
        {
            interventions.Add(new SyntheticIntervention("Fludarabine", InterventionType.Drug, "Lymphodepleting chemotherapy given before the cell infusion.", []));
            interventions.Add(new SyntheticIntervention("Cyclophosphamide", InterventionType.Drug, "Lymphodepleting chemotherapy given before the cell infusion.", []));
        }

        var arms = new List<SyntheticArm>();
        foreach (var (route, k) in routes.Select((r, k) => (r, k)))
        {
            var doses = Doses(rng, doseUnit, doseCount);
            var label = routes.Count > 1 ? $"{RouteAdjective(route)} {product}" : k == 0 && rng.NextDouble() < 0.5 ? $"{product} dose escalation" : $"{antigenText} CAR-T";
            var doseText = DoseSentence(rng, doses, doseUnit);
            var description =
                $"Participants receive {product} by {RouteAdjective(route).ToLowerInvariant()} {(route == Route.Intravenous ? "infusion" : "injection")} " +
                $"{(lymphodepletion.Length > 0 ? $"after lymphodepletion with {lymphodepletion}" : "without prior lymphodepletion")}. {doseText}";
            arms.Add(new SyntheticArm(label, ArmType.Experimental, description, route, doses, [.. interventions.Select(x => x.Name)]));
        }

        var minAge = rng.NextDouble() switch { < 0.7 => 18, < 0.8 => 14, < 0.9 => 3, < 0.95 => 1, _ => 16 };
        int? maxAge = rng.NextDouble() switch { < 0.35 => 70, < 0.6 => 75, < 0.75 => 65, < 0.85 => 80, _ => null };
        var lead = Sponsor(rng, rng.NextDouble() < 0.35 ? "INDUSTRY" : "OTHER");
        var collaborators = Enumerable.Range(0, rng.NextDouble() < 0.4 ? rng.Next(1, 3) : 0)
            .Select(_ => Sponsor(rng, rng.NextDouble() < 0.5 ? "INDUSTRY" : "OTHER"))
            .DistinctBy(s => s.Name).Where(s => s.Name != lead.Name).ToList();
        var country = rng.NextDouble() switch { < 0.58 => "China", < 0.83 => "United States", _ => Pick(rng, OtherCountries) };
        var sites = Enumerable.Range(0, rng.NextDouble() < 0.7 ? 1 : rng.Next(2, 9))
            .Select(_ => Site(rng, rng.NextDouble() < 0.9 ? country : Pick(rng, OtherCountries), status))
            .DistinctBy(s => s.Facility).ToList();
        var contacts = Enumerable.Range(0, rng.Next(0, 3)).Select(_ => Contact(rng)).DistinctBy(c => c.Name).ToList();
        var enrollment = phases.Contains(TrialPhase.Phase3) ? rng.Next(120, 600) : phases.Contains(TrialPhase.Phase2) ? rng.Next(20, 160) : rng.Next(3, 60);
        var phaseWords = PhaseWords(phases);

        return new SyntheticTrial
        {
            Index = index,
            NctId = $"NCT{FirstNctNumber + index:D8}",
            OrgStudyId = $"{Initials(lead.Name)}-{start.Year}-{rng.Next(1, 999):D3}",
            Title = Fill(rng, Pick(rng, TitleTemplates), antigenText, condition, product, phaseWords),
            OfficialTitle = Fill(rng, Pick(rng, OfficialTitleTemplates), antigenText, string.Join(", ", conditions), product, phaseWords),
            BriefSummary = Fill(rng, Pick(rng, SummaryTemplates), antigenText, condition, product, phaseWords),
            DetailedDescription = string.Join(' ', PickDistinct(rng, DescriptionSentences, rng.Next(2, 6)).Select(s => Fill(rng, s, antigenText, condition, product, phaseWords))),
            Status = status,
            Phases = phases,
            Enrollment = enrollment,
            EnrollmentType = status is TrialStatus.Completed or TrialStatus.Terminated ? EnrollmentType.Actual : EnrollmentType.Estimated,
            StartDate = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            CompletionDate = completion.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            LastUpdated = updated.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Antigens = antigens,
            Conditions = conditions,
            Product = product,
            Arms = arms,
            Interventions = interventions,
            Lymphodepletion = lymphodepletion,
            Inclusion = Criteria(rng, InclusionCriteria, rng.Next(5, 19), antigenText, condition, minAge, maxAge),
            Exclusion = Criteria(rng, ExclusionCriteria, rng.Next(5, 24), antigenText, condition, minAge, maxAge),
            MinAgeYears = minAge,
            MaxAgeYears = maxAge,
            Sex = rng.NextDouble() < 0.96 ? Sex.All : rng.NextDouble() < 0.5 ? Sex.Female : Sex.Male,
            Lead = lead,
            Collaborators = collaborators,
            Sites = sites,
            Contacts = contacts,
            Outcomes =
            [
                .. PickDistinct(rng, PrimaryOutcomes, rng.Next(1, 3)).Select(o => new SyntheticOutcome(OutcomeKind.Primary, o.Measure, o.Description, Pick(rng, ShortTimeFrames))),
                .. PickDistinct(rng, SecondaryOutcomes, rng.Next(1, 5)).Select(o => new SyntheticOutcome(OutcomeKind.Secondary, o.Measure, o.Description, Pick(rng, LongTimeFrames))),
            ],
        };
    }

    private sealed record Target(string[] Symbols, bool Hematologic, double Weight);

    // Roughly the landscape of registered CAR-T trials: CD19 and BCMA lead, solid tumour targets share the rest.
    private static readonly Target[] Targets =
    [
        new(["CD19"], true, 30), new(["BCMA"], true, 12), new(["CD19", "CD22"], true, 5), new(["CD19", "CD20"], true, 2),
        new(["BCMA", "CD19"], true, 1.5), new(["BCMA", "GPRC5D"], true, 1), new(["CD22"], true, 3), new(["CD7"], true, 3),
        new(["CD30"], true, 2), new(["CD20"], true, 1.5), new(["CD123"], true, 2), new(["CD33"], true, 1.2), new(["CLL1"], true, 1.2),
        new(["GPRC5D"], true, 1.2), new(["CD5"], true, 0.8), new(["CD38"], true, 0.6), new(["SLAMF7"], true, 0.5), new(["CD70"], false, 1.5),
        new(["GPC3"], false, 2.5), new(["HER2"], false, 2.5), new(["CLDN18.2"], false, 2.5), new(["MSLN"], false, 2.5), new(["GD2"], false, 2.5),
        new(["EGFR"], false, 1.5), new(["EGFRvIII"], false, 1), new(["B7-H3"], false, 1.8), new(["PSMA"], false, 1.2), new(["CEA"], false, 1.2),
        new(["MUC1"], false, 1), new(["IL13RA2"], false, 0.8), new(["ROR1"], false, 0.6), new(["NKG2D-L"], false, 1), new(["DLL3"], false, 0.5),
        new(["EPCAM"], false, 0.6), new(["PSCA"], false, 0.5), new(["MUC16"], false, 0.5), new(["CD171"], false, 0.3), new(["NECTIN4"], false, 0.3),
        new(["GUCY2C"], false, 0.3), new(["CDH17"], false, 0.3), new(["TROP2"], false, 0.3), new(["CLDN6"], false, 0.4), new(["MET"], false, 0.3),
    ];

    private static readonly (IReadOnlyList<TrialPhase> Value, double Weight)[] PhaseMix =
    [
        ([TrialPhase.Phase1], 50), ([TrialPhase.EarlyPhase1], 15), ([TrialPhase.Phase1, TrialPhase.Phase2], 15), ([TrialPhase.Phase2], 12),
        ([TrialPhase.Phase3], 3), ([TrialPhase.Na], 5),
    ];

    private static readonly (TrialStatus Value, double Weight)[] StatusMix =
    [
        (TrialStatus.Recruiting, 35), (TrialStatus.NotYetRecruiting, 10), (TrialStatus.Completed, 15), (TrialStatus.Unknown, 20),
        (TrialStatus.ActiveNotRecruiting, 8), (TrialStatus.Terminated, 5), (TrialStatus.Withdrawn, 4), (TrialStatus.Suspended, 1),
        (TrialStatus.EnrollingByInvitation, 2),
    ];

    private static readonly (Route Value, double Weight)[] RouteMix =
    [
        (Route.Intravenous, 88), (Route.Intraperitoneal, 3), (Route.Intrapleural, 2), (Route.Intratumoral, 3), (Route.Intrathecal, 1.5),
        (Route.Intraventricular, 1.5), (Route.IntraArterial, 1),
    ];

    private static readonly string[] HematologicConditions =
    [
        "B-cell Acute Lymphoblastic Leukemia", "Diffuse Large B-cell Lymphoma", "Follicular Lymphoma", "Mantle Cell Lymphoma",
        "Multiple Myeloma", "Chronic Lymphocytic Leukemia", "Acute Myeloid Leukemia", "T-cell Acute Lymphoblastic Leukemia",
        "Hodgkin Lymphoma", "Primary Central Nervous System Lymphoma", "Marginal Zone Lymphoma", "Burkitt Lymphoma",
        "T-cell Lymphoma", "Relapsed/Refractory B-cell Non-Hodgkin Lymphoma", "Plasma Cell Leukemia", "Systemic Lupus Erythematosus",
        "Myelodysplastic Syndromes", "Richter Transformation",
    ];

    private static readonly string[] SolidConditions =
    [
        "Hepatocellular Carcinoma", "Gastric Cancer", "Pancreatic Cancer", "Glioblastoma", "Neuroblastoma", "Ovarian Cancer",
        "Non-small Cell Lung Cancer", "Small Cell Lung Cancer", "Colorectal Cancer", "Breast Cancer", "Prostate Cancer",
        "Renal Cell Carcinoma", "Mesothelioma", "Osteosarcoma", "Esophageal Cancer", "Cervical Cancer", "Head and Neck Squamous Cell Carcinoma",
        "Diffuse Intrinsic Pontine Glioma", "Cholangiocarcinoma", "Advanced Solid Tumor", "Peritoneal Carcinomatosis", "Thyroid Cancer",
    ];

    private static readonly string[] OtherCountries =
        ["Germany", "France", "Spain", "Italy", "United Kingdom", "Japan", "Israel", "Australia", "Canada", "Netherlands", "Belgium", "Sweden", "Singapore"];

    /// <summary>Cities where trials run, with their coordinates (degrees, the city centre) and a postal code of a hospital district, so place searches have sites to find.</summary>
    private static readonly Dictionary<string, (string City, string? State, double Latitude, double Longitude, string PostalCode)[]> Cities = new()
    {
        ["China"] = [("Shanghai", "Shanghai Municipality", 31.23, 121.47, "200025"), ("Beijing", "Beijing Municipality", 39.90, 116.41, "100730"), ("Guangzhou", "Guangdong", 23.13, 113.26, "510080"),
            ("Wuhan", "Hubei", 30.59, 114.31, "430022"), ("Hangzhou", "Zhejiang", 30.27, 120.16, "310003"), ("Chengdu", "Sichuan", 30.57, 104.07, "610041"), ("Suzhou", "Jiangsu", 31.30, 120.59, "215006"),
            ("Tianjin", "Tianjin Municipality", 39.13, 117.20, "300020"), ("Xi'an", "Shaanxi", 34.34, 108.94, "710061"), ("Chongqing", "Chongqing Municipality", 29.56, 106.55, "400038"),
            ("Hefei", "Anhui", 31.82, 117.23, "230001"), ("Changsha", "Hunan", 28.23, 112.94, "410008"), ("Zhengzhou", "Henan", 34.75, 113.63, "450052"), ("Jinan", "Shandong", 36.65, 117.12, "250012")],
        ["United States"] = [("Houston", "Texas", 29.76, -95.37, "77030"), ("Philadelphia", "Pennsylvania", 39.95, -75.17, "19104"), ("Seattle", "Washington", 47.61, -122.33, "98109"),
            ("New York", "New York", 40.71, -74.01, "10065"), ("Boston", "Massachusetts", 42.36, -71.06, "02115"), ("Los Angeles", "California", 34.05, -118.24, "90095"),
            ("Duarte", "California", 34.14, -117.98, "91010"), ("Bethesda", "Maryland", 38.98, -77.09, "20892"), ("Nashville", "Tennessee", 36.16, -86.78, "37232"),
            ("Chicago", "Illinois", 41.88, -87.63, "60611"), ("Rochester", "Minnesota", 44.02, -92.47, "55905"), ("Tampa", "Florida", 27.95, -82.46, "33612"),
            ("Atlanta", "Georgia", 33.75, -84.39, "30322"), ("Stanford", "California", 37.43, -122.17, "94305")],
    };

    private static readonly string[] InstitutionKinds =
        ["General Hospital", "University Hospital", "Cancer Center", "People's Hospital", "Medical University", "Children's Hospital", "Institute of Hematology", "Cancer Hospital"];

    private static readonly string[] CompanySyllables = ["Gen", "Cel", "Tera", "Bio", "Imm", "Onco", "Vita", "Nova", "Cara", "Lumi", "Astra", "Kine", "Theri", "Viro", "Zen", "Qi", "Heng", "Rui"];

    private static readonly string[] GivenNames =
        ["Wei", "Jun", "Li", "Ming", "Xiaoyan", "Hui", "Jing", "Yan", "Michael", "Sarah", "David", "Jennifer", "Carlos", "Anna", "Thomas", "Laura", "Rahul", "Yuki"];

    private static readonly string[] FamilyNames =
        ["Wang", "Zhang", "Liu", "Chen", "Huang", "Zhao", "Wu", "Zhou", "Smith", "Johnson", "Miller", "Garcia", "Martin", "Rossi", "Kim", "Tanaka", "Patel", "Schmidt"];

    private static readonly string[] Vectors = ["lentiviral", "gamma-retroviral", "lentiviral", "non-viral transposon"];
    private static readonly string[] Costim = ["4-1BB", "CD28", "4-1BB", "CD28 and 4-1BB", "ICOS"];

    private static readonly (string Value, double Weight)[] LymphodepletionMix =
    [
        ("fludarabine 30 mg/m2/day and cyclophosphamide 500 mg/m2/day for 3 days", 55), ("fludarabine 25 mg/m2 and cyclophosphamide 250 mg/m2 daily for 3 days", 20),
        ("cyclophosphamide 300 mg/m2 for 3 days", 6), ("bendamustine 90 mg/m2 for 2 days", 4), ("", 15),
    ];

    private static readonly string[] Lymphodepletions = [.. LymphodepletionMix.SelectMany(l => Enumerable.Repeat(l.Value, (int)l.Weight))];

    private static readonly string[] TitleTemplates =
    [
        "{A} CAR-T Cells ({P}) in Patients With Relapsed or Refractory {C}", "Safety and Efficacy of {P} in {C}", "{A}-Targeted CAR-T Cell Therapy With {P} for {C}",
        "A Study of {P} ({A} CAR-T) in Adults With {C}", "{Ph} Study of {A} Chimeric Antigen Receptor T Cells ({P}) for {C}", "{P} for Relapsed {C}",
    ];

    private static readonly string[] OfficialTitleTemplates =
    [
        "A {Ph}, Open-label, Single-arm Study to Evaluate the Safety, Tolerability and Efficacy of {P}, an Autologous {A} CAR-T Cell Product, in Patients With {C}",
        "A Multicenter {Ph} Clinical Study of {A} Chimeric Antigen Receptor T Cells ({P}) in Subjects With Relapsed or Refractory {C}",
        "{Ph} Dose-escalation and Expansion Study of {P} Targeting {A} in {C}",
    ];

    private static readonly string[] SummaryTemplates =
    [
        "This is a {Ph}, single-center, open-label study to evaluate the safety and efficacy of {A} CAR-T cells ({P}) in patients with relapsed or refractory {C}.",
        "The purpose of this study is to determine the maximum tolerated dose and the recommended {Ph} dose of {P}, a CAR-T product targeting {A}, in patients with {C}.",
        "This {Ph} trial tests whether autologous T cells engineered to express a chimeric antigen receptor against {A} are safe and can control {C} that has returned after or not responded to standard treatment.",
    ];

    private static readonly string[] DescriptionSentences =
    [
        "Eligible patients undergo leukapheresis to collect peripheral blood mononuclear cells, from which {P} is manufactured in about two weeks.",
        "Bridging therapy is allowed at the investigator's discretion while the cells are manufactured.",
        "Dose escalation follows a 3+3 design; dose-limiting toxicities are assessed during the first 28 days after infusion.",
        "Cytokine release syndrome and immune effector cell-associated neurotoxicity syndrome are graded according to ASTCT consensus criteria.",
        "Responses are assessed at 4 weeks, 3 months and then every 3 months after infusion.",
        "Expansion and persistence of {A} CAR-T cells in peripheral blood are measured by flow cytometry and quantitative PCR.",
        "Patients are followed for 15 years for delayed adverse events related to gene transfer.",
        "The expression of {A} on tumour cells is confirmed by immunohistochemistry or flow cytometry at screening.",
    ];

    private static readonly string[] InclusionCriteria =
    [
        "Age {MIN} to {MAX} years at the time of informed consent", "Confirmed diagnosis of {C} with {A} expression on tumour cells",
        "Relapsed or refractory disease after at least {N} prior lines of therapy", "Eastern Cooperative Oncology Group (ECOG) performance status of 0 to {E}",
        "Expected survival of at least {W} weeks", "At least one measurable lesion according to the applicable response criteria",
        "Adequate organ function, defined as:", "Adequate venous access for apheresis and no contraindication to leukapheresis",
        "Women of childbearing potential must have a negative serum pregnancy test within {D} days before enrolment",
        "Willing to use effective contraception from consent until {M} months after the cell infusion", "Voluntarily signed the informed consent form",
        "Recovery from toxicities of prior therapy to grade 1 or baseline", "Left ventricular ejection fraction of at least {LVEF}% by echocardiography",
        "No active central nervous system involvement, or treated involvement stable for at least {W} weeks",
        "Oxygen saturation above {SAT}% on room air", "Prior autologous stem cell transplantation is allowed if performed more than {D} days before enrolment",
    ];

    private static readonly string[] ExclusionCriteria =
    [
        "Prior treatment with any {A}-directed therapy", "Prior CAR-T cell therapy or other genetically modified T cell therapy",
        "Active hepatitis B, hepatitis C, syphilis or HIV infection", "Uncontrolled active infection requiring systemic treatment",
        "History of allogeneic stem cell transplantation within {M} months, or active graft-versus-host disease",
        "Systemic corticosteroids above {STER} mg/day prednisone or equivalent within {D} days before apheresis", "Pregnant or breastfeeding women",
        "Clinically significant cardiovascular disease, including:", "Active autoimmune disease requiring systemic immunosuppression",
        "Another malignancy within {Y} years, except adequately treated non-melanoma skin cancer or carcinoma in situ",
        "Known hypersensitivity to any component of the cell product, fludarabine or cyclophosphamide",
        "Participation in another interventional clinical trial within {W} weeks", "Major surgery within {W} weeks before enrolment",
        "Severe psychiatric illness that would prevent compliance with the protocol", "Live vaccine within {W} weeks before screening",
        "Any condition that, in the opinion of the investigator, makes the patient unsuitable for the study",
        "Active central nervous system disorder such as seizure disorder, stroke or dementia", "Interstitial lung disease or pulmonary fibrosis",
    ];

    private static readonly string[] OrganFunction =
    [
        "Serum creatinine no more than {X} times the upper limit of normal", "ALT and AST no more than {X} times the upper limit of normal",
        "Total bilirubin no more than {X} times the upper limit of normal", "Absolute neutrophil count at least 1.0 x 10^9/L",
        "Platelet count at least 50 x 10^9/L", "Hemoglobin at least 80 g/L",
    ];

    private static readonly string[] Cardiac =
    [
        "New York Heart Association class III or IV heart failure", "Myocardial infarction within 6 months", "Unstable angina", "Clinically significant arrhythmia",
    ];

    private static readonly (string Measure, string Description)[] PrimaryOutcomes =
    [
        ("Incidence of treatment-emergent adverse events", "Adverse events graded by CTCAE version 5.0"),
        ("Dose-limiting toxicity", "Toxicities attributed to the cell product during the dose-limiting toxicity period"),
        ("Maximum tolerated dose", "The highest dose level at which no more than one of six patients has a dose-limiting toxicity"),
        ("Overall response rate", "Proportion of patients with complete or partial response"),
    ];

    private static readonly (string Measure, string Description)[] SecondaryOutcomes =
    [
        ("Progression-free survival", "Time from infusion to disease progression or death from any cause"),
        ("Overall survival", "Time from infusion to death from any cause"), ("Duration of response", "Time from first response to progression"),
        ("CAR-T cell expansion", "Peak copies of the CAR transgene per microgram of genomic DNA"), ("Complete remission rate", "Proportion of patients in complete remission"),
        ("Incidence of cytokine release syndrome", "Graded according to ASTCT consensus criteria"), ("Minimal residual disease negativity rate", "Assessed by flow cytometry"),
    ];

    private static readonly string[] ShortTimeFrames = ["28 days", "Up to 28 days after infusion", "3 months", "Up to 90 days"];
    private static readonly string[] LongTimeFrames = ["2 years", "Up to 24 months", "12 months", "Up to 5 years", "6 months"];

    private static string Fill(Random rng, string template, string antigen, string condition, string product, string phase) =>
        template.Replace("{A}", antigen, StringComparison.Ordinal).Replace("{C}", condition, StringComparison.Ordinal)
            .Replace("{P}", product, StringComparison.Ordinal).Replace("{Ph}", phase, StringComparison.Ordinal)
            .Replace("{N}", rng.Next(1, 4).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static List<SyntheticCriterion> Criteria(Random rng, string[] pool, int count, string antigen, string condition, int minAge, int? maxAge)
    {
        var result = new List<SyntheticCriterion>();
        foreach (var template in PickDistinct(rng, pool, Math.Min(count, pool.Length)))
        {
            var text = Fill(rng, template, antigen, condition, string.Empty, string.Empty)
                .Replace("{MIN}", minAge.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{MAX}", (maxAge ?? 75).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{E}", rng.Next(1, 3).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{W}", (rng.Next(2, 13)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{D}", (rng.Next(1, 5) * 7).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{M}", rng.Next(3, 13).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{Y}", rng.Next(2, 6).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{LVEF}", rng.Next(45, 56).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{SAT}", rng.Next(90, 96).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{STER}", (rng.Next(1, 4) * 5).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            IReadOnlyList<string> subItems = text.EndsWith(':')
                ? [.. PickDistinct(rng, template.StartsWith("Adequate", StringComparison.Ordinal) ? OrganFunction : Cardiac, rng.Next(2, 5))
                    .Select(s => s.Replace("{X}", (rng.Next(3, 7) * 0.5).ToString("0.0", CultureInfo.InvariantCulture), StringComparison.Ordinal))]
                : [];
            result.Add(new SyntheticCriterion(text, subItems));
        }

        return result;
    }

    private static List<SyntheticDose> Doses(Random rng, DoseUnit unit, int count)
    {
        // Log-spaced levels: per kg around 10^5-10^7, flat doses around 10^7-10^9, per m2 around 10^6-10^8.
        var lowExponent = unit switch { DoseUnit.CellsPerKg => rng.Next(5, 7), DoseUnit.Cells => rng.Next(7, 9), _ => rng.Next(6, 8) };
        var mantissas = new[] { 1.0, 2.0, 3.0, 5.0 };
        var values = new SortedSet<double>();
        var step = rng.Next(0, mantissas.Length);
        var exponent = lowExponent;
        while (values.Count < count)
        {
            values.Add(mantissas[step] * Math.Pow(10, exponent));
            step += rng.Next(1, 3);
            if (step >= mantissas.Length)
            {
                step -= mantissas.Length;
                exponent++;
            }
        }

        var notation = rng.Next(0, 4);
        return [.. values.Select(v => new SyntheticDose(DoseText(v, unit, notation), v, unit))];
    }

    private static string DoseText(double value, DoseUnit unit, int notation)
    {
        var exponent = (int)Math.Floor(Math.Log10(value) + 1e-9);
        var mantissa = value / Math.Pow(10, exponent);
        var m = mantissa.ToString("0.#", CultureInfo.InvariantCulture);
        var e = exponent.ToString(CultureInfo.InvariantCulture);
        var suffix = unit switch { DoseUnit.CellsPerKg => " cells/kg", DoseUnit.CellsPerM2 => " cells/m2", _ => " CAR-T cells" };
        return notation switch
        {
            0 => $"{m}×10^{e}{suffix}",
            1 => $"{m} x 10^{e}{suffix}",
            2 => $"{mantissa.ToString("0.0", CultureInfo.InvariantCulture)}E+{exponent:D2}{suffix}",
            _ => value >= 1e6 && value < 1e9 ? $"{(value / 1e6).ToString("0.#", CultureInfo.InvariantCulture)} million{suffix}" : $"{m}×10^{e}{suffix}",
        };
    }

    private static string DoseSentence(Random rng, List<SyntheticDose> doses, DoseUnit unit) => doses.Count == 1
        ? $"A single dose of {doses[0].Text} is given."
        : rng.NextDouble() < 0.5
            ? $"Dose levels: {string.Join("; ", doses.Select(d => d.Text))}."
            : $"Patients are enrolled at {doses.Count} dose levels ({string.Join(", ", doses.Select(d => d.Text))}) in sequence.";

    private static string AntigenMention(Random rng, IReadOnlyList<string> symbols)
    {
        string Name(string symbol)
        {
            var definition = AntigenVocabulary.Find(symbol)!;
            // Mostly the symbol; sometimes a synonym that names the antigen unambiguously.
            var synonyms = definition.Synonyms.Where(s => s.Length > 3 && s.Any(char.IsUpper)).ToList();
            return synonyms.Count > 0 && rng.NextDouble() < 0.2 ? synonyms[rng.Next(synonyms.Count)] : symbol;
        }

        return symbols.Count == 1 ? Name(symbols[0]) : string.Join('/', symbols.Select(Name));
    }

    private static string ProductName(Random rng)
    {
        var letters = "ABCDEFGHJKLMNPRSTVXYZ";
        // Every title names the product, and documents without a registry id are told apart by their title, so names
        // must rarely repeat (9 million codes, 5,832 -cel names, each with its antigen and condition).
        return rng.NextDouble() < 0.6
            ? $"{letters[rng.Next(letters.Length)]}{letters[rng.Next(letters.Length)]}{letters[rng.Next(letters.Length)]}-{rng.Next(10, 9999)}"
            : $"{Pick(rng, CompanySyllables)}{Pick(rng, CompanySyllables).ToLowerInvariant()}{Pick(rng, CompanySyllables).ToLowerInvariant()}-cel";
    }

    private static string PhaseWords(IReadOnlyList<TrialPhase> phases) => phases switch
    {
        [TrialPhase.EarlyPhase1] => "Early Phase 1",
        [TrialPhase.Phase1, TrialPhase.Phase2] => "Phase 1/2",
        [TrialPhase.Phase1] => "Phase 1",
        [TrialPhase.Phase2] => "Phase 2",
        [TrialPhase.Phase3] => "Phase 3",
        _ => "Pilot",
    };

    private static string RouteAdjective(Route route) => route switch
    {
        Route.Intravenous => "Intravenous",
        Route.Intraperitoneal => "Intraperitoneal",
        Route.Intrapleural => "Intrapleural",
        Route.Intratumoral => "Intratumoral",
        Route.Intrathecal => "Intrathecal",
        Route.Intraventricular => "Intraventricular",
        Route.IntraArterial => "Intra-arterial",
        _ => "Other",
    };

    private static SyntheticSponsor Sponsor(Random rng, string cls)
    {
        if (cls == "INDUSTRY")
        {
            return new SyntheticSponsor($"{Pick(rng, CompanySyllables)}{Pick(rng, CompanySyllables).ToLowerInvariant()} {Pick(rng, ["Biotherapeutics", "Biotech Co., Ltd", "Therapeutics, Inc.", "Cell Therapy"])}", cls);
        }

        var country = rng.NextDouble() < 0.65 ? "China" : "United States";
        var (city, _, _, _, _) = Pick(rng, Cities[country]);
        return new SyntheticSponsor($"{city} {Pick(rng, InstitutionKinds)}", cls);
    }

    private static SyntheticSite Site(Random rng, string country, TrialStatus trialStatus)
    {
        var (city, state, latitude, longitude, postalCode) = Cities.TryGetValue(country, out var cities)
            ? Pick(rng, cities)
            : (City: $"{country[..3]}ville", State: (string?)null, Latitude: double.NaN, Longitude: double.NaN, PostalCode: "");
        var siteStatus = trialStatus is TrialStatus.Recruiting && rng.NextDouble() < 0.2 ? TrialStatus.NotYetRecruiting : trialStatus;
        var kind = rng.Next(InstitutionKinds.Length);
        if (double.IsNaN(latitude))
        {
            // An invented town has no coordinates, as many real sites have none.
            return new SyntheticSite($"{city} {InstitutionKinds[kind]}", city, state, country, siteStatus);
        }

        // Each hospital of a city a few kilometres from its centre, always at the same place.
        return new SyntheticSite($"{city} {InstitutionKinds[kind]}", city, state, country, siteStatus)
        {
            Latitude = Math.Round(latitude + (kind % 3 - 1) * 0.03, 4),
            Longitude = Math.Round(longitude + (kind / 3 - 1) * 0.03, 4),
            PostalCode = postalCode,
        };
    }

    private static SyntheticContact Contact(Random rng)
    {
        var given = Pick(rng, GivenNames);
        var family = Pick(rng, FamilyNames);
        return new SyntheticContact($"{given} {family}, MD", $"+86 {rng.Next(130, 190)} {rng.Next(1000, 9999)} {rng.Next(1000, 9999)}",
            $"{given.ToLowerInvariant()}.{family.ToLowerInvariant()}@example.org");
    }

    private static string Initials(string name) => new([.. name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0])).Take(4)]);

    private static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    private static T Pick<T>(Random rng, (T Value, double Weight)[] items)
    {
        var total = items.Sum(i => i.Weight);
        var x = rng.NextDouble() * total;
        foreach (var (value, weight) in items)
        {
            x -= weight;
            if (x < 0)
            {
                return value;
            }
        }

        return items[^1].Value;
    }

    private static Target Pick(Random rng, Target[] items) => Pick(rng, items.Select(t => (t, t.Weight)).ToArray());

    private static List<T> PickDistinct<T>(Random rng, IReadOnlyList<T> items, int count, Func<T, double>? weight = null)
    {
        var pool = items.ToList();
        var result = new List<T>();
        while (result.Count < count && pool.Count > 0)
        {
            var chosen = weight is null ? pool[rng.Next(pool.Count)] : Pick(rng, pool.Select(p => (p, weight(p))).ToArray());
            result.Add(chosen);
            pool.Remove(chosen);
        }

        return result;
    }
}
