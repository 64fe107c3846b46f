using System.Text;

namespace TrialRegistry.Ingestion.Model;

/// <summary>
/// Merges the records several documents give for one trial into one, field by field, by what each source can know:
/// <list type="bullet">
/// <item>a value is taken from the newest record (records come oldest first) that states it; a value read from a
/// labelled field beats one inferred from prose, whatever their order;</item>
/// <item>sites are merged site by site (facility, city, country): every source's sites are kept, a row with more
/// detail replaces a poorer one for the same site, status comes from the newest source that gives one, and a
/// country given alone disappears into the sites of that country;</item>
/// <item>arms, interventions, outcomes, sponsors and contacts come whole from the source that details them most
/// (the newest of equals), so a list of intervention names never replaces described arms;</item>
/// <item>eligibility is merged part by part: criteria from the newest source that has criteria, ages and sex each
/// from the newest that states them;</item>
/// <item>secondary ids are the union of all sources'.</item>
/// </list>
/// A source that states less never erases what another stated. Warnings stay with the document they came from
/// (the merged record has none); <see cref="TrialRecord.Inferred"/> lists the fields whose chosen value was inferred.
/// The merge says which record each field came from.
/// </summary>
public static class RecordMerger
{
    public static (TrialRecord Merged, IReadOnlyDictionary<string, SourceInfo> FieldSources) Merge(IReadOnlyList<TrialRecord> oldestFirst)
    {
        if (oldestFirst.Count == 0)
        {
            throw new ArgumentException("nothing to merge", nameof(oldestFirst));
        }

        var m = new FieldMerge(oldestFirst);
        var registryId = m.Scalar("registryId", r => r.RegistryId);
        var eligibility = m.Eligibility();
        var merged = new TrialRecord
        {
            Source = oldestFirst[^1].Source,
            RegistryId = registryId,
            SecondaryIds = m.Union("secondaryIds", r => r.SecondaryIds, StringComparer.OrdinalIgnoreCase)
                .Where(id => !string.Equals(id, registryId, StringComparison.OrdinalIgnoreCase)).ToList(),
            Title = m.Scalar("title", r => r.Title),
            OfficialTitle = m.Scalar("officialTitle", r => r.OfficialTitle),
            BriefSummary = m.Scalar("briefSummary", r => r.BriefSummary),
            DetailedDescription = m.Scalar("detailedDescription", r => r.DetailedDescription),
            Status = m.Scalar("status", r => r.Status),
            Phases = m.List("phases", r => r.Phases),
            StudyType = m.Scalar("studyType", r => r.StudyType),
            Enrollment = m.Scalar("enrollment", r => r.Enrollment),
            StartDate = m.Scalar("startDate", r => r.StartDate),
            CompletionDate = m.Scalar("completionDate", r => r.CompletionDate),
            LastUpdated = m.Scalar("lastUpdated", r => r.LastUpdated),
            Conditions = m.List("conditions", r => r.Conditions),
            TargetAntigens = m.List("targetAntigens", r => r.TargetAntigens),
            Modality = m.Scalar("modality", r => r.Modality),
            ProductType = m.Scalar("productType", r => r.ProductType),
            Products = m.List("products", r => r.Products),
            Routes = m.List("routes", r => r.Routes),
            Lymphodepletion = m.List("lymphodepletion", r => r.Lymphodepletion),
            DoseLevels = m.List("doseLevels", r => r.DoseLevels),
            Arms = m.Richest("arms", r => r.Arms, a => Detail(a.Label, a.Type, a.Description) + a.Routes.Count + a.Interventions.Count + a.DoseLevels.Count),
            Interventions = m.Richest("interventions", r => r.Interventions, i => Detail(i.Name, i.Type, i.Description) + i.OtherNames.Count),
            Eligibility = eligibility,
            Sponsors = m.Richest("sponsors", r => r.Sponsors, s => Detail(s.Name, s.Class)),
            Locations = m.Sites(),
            Contacts = m.Richest("contacts", r => r.Contacts, c => Detail(c.Name, c.Role, c.Phone, c.Email)),
            Outcomes = m.Richest("outcomes", r => r.Outcomes, o => Detail(o.Measure, o.Description, o.TimeFrame)),
            Inferred = m.Inferred,
            Warnings = [],
        };
        return (merged, m.Sources);
    }

    /// <summary>How many of the values are there: a row that says more is the richer one.</summary>
    private static int Detail(params object?[] values) => values.Count(v => v is not null && (v is not string text || text.Length > 0));

    /// <summary>One merge: which record each field's value comes from, and whether that value was inferred.</summary>
    private sealed class FieldMerge(IReadOnlyList<TrialRecord> oldestFirst)
    {
        private readonly Dictionary<string, SourceInfo> _sources = [];
        private readonly List<string> _inferred = [];

        public IReadOnlyDictionary<string, SourceInfo> Sources => _sources;

        public IReadOnlyList<string> Inferred => _inferred;

        public T? Scalar<T>(string field, Func<TrialRecord, T?> value) =>
            Take(field, Winner(field, r => value(r) is not null), value);

        public IReadOnlyList<T> List<T>(string field, Func<TrialRecord, IReadOnlyList<T>> value) =>
            Take(field, Winner(field, r => value(r).Count > 0), value) ?? [];

        /// <summary>The list of the source that details it most: stated beats inferred, then more detail, then newer.</summary>
        public IReadOnlyList<T> Richest<T>(string field, Func<TrialRecord, IReadOnlyList<T>> value, Func<T, int> detail)
        {
            TrialRecord? best = null;
            var bestDetail = -1;
            foreach (var record in oldestFirst)
            {
                var list = value(record);
                if (list.Count == 0)
                {
                    continue;
                }

                var score = list.Sum(detail) + list.Count;
                if (best is null || Beats(field, record, best) || (!Beats(field, best, record) && score >= bestDetail))
                {
                    (best, bestDetail) = (record, score);
                }
            }

            return Take(field, best, value) ?? [];
        }

        public IReadOnlyList<T> Union<T>(string field, Func<TrialRecord, IReadOnlyList<T>> value, IEqualityComparer<T> comparer)
        {
            // Newest first, so that of two spellings of one id the newer is kept.
            var all = oldestFirst.Reverse().SelectMany(value).Distinct(comparer).ToList();
            if (all.Count > 0)
            {
                _sources[field] = oldestFirst.Last(r => value(r).Count > 0).Source;
            }

            return all;
        }

        /// <summary>Criteria from the newest source that has criteria; ages, sex and healthy volunteers each from the newest that states them.</summary>
        public Eligibility? Eligibility()
        {
            if (oldestFirst.All(r => r.Eligibility is null))
            {
                return null;
            }

            var criteria = Winner("eligibility.criteria", r => r.Eligibility is { } e && e.Inclusion.Count + e.Exclusion.Count > 0);
            var minAge = Winner("eligibility.ages", r => r.Eligibility?.MinAgeYears is not null);
            var maxAge = Winner("eligibility.ages", r => r.Eligibility?.MaxAgeYears is not null);
            var ages = minAge ?? maxAge;
            var sex = Winner("eligibility.sex", r => r.Eligibility?.Sex is not null);
            var healthy = Winner(string.Empty, r => r.Eligibility?.HealthyVolunteers is not null);
            var text = criteria ?? Winner(string.Empty, r => r.Eligibility?.CriteriaText is not null);
            var eligibility = new Eligibility
            {
                MinAgeYears = minAge?.Eligibility!.MinAgeYears,
                MaxAgeYears = maxAge?.Eligibility!.MaxAgeYears,
                Sex = sex?.Eligibility!.Sex,
                HealthyVolunteers = healthy?.Eligibility!.HealthyVolunteers,
                Inclusion = criteria?.Eligibility!.Inclusion ?? [],
                Exclusion = criteria?.Eligibility!.Exclusion ?? [],
                CriteriaText = text?.Eligibility!.CriteriaText,
            };
            var source = criteria ?? ages ?? sex ?? healthy ?? text ?? oldestFirst.Last(r => r.Eligibility is not null);
            _sources["eligibility"] = source.Source;
            foreach (var (part, record) in new[] { ("eligibility.ages", ages), ("eligibility.sex", sex) })
            {
                if (record is not null && record.Inferred.Contains(part))
                {
                    _inferred.Add(part);
                }
            }

            return eligibility;
        }

        /// <summary>Every source's sites, merged site by site.</summary>
        public IReadOnlyList<Location> Sites()
        {
            var sites = new List<Location>();
            SourceInfo? from = null;
            foreach (var record in oldestFirst)
            {
                foreach (var site in record.Locations)
                {
                    var k = sites.FindIndex(s => SameSite(s, site));
                    if (k >= 0)
                    {
                        sites[k] = Combine(sites[k], site);
                    }
                    else
                    {
                        sites.Add(site);
                    }

                    from = record.Source;
                }
            }

            // A country given alone ("Spain") is no site of its own where sites in that country are known, nor a city
            // given alone where a facility in that city is.
            sites.RemoveAll(s => Level(s) == SiteLevel.Country && sites.Any(o => Level(o) != SiteLevel.Country && Same(o.Country, s.Country)));
            sites.RemoveAll(s => Level(s) == SiteLevel.City && sites.Any(o => Level(o) == SiteLevel.Facility && Same(o.City, s.City) && Same(o.Country, s.Country)));
            if (from is not null)
            {
                _sources["locations"] = oldestFirst.Where(r => r.Locations.Count > 0)
                    .MaxBy(r => r.Locations.Sum(l => Detail(l.Facility, l.City, l.State, l.Status)))!.Source;
                if (oldestFirst.Where(r => r.Locations.Count > 0).All(r => r.Inferred.Contains("locations")))
                {
                    _inferred.Add("locations");
                }
            }

            return sites;
        }

        /// <summary>The newest record that states the field; a stated value beats an inferred one.</summary>
        private TrialRecord? Winner(string field, Func<TrialRecord, bool> states)
        {
            TrialRecord? best = null;
            foreach (var record in oldestFirst)
            {
                if (states(record) && (best is null || !Beats(field, best, record)))
                {
                    best = record;
                }
            }

            return best;
        }

        /// <summary>Whether <paramref name="a"/>'s value for the field was read from a label and <paramref name="b"/>'s only inferred.</summary>
        private static bool Beats(string field, TrialRecord a, TrialRecord b) =>
            field.Length > 0 && !a.Inferred.Contains(field) && b.Inferred.Contains(field);

        private T? Take<T>(string field, TrialRecord? winner, Func<TrialRecord, T?> value)
        {
            if (winner is null)
            {
                return default;
            }

            _sources[field] = winner.Source;
            if (winner.Inferred.Contains(field))
            {
                _inferred.Add(field);
            }

            return value(winner);
        }
    }

    private enum SiteLevel
    {
        Country,
        City,
        Facility,
    }

    private static SiteLevel Level(Location l) =>
        !string.IsNullOrWhiteSpace(l.Facility) ? SiteLevel.Facility : !string.IsNullOrWhiteSpace(l.City) ? SiteLevel.City : SiteLevel.Country;

    /// <summary>
    /// Two rows name the same site when they are at the same level (facility, city, country), their countries agree,
    /// and so do their facilities and, where both give one, their cities.
    /// </summary>
    private static bool SameSite(Location a, Location b) =>
        Level(a) == Level(b) && Same(a.Country, b.Country) && Level(a) switch
        {
            SiteLevel.Facility => Same(a.Facility, b.Facility) && (a.City is null || b.City is null || Same(a.City, b.City)),
            SiteLevel.City => Same(a.City, b.City),
            _ => true,
        };

    /// <summary>The two rows of one site as one: what either gives, the later row's status and state where it has them.</summary>
    private static Location Combine(Location earlier, Location later) => new(
        LongerOf(later.Facility, earlier.Facility),
        later.City ?? earlier.City,
        later.State ?? earlier.State,
        later.Country ?? earlier.Country,
        later.Status ?? earlier.Status,
        later.Latitude is not null && later.Longitude is not null ? later.Latitude : earlier.Latitude,
        later.Latitude is not null && later.Longitude is not null ? later.Longitude : earlier.Longitude,
        later.PostalCode ?? earlier.PostalCode);

    private static string? LongerOf(string? a, string? b) => a is null ? b : b is null ? a : b.Length > a.Length ? b : a;

    private static bool Same(string? a, string? b) => string.Equals(Key(a), Key(b), StringComparison.Ordinal);

    /// <summary>A name folded for comparison: case, accents, punctuation and white space ignored.</summary>
    private static string Key(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return string.Empty;
        }

        var decomposed = name.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }
}
