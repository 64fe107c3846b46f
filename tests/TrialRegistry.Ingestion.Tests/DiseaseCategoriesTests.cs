using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Ingestion.Tests;

/// <summary>The kind of disease of condition names as registries write them.</summary>
public sealed class DiseaseCategoriesTests
{
    [Theory]
    [InlineData("Relapsed/Refractory Diffuse Large B-cell Lymphoma", "HEMATOLOGIC_MALIGNANCY")]
    [InlineData("B-ALL", "HEMATOLOGIC_MALIGNANCY")]
    [InlineData("Multiple Myeloma|Plasma Cell Leukemia", "HEMATOLOGIC_MALIGNANCY")]
    [InlineData("Acute Myeloid Leukaemia", "HEMATOLOGIC_MALIGNANCY")]
    [InlineData("Renal Cell Carcinoma", "SOLID_TUMOR")]
    [InlineData("Glioblastoma Multiforme", "SOLID_TUMOR")]
    [InlineData("Advanced Solid Tumor", "SOLID_TUMOR")]
    [InlineData("Pancreatic Cancer", "SOLID_TUMOR")]
    [InlineData("Systemic Lupus Erythematosus|Lupus Nephritis", "AUTOIMMUNE")]
    [InlineData("Generalized Myasthenia Gravis", "AUTOIMMUNE")]
    [InlineData("Hematologic Malignancies|Solid Tumors", "HEMATOLOGIC_MALIGNANCY|SOLID_TUMOR")]
    [InlineData("AIDS-Related Diffuse Large B-cell Lymphoma", "HEMATOLOGIC_MALIGNANCY|INFECTION")]
    [InlineData("Light Chain (AL) Amyloidosis", "HEMATOLOGIC_MALIGNANCY")]
    [InlineData("Advanced Solid Malignant Tumors", "SOLID_TUMOR")]
    [InlineData("Covid19", "INFECTION")]
    public void Conditions_have_the_kind_of_disease_they_name(string conditions, string categories) =>
        Assert.Equal(categories.Split('|'), DiseaseCategories.Of(conditions.Split('|')));

    [Theory]
    [InlineData("Tumor Lysis Syndrome")]
    [InlineData("All Participants")]
    [InlineData("Healthy Volunteers")]
    [InlineData("Cytokine Release Syndrome")]
    public void A_name_of_no_known_kind_gives_none(string condition) => Assert.Empty(DiseaseCategories.Of([condition]));
}
