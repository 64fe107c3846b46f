using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Testing;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>Conditions as concepts: synonyms are one concept, narrower concepts carry their broader ones.</summary>
public sealed class DiseaseConceptsTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_concept_is_found_in_its_own_name_and_its_parents_exist()
    {
        Assert.All(DiseaseConcepts.All, c =>
        {
            Assert.Contains(c.Id, DiseaseConcepts.Of([c.Name]));
            Assert.All(c.Parents, p => Assert.NotNull(DiseaseConcepts.Find(p)));
        });
    }

    [Theory]
    [InlineData("B-ALL", "b-all all leukemia b-cell-malignancy hematologic-malignancy", "t-all aml")]
    [InlineData("Acute Lymphocytic Leukemia, B-cell", "b-all all leukemia", "t-all")]
    [InlineData("B-cell Precursor Acute Lymphoblastic Leukaemia", "b-all all leukemia", "t-all")]
    [InlineData("Acute Lymphoblastic Leukemia", "all leukemia", "b-all t-all")]
    [InlineData("Relapsed/Refractory DLBCL", "lbcl b-cell-lymphoma nhl lymphoma hematologic-malignancy", "follicular")]
    [InlineData("Primary Mediastinal Large B-cell Lymphoma", "lbcl b-cell-lymphoma nhl lymphoma", "cns-lymphoma")]
    [InlineData("Lymphoma, B-Cell", "b-cell-lymphoma nhl lymphoma", "lbcl")]
    [InlineData("Non-Hodgkin Lymphoma", "nhl lymphoma", "hodgkin")]
    [InlineData("Hodgkin Lymphoma", "hodgkin lymphoma", "nhl")]
    [InlineData("Lupus Nephritis", "sle lupus-nephritis", "")]
    [InlineData("Small Cell Lung Cancer", "lung-cancer sclc solid-tumor", "nsclc")]
    [InlineData("Non-small Cell Lung Cancer", "lung-cancer nsclc", "sclc")]
    [InlineData("Glioblastoma Multiforme", "glioblastoma glioma brain-tumor solid-tumor", "hematologic-malignancy")]
    public void A_condition_name_gives_its_concept_and_every_broader_one(string condition, string includes, string excludes)
    {
        var concepts = DiseaseConcepts.Of([condition]);
        Assert.Superset(includes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(), concepts.ToHashSet());
        Assert.All(excludes.Split(' ', StringSplitOptions.RemoveEmptyEntries), e => Assert.DoesNotContain(e, concepts));
    }

    [Theory]
    [InlineData("Myeloid Sarcoma")]
    [InlineData("Tumor Lysis Syndrome")]
    [InlineData("All Participants")]
    [InlineData("Cytokine Release Syndrome")]
    public void A_name_of_no_disease_in_the_vocabulary_gives_no_concept(string condition) => Assert.Empty(DiseaseConcepts.Of([condition]));

    [Theory]
    [InlineData("relapsed DLBCL", "lbcl")]
    [InlineData("B-ALL", "b-all")]
    [InlineData("acute lymphocytic", "all")]
    [InlineData("acute lymphoblastic leukemia", "all")]
    [InlineData("large B-cell lymphoma", "lbcl")]
    [InlineData("lymphoma or myeloma", "lymphoma multiple-myeloma")]
    [InlineData("Glioblastoma", "glioblastoma")]
    [InlineData("lupus", "sle")]
    [InlineData("lymphoma vaccine", "")]
    [InlineData("all", "")]
    [InlineData("renal", "")]
    public void A_search_term_is_a_concept_only_when_it_names_diseases_and_nothing_else(string text, string concepts) =>
        Assert.Equal(concepts.Split(' ', StringSplitOptions.RemoveEmptyEntries), DiseaseConcepts.Resolve(text));

    [Fact]
    public void A_concepts_name_typed_as_a_search_is_that_concept()
    {
        // The condition facet lists concepts by name, and the filter reads a name back: both mean the same trials.
        Assert.All(DiseaseConcepts.All, c => Assert.Equal([c.Id], DiseaseConcepts.Resolve(c.Name)));
    }

    [Fact]
    public void A_concept_with_its_narrower_ones_is_what_a_search_for_it_finds()
    {
        var all = DiseaseConcepts.WithNarrower("all");
        Assert.Contains("b-all", all);
        Assert.Contains("t-all", all);
        Assert.DoesNotContain("aml", all);
    }

    /// <summary>
    /// The corpus's condition names (ClinicalTrials.gov's CAR-T trials): those the disease-kind classifier places are
    /// nearly all a concept too; the unplaced ones are printed, most frequent first, for the next vocabulary round.
    /// </summary>
    [Fact]
    public void Nearly_every_corpus_condition_of_a_known_kind_is_a_concept()
    {
        var path = Path.Combine(SharedPaths.Corpus, "ctgov-csv", "oncology-car-t-trials.csv");
        using var reader = new StreamReader(path);
        using var csv = new CsvHelper.CsvReader(reader, System.Globalization.CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var column = csv.HeaderRecord!.First(h => h.Equals("Conditions", StringComparison.OrdinalIgnoreCase));
        var names = new List<string>();
        while (csv.Read())
        {
            names.AddRange(csv.GetField(column)!.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        var ofKnownKind = names.Where(n => DiseaseCategories.Of([n]).Count > 0).ToList();
        var missed = ofKnownKind.Where(n => DiseaseConcepts.Of([n]).Count == 0).ToList();
        foreach (var group in missed.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).OrderByDescending(g => g.Count()).Take(40))
        {
            output.WriteLine($"{group.Count(),4}  {group.Key}");
        }

        var share = 1.0 - (double)missed.Count / ofKnownKind.Count;
        output.WriteLine($"{ofKnownKind.Count} condition names of a known kind, {share:P1} a concept");
        Assert.True(share >= 0.99, $"{share:P1} of the corpus's condition names of a known kind are a concept");
    }
}
