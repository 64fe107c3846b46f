using System.Text;
using TrialRegistry.Data.Model;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using Rec = TrialRegistry.Ingestion.Model;
using Arm = TrialRegistry.Data.Model.Arm;
using Intervention = TrialRegistry.Data.Model.Intervention;
using DoseLevel = TrialRegistry.Data.Model.DoseLevel;
using Eligibility = TrialRegistry.Data.Model.Eligibility;
using Sponsor = TrialRegistry.Data.Model.Sponsor;
using Location = TrialRegistry.Data.Model.Location;
using Contact = TrialRegistry.Data.Model.Contact;
using Outcome = TrialRegistry.Data.Model.Outcome;

namespace TrialRegistry.Data.Store;

/// <summary>Writes a merged <see cref="TrialRecord"/> onto the normalized entities of a trial.</summary>
internal static class TrialMapper
{
    public static void Apply(Trial trial, TrialRecord record, IReadOnlyDictionary<string, TargetAntigen> antigens)
    {
        trial.SecondaryIds = [.. record.SecondaryIds];
        trial.Title = record.Title;
        trial.OfficialTitle = record.OfficialTitle;
        trial.BriefSummary = record.BriefSummary;
        trial.DetailedDescription = record.DetailedDescription;
        trial.Status = VocabularyNames.ToName(record.Status);
        trial.Phases = [.. record.Phases.Select(VocabularyNames.ToName)];
        trial.StudyType = VocabularyNames.ToName(record.StudyType);
        trial.EnrollmentCount = record.Enrollment?.Count;
        trial.EnrollmentType = VocabularyNames.ToName(record.Enrollment?.Type);
        trial.StartDate = record.StartDate;
        trial.CompletionDate = record.CompletionDate;
        trial.LastUpdated = record.LastUpdated;
        trial.Routes = [.. record.Routes.Select(VocabularyNames.ToName)];
        trial.DiseaseCategories = [.. TrialRegistry.Ingestion.Extraction.DiseaseCategories.Of(record.Conditions)];
        trial.ConditionConcepts = [.. TrialRegistry.Ingestion.Extraction.DiseaseConcepts.Of(record.Conditions)];
        trial.Lymphodepletion = [.. record.Lymphodepletion];
        trial.Modality = VocabularyNames.ToName(record.Modality);
        trial.ProductType = VocabularyNames.ToName(record.ProductType);
        trial.Products = [.. record.Products];
        trial.Inferred = [.. record.Inferred];
        trial.Completeness = VocabularyNames.ToName(RecordCompleteness.Of(record));
        trial.NotStated = [.. RecordCompleteness.NotStated(record)];
        trial.Warnings = [.. record.Warnings.Select(w => w.Message)];
        trial.SearchText = SearchText(record);

        trial.Conditions = [.. record.Conditions.Select((c, i) => new Condition { Name = c, Ordinal = i })];
        trial.TargetAntigens = [.. record.TargetAntigens.Distinct(StringComparer.OrdinalIgnoreCase).Select(s => antigens[s])];

        var interventions = record.Interventions.Select((x, i) => new Intervention
        {
            Name = x.Name,
            Ordinal = i,
            Type = VocabularyNames.ToName(x.Type),
            Description = x.Description,
            OtherNames = [.. x.OtherNames],
        }).ToList();
        trial.Interventions = interventions;

        var doses = new List<DoseLevel>();
        var arms = new List<Arm>();
        foreach (var (arm, index) in record.Arms.Select((a, i) => (a, i)))
        {
            var entity = new Arm
            {
                Label = arm.Label,
                Ordinal = index,
                Type = VocabularyNames.ToName(arm.Type),
                Description = arm.Description,
                Routes = [.. arm.Routes.Select(VocabularyNames.ToName)],
                Interventions = [.. interventions.Where(i => arm.Interventions.Any(n => Matches(n, i)))],
            };
            foreach (var dose in arm.DoseLevels)
            {
                var level = Dose(dose, doses.Count);
                entity.DoseLevels.Add(level);
                doses.Add(level);
            }

            arms.Add(entity);
        }

        trial.Arms = arms;
        // Trial-level doses that no arm carries are kept without an arm.
        var armDoses = doses.ToList();
        trial.DoseLevels = [.. armDoses, .. record.DoseLevels
            .Where(d => !armDoses.Any(a => a.Unit == VocabularyNames.ToName(d.Unit) && a.Value.Equals(d.Value)))
            .Select((d, i) => Dose(d, armDoses.Count + i))];

        var eligibility = record.Eligibility;
        trial.Eligibility = eligibility is null ? null : new Eligibility
        {
            MinAgeYears = eligibility.MinAgeYears,
            MaxAgeYears = eligibility.MaxAgeYears,
            Sex = VocabularyNames.ToName(eligibility.Sex),
            HealthyVolunteers = eligibility.HealthyVolunteers,
            CriteriaText = eligibility.CriteriaText,
            Checks = EligibilityChecks.ToJson(EligibilityChecks.From(eligibility)),
        };
        trial.Criteria = eligibility is null ? [] :
        [
            .. eligibility.Inclusion.Select((c, i) => Criterion(c, CriterionKind.Inclusion, i)),
            .. eligibility.Exclusion.Select((c, i) => Criterion(c, CriterionKind.Exclusion, i)),
        ];

        trial.Sponsors = [.. record.Sponsors.Select((s, i) => new Sponsor { Name = s.Name, Role = VocabularyNames.ToName(s.Role), Class = s.Class, Ordinal = i })];
        trial.Locations = [.. record.Locations.Select((l, i) => new Location
        {
            Facility = l.Facility, City = l.City, State = l.State, Country = l.Country, Status = VocabularyNames.ToName(l.Status), Ordinal = i,
            PostalCode = l.PostalCode, Latitude = l.Latitude, Longitude = l.Longitude,
        })];
        trial.Contacts = [.. record.Contacts.Select((c, i) => new Contact { Name = c.Name, Role = c.Role, Phone = c.Phone, Email = c.Email, Ordinal = i })];
        trial.Outcomes = [.. record.Outcomes.Select((o, i) => new Outcome
        {
            Kind = VocabularyNames.ToName(o.Kind), Measure = o.Measure, Description = o.Description, TimeFrame = o.TimeFrame, Ordinal = i,
        })];
    }

    /// <summary>What full-text search reads beside the title: summaries, conditions, interventions, antigens and their synonyms, criteria.</summary>
    public static string SearchText(TrialRecord record)
    {
        var text = new StringBuilder();
        void Add(string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                text.Append(value).Append('\n');
            }
        }

        Add(record.OfficialTitle);
        record.Products.ToList().ForEach(Add);
        Add(record.BriefSummary);
        Add(record.DetailedDescription);
        record.Conditions.ToList().ForEach(Add);
        foreach (var intervention in record.Interventions)
        {
            Add(intervention.Name);
            Add(intervention.Description);
            intervention.OtherNames.ToList().ForEach(Add);
        }

        foreach (var symbol in record.TargetAntigens)
        {
            Add(symbol);
            var known = TrialRegistry.Ingestion.Extraction.AntigenVocabulary.Find(symbol);
            if (known is not null)
            {
                Add(known.Name);
                known.Synonyms.ToList().ForEach(Add);
            }
        }

        foreach (var criterion in (record.Eligibility?.Inclusion ?? []).Concat(record.Eligibility?.Exclusion ?? []))
        {
            Add(criterion.Text);
            criterion.SubItems.ToList().ForEach(Add);
        }

        record.Arms.Select(a => a.Description).ToList().ForEach(Add);
        return text.ToString();
    }

    private static bool Matches(string name, Intervention intervention) =>
        string.Equals(name, intervention.Name, StringComparison.OrdinalIgnoreCase)
        || intervention.OtherNames.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static DoseLevel Dose(Rec.DoseLevel dose, int ordinal) =>
        new() { Text = dose.Text, Value = dose.Value, Unit = VocabularyNames.ToName(dose.Unit), Ordinal = ordinal };

    private static EligibilityCriterion Criterion(Criterion criterion, CriterionKind kind, int ordinal) => new()
    {
        Kind = VocabularyNames.ToName(kind),
        Ordinal = ordinal,
        Text = criterion.Text,
        SubItems = [.. criterion.SubItems],
    };
}
