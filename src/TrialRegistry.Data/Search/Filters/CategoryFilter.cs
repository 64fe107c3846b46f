using TrialRegistry.Ingestion.Extraction;

namespace TrialRegistry.Data.Search;

/// <summary>Kind of disease, from the trial's conditions (Knowledge/disease-categories.json).</summary>
public static class CategoryFilter
{
    public static ChoiceFilter Definition { get; } = new()
    {
        Parameter = "category",
        Noun = "a kind of disease",
        Legend = "Kind of disease",
        Description = "Kind of disease: HEMATOLOGIC_MALIGNANCY (blood cancer), SOLID_TUMOR, AUTOIMMUNE, INFECTION, from the trial's conditions. Several = any of.",
        Values = [.. DiseaseCategories.All.Select(c => c.Name)],
        Canonical = value => DiseaseCategories.All.FirstOrDefault(c => string.Equals(c.Name, value.Trim(), StringComparison.OrdinalIgnoreCase))?.Name,
        Label = DiseaseCategories.Label,
        ValuesSql = "coalesce(disease_categories, '{}')",
        Narrow = (trials, categories) => trials.Where(t => t.DiseaseCategories!.Any(c => categories.Contains(c))),
    };
}
