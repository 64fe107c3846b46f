using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Search;

/// <summary>Overall status, as ClinicalTrials.gov names it.</summary>
public static class StatusFilter
{
    public static ChoiceFilter Definition { get; } = new()
    {
        Parameter = "status",
        Noun = "a status",
        Legend = "Status",
        Description = "Overall status (ClinicalTrials.gov names: RECRUITING, NOT_YET_RECRUITING, ...). Several = any of.",
        Values = VocabularyNames.AllNames<TrialStatus>(),
        // The statuses of interventional trials, those a clinician looks for first.
        Offered = ["RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING", "SUSPENDED", "COMPLETED", "TERMINATED", "WITHDRAWN", "UNKNOWN"],
        Canonical = ChoiceFilter.NameOf<TrialStatus>(),
        ValuesSql = "array_remove(ARRAY[status::text], NULL)",
        Narrow = (trials, statuses) => trials.Where(t => t.Status != null && statuses.Contains(t.Status)),
    };
}
