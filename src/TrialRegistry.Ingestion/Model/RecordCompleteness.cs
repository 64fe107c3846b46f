namespace TrialRegistry.Ingestion.Model;

/// <summary>Whether a (merged) record describes the trial or only part of it.</summary>
public static class RecordCompleteness
{
    /// <summary>
    /// Full when the record names the trial (a title), says where it stands (status or phase) and describes it: what
    /// it studies (conditions), what it gives (interventions or arms), who may join (eligibility) or a summary.
    /// </summary>
    public static Completeness Of(TrialRecord record)
    {
        var named = !string.IsNullOrWhiteSpace(record.Title);
        var placed = record.Status is not null || record.Phases.Count > 0;
        var described = record.Conditions.Count > 0 || record.Interventions.Count > 0 || record.Arms.Count > 0
            || record.Eligibility is not null || !string.IsNullOrWhiteSpace(record.BriefSummary);
        return named && placed && described ? Completeness.Full : Completeness.Partial;
    }

    /// <summary>
    /// The fields the sources do not state, of those a reader looks for: shown as "Not in the sources we hold", which
    /// is not the same as "none". Names are the record's JSON names (eligibility parts as <c>eligibility.criteria</c>).
    /// </summary>
    public static IReadOnlyList<string> NotStated(TrialRecord r)
    {
        var missing = new List<string>();
        void Check(bool absent, string field)
        {
            if (absent)
            {
                missing.Add(field);
            }
        }

        Check(r.Title is null, "title");
        Check(r.BriefSummary is null && r.DetailedDescription is null, "briefSummary");
        Check(r.Status is null, "status");
        Check(r.Phases.Count == 0, "phases");
        Check(r.Enrollment?.Count is null, "enrollment");
        Check(r.StartDate is null, "startDate");
        Check(r.Conditions.Count == 0, "conditions");
        Check(r.TargetAntigens.Count == 0, "targetAntigens");
        Check(r.Modality is null, "modality");
        Check(r.ProductType is null, "productType");
        Check(r.Routes.Count == 0, "routes");
        Check(r.DoseLevels.Count == 0, "doseLevels");
        Check(r.Lymphodepletion.Count == 0, "lymphodepletion");
        Check(r.Arms.Count == 0, "arms");
        Check(r.Interventions.Count == 0, "interventions");
        Check(r.Eligibility is null || r.Eligibility.Inclusion.Count + r.Eligibility.Exclusion.Count == 0, "eligibility.criteria");
        Check(r.Eligibility?.MinAgeYears is null && r.Eligibility?.MaxAgeYears is null, "eligibility.ages");
        Check(r.Eligibility?.Sex is null, "eligibility.sex");
        Check(r.Sponsors.Count == 0, "sponsors");
        Check(r.Locations.Count == 0, "locations");
        Check(r.Contacts.Count == 0, "contacts");
        Check(r.Outcomes.Count == 0, "outcomes");
        return missing;
    }
}
