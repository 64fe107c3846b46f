using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Data.Search;

/// <summary>
/// A <see cref="TrialDetail"/> from a merged record as stored in a version snapshot: the same shape as the current
/// record, so a client reads a past version with the code that reads the present one.
/// </summary>
public static class TrialDetails
{
    public static TrialDetail FromRecord(TrialRecord r, string registryId, int version, DateTimeOffset createdAt, bool withdrawn, IReadOnlyList<SourceDocumentRef> sourceDocuments)
    {
        static IReadOnlyList<DoseSummary> Doses(IEnumerable<DoseLevel> doses) =>
            doses.Select(d => new DoseSummary(d.Text, d.Value, VocabularyNames.ToName(d.Unit))).ToList();

        static IReadOnlyList<CriterionDetail> Criteria(IEnumerable<Criterion> criteria) =>
            criteria.Select(c => new CriterionDetail(c.Text, c.SubItems)).ToList();

        return new TrialDetail
        {
            RegistryId = registryId,
            SecondaryIds = r.SecondaryIds,
            Title = r.Title,
            OfficialTitle = r.OfficialTitle,
            BriefSummary = r.BriefSummary,
            DetailedDescription = r.DetailedDescription,
            Status = VocabularyNames.ToName(r.Status),
            Phases = r.Phases.Select(p => VocabularyNames.ToName(p)).ToList(),
            StudyType = VocabularyNames.ToName(r.StudyType),
            Enrollment = r.Enrollment is { } e ? new EnrollmentDetail(e.Count, VocabularyNames.ToName(e.Type)) : null,
            StartDate = r.StartDate,
            CompletionDate = r.CompletionDate,
            LastUpdated = r.LastUpdated,
            Conditions = r.Conditions,
            TargetAntigens = r.TargetAntigens
                .Select(s => AntigenVocabulary.Find(s) is { } known ? new AntigenRef(known.Symbol, known.Name) : new AntigenRef(s, s))
                .DistinctBy(a => a.Symbol).OrderBy(a => a.Symbol, StringComparer.Ordinal).ToList(),
            Modality = VocabularyNames.ToName(r.Modality),
            ProductType = VocabularyNames.ToName(r.ProductType),
            Products = r.Products,
            Routes = r.Routes.Select(x => VocabularyNames.ToName(x)).ToList(),
            Lymphodepletion = r.Lymphodepletion,
            DoseLevels = Doses(r.DoseLevels),
            Arms = r.Arms.Select(a => new ArmDetail(a.Label, VocabularyNames.ToName(a.Type), a.Description,
                a.Routes.Select(x => VocabularyNames.ToName(x)).ToList(), a.Interventions, Doses(a.DoseLevels))).ToList(),
            Interventions = r.Interventions.Select(i => new InterventionDetail(i.Name, VocabularyNames.ToName(i.Type), i.Description, i.OtherNames)).ToList(),
            Eligibility = r.Eligibility is { } el
                ? new EligibilityDetail(el.MinAgeYears, el.MaxAgeYears, VocabularyNames.ToName(el.Sex), el.HealthyVolunteers,
                    Criteria(el.Inclusion), Criteria(el.Exclusion), el.CriteriaText)
                : null,
            Sponsors = r.Sponsors.Select(s => new SponsorDetail(s.Name, VocabularyNames.ToName(s.Role), s.Class)).ToList(),
            Locations = r.Locations.Select(l => new LocationDetail(l.Facility, l.City, l.State, l.Country, VocabularyNames.ToName(l.Status), l.Latitude, l.Longitude)).ToList(),
            Contacts = r.Contacts.Select(c => new ContactDetail(c.Name, c.Role, c.Phone, c.Email)).ToList(),
            Outcomes = r.Outcomes.Select(o => new OutcomeDetail(VocabularyNames.ToName(o.Kind), o.Measure, o.Description, o.TimeFrame)).ToList(),
            Inferred = r.Inferred,
            Completeness = VocabularyNames.ToName(RecordCompleteness.Of(r)),
            NotStated = RecordCompleteness.NotStated(r),
            Warnings = r.Warnings.Select(w => w.Message).ToList(),
            SourceDocuments = sourceDocuments,
            Version = version,
            Withdrawn = withdrawn,
            UpdatedAt = createdAt,
            ContentHash = RecordJson.ContentHash(r),
        };
    }
}
