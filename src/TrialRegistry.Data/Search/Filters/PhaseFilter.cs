using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Search;

/// <summary>Phase: any of the trial's phases (a phase 1/2 trial is both).</summary>
public static class PhaseFilter
{
    public static ChoiceFilter Definition { get; } = new()
    {
        Parameter = "phase",
        Noun = "a phase",
        Legend = "Phase",
        Description = "Phase: EARLY_PHASE1, PHASE1, PHASE2, PHASE3, PHASE4, NA. Several = any of.",
        Values = VocabularyNames.AllNames<TrialPhase>(),
        Canonical = ChoiceFilter.NameOf<TrialPhase>(),
        ValuesSql = "phases",
        Narrow = (trials, phases) => trials.Where(t => t.Phases.Any(p => phases.Contains(p))),
    };
}
