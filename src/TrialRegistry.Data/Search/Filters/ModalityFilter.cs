using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Search;

/// <summary>What the trial gives: CAR-T, CAR-NK, ... (the trial's modality).</summary>
public static class ModalityFilter
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["CAR_T"] = "CAR-T cells",
        ["CAR_NK"] = "CAR-NK cells",
        ["CAR_M"] = "CAR macrophages",
        ["TCR_T"] = "TCR-T cells",
        ["OTHER_CELL_THERAPY"] = "Other cell therapy",
        ["NOT_CELL_THERAPY"] = "No cell therapy (drug or follow-up)",
    };

    public static ChoiceFilter Definition { get; } = new()
    {
        Parameter = "modality",
        Noun = "a modality",
        Legend = "Kind of therapy",
        Description = "What the trial gives: CAR_T, CAR_NK, CAR_M, TCR_T, OTHER_CELL_THERAPY, NOT_CELL_THERAPY. Several = any of.",
        Values = VocabularyNames.AllNames<Modality>(),
        Canonical = ChoiceFilter.NameOf<Modality>(),
        Label = ChoiceFilter.Labelled(Labels),
        ValuesSql = "array_remove(ARRAY[modality::text], NULL)",
        Narrow = (trials, modalities) => trials.Where(t => t.Modality != null && modalities.Contains(t.Modality)),
    };
}
