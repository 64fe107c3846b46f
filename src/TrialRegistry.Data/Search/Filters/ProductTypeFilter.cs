using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Search;

/// <summary>Whose cells the product is made from (the trial's product type).</summary>
public static class ProductTypeFilter
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["AUTOLOGOUS"] = "The patient's own cells",
        ["ALLOGENEIC"] = "Donor or off-the-shelf cells",
        ["IN_VIVO"] = "Made inside the patient (in vivo)",
    };

    public static ChoiceFilter Definition { get; } = new()
    {
        Parameter = "productType",
        Noun = "a product type",
        Legend = "Cells from",
        Description = "Whose cells: AUTOLOGOUS, ALLOGENEIC, IN_VIVO (engineered inside the patient). Several = any of.",
        Values = VocabularyNames.AllNames<ProductType>(),
        Canonical = ChoiceFilter.NameOf<ProductType>(),
        Label = ChoiceFilter.Labelled(Labels),
        Control = ChoiceControl.Select,
        AnyLabel = "any source",
        ValuesSql = "array_remove(ARRAY[product_type::text], NULL)",
        Narrow = (trials, types) => trials.Where(t => t.ProductType != null && types.Contains(t.ProductType)),
    };
}
