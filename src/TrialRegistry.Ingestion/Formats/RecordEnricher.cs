using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Extraction;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Formats;

/// <summary>
/// Completes what a format parser read with what free text says, the same way for every format: target
/// antigens, routes, dose levels (per arm and for the trial), lymphodepletion, arms named only in prose, and the
/// phase when no labelled field gave it. Everything found so is listed in <c>inferred</c>; what a registry record
/// should have and this one lacks becomes a warning. Eligibility text is never searched for antigens or doses.
/// </summary>
public static partial class RecordEnricher
{
    [GeneratedRegex(@"\b(?<route>intra-?venous|intra-?peritoneal|intra-?pleural|intra-?tumou?ral|intra-?thecal|intra-?ventricular|intra-?arterial)\s+(?:infusion|injection|administration|perfusion)?\s*(?:group|arm|cohort)s?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex RouteGroup();

    [GeneratedRegex(@"\b(?:parallel|separate|separately|different|three|two|four)\b[^.]{0,60}\b(?:routes?|arms?|groups?|cohorts?)\b|\b(?:routes?|arms?|groups?|cohorts?)\b[^.]{0,60}\b(?:separately|in parallel)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ParallelRoutes();

    [GeneratedRegex(@"\bCAR[-\s]?T\b|\bCART\b|chimeric antigen receptor|\bCAR[-\s]?NK\b|\bCAR\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex CarMention();

    public static TrialRecord Complete(TrialRecord draft)
    {
        var inferred = new List<string>(draft.Inferred);
        var warnings = new List<string>(draft.Warnings);
        var record = draft;

        var prose = new[] { record.BriefSummary, record.DetailedDescription };
        var interventionsByName = record.Interventions.GroupBy(i => i.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

        // Arms named only in prose ("Intravenous infusion group ... Intraperitoneal injection group").
        var arms = record.Arms.ToList();
        if (arms.Count == 0 && InferArms(record) is { Count: > 0 } proseArms)
        {
            arms = proseArms;
            inferred.Add("arms");
        }

        // Per arm: routes and doses from the arm's own text and its interventions' text.
        var armRoutesInferred = false;
        var armDosesInferred = false;
        for (var i = 0; i < arms.Count; i++)
        {
            var arm = arms[i];
            var linked = arm.Interventions.Select(n => interventionsByName.GetValueOrDefault(n)).OfType<Intervention>().ToList();
            var armText = string.Join(" \n ", new[] { arm.Label, arm.Description }.Concat(linked.SelectMany(x => new[] { x.Name, x.Description })).Where(t => t is not null));
            if (arm.Routes.Count == 0 && RouteExtractor.Extract(armText) is { Count: > 0 } routes)
            {
                arm = arm with { Routes = routes.Distinct().ToList() };
                armRoutesInferred = true;
            }

            if (arm.DoseLevels.Count == 0 && DoseExtractor.Extract(armText) is { Count: > 0 } armDoses)
            {
                arm = arm with { DoseLevels = armDoses };
                armDosesInferred = true;
            }

            arms[i] = arm;
        }

        // Trial routes: the arms' routes, else those the prose names.
        var trialRoutes = record.Routes.ToList();
        if (trialRoutes.Count == 0)
        {
            trialRoutes = arms.SelectMany(a => a.Routes).ToList();
            if (trialRoutes.Count == 0)
            {
                trialRoutes = RouteExtractor.Extract(Join(prose.Concat(record.Interventions.Select(x => x.Description)))).ToList();
            }

            if (trialRoutes.Count == 0 && IsCellTherapy(record))
            {
                // CAR-T cells are infused intravenously unless the record says otherwise.
                trialRoutes.Add(Route.Intravenous);
            }

            if (trialRoutes.Count > 0 || armRoutesInferred)
            {
                inferred.Add("routes");
            }
        }

        // An arm that names no route takes the trial's only route.
        if (trialRoutes.Distinct().Count() == 1)
        {
            arms = arms.Select(a => a.Routes.Count == 0 ? a with { Routes = [trialRoutes[0]] } : a).ToList();
        }

        // Trial doses: the arms' doses, the interventions', then the prose.
        var doses = record.DoseLevels.ToList();
        if (doses.Count == 0)
        {
            doses = DoseExtractor.Distinct(arms.SelectMany(a => a.DoseLevels)
                .Concat(record.Interventions.SelectMany(x => DoseExtractor.Extract(x.Description)))).ToList();
            if (doses.Count == 0)
            {
                doses = DoseExtractor.Extract(Join(prose)).ToList();
            }

            if (doses.Count > 0 || armDosesInferred)
            {
                inferred.Add("doseLevels");
            }
        }

        var antigens = record.TargetAntigens.ToList();
        if (antigens.Count == 0)
        {
            antigens = AntigenExtractor.FromNames(new[] { record.Title, record.OfficialTitle }
                    .Concat(record.Interventions.Select(x => x.Name))
                    .Concat(record.Interventions.SelectMany(x => x.OtherNames))
                    .Concat(arms.Select(a => a.Label)))
                .Concat(AntigenExtractor.FromProse(prose.Concat(arms.Select(a => a.Description)).Concat(record.Interventions.Select(x => x.Description))))
                .ToList();
            if (antigens.Count > 0)
            {
                inferred.Add("targetAntigens");
            }
        }

        var lymphodepletion = record.Lymphodepletion.ToList();
        if (lymphodepletion.Count == 0 && IsCellTherapy(record))
        {
            lymphodepletion = LymphodepletionExtractor.FromInterventionNames(record.Interventions.Select(x => x.Name).Concat(record.Interventions.SelectMany(x => x.OtherNames)))
                .Concat(prose.Concat(arms.Select(a => a.Description)).Concat(record.Interventions.Select(x => x.Description)).SelectMany(LymphodepletionExtractor.FromProse))
                .ToList();
            if (lymphodepletion.Count > 0)
            {
                inferred.Add("lymphodepletion");
            }
        }

        var phases = record.Phases.ToList();
        if (phases.Count == 0)
        {
            phases = FieldParsers.PhasesInProse(Join(new[] { record.Title, record.OfficialTitle, record.BriefSummary, record.DetailedDescription })).ToList();
            if (phases.Count > 0)
            {
                inferred.Add("phases");
            }
        }

        var registryId = record.RegistryId;
        if (registryId is null)
        {
            registryId = ContentDerivedId(record);
            warnings.Add("no registry id found; a content-derived id was used");
        }

        if (record.Source.Format != CtGovCsvParser.SitesFormatName)
        {
            AddMissing(warnings, record.Title is null, "no title found");
            AddMissing(warnings, record.Status is null, "no recruitment status found");
            AddMissing(warnings, phases.Count == 0, "no phase found");
            AddMissing(warnings, record.Conditions.Count == 0, "no conditions found");
            AddMissing(warnings, record.Eligibility is null || record.Eligibility.Inclusion.Count + record.Eligibility.Exclusion.Count == 0, "no eligibility criteria found");
            AddMissing(warnings, record.Enrollment is null, "no enrollment found");
            AddMissing(warnings, record.Eligibility?.Sex is null, "no eligible sex found");
            AddMissing(warnings, IsCellTherapy(record) && antigens.Count == 0, "no target antigen found");
        }

        return record with
        {
            RegistryId = registryId,
            Arms = arms,
            Routes = trialRoutes.Distinct().Order().ToList(),
            DoseLevels = doses,
            TargetAntigens = antigens.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList(),
            Lymphodepletion = lymphodepletion.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList(),
            Phases = phases.Distinct().Order().ToList(),
            Inferred = inferred.Distinct().ToList(),
            Warnings = warnings.Distinct().ToList(),
        };
    }

    /// <summary>A stable id for a record with no registry id: from its title, else its summary, else its source.</summary>
    public static string ContentDerivedId(TrialRecord record)
    {
        var basis = (record.Title ?? record.BriefSummary ?? record.DetailedDescription ?? record.Source.Sha256).ToUpperInvariant();
        var letters = new string(basis.Where(char.IsLetterOrDigit).ToArray());
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(letters));
        return "TR-" + Convert.ToHexString(hash)[..10];
    }

    private static List<Arm> InferArms(TrialRecord record)
    {
        var text = Join(new[] { record.BriefSummary, record.DetailedDescription });
        var arms = new List<Arm>();
        foreach (Match m in RouteGroup().Matches(text))
        {
            var label = TextClean.FoldOrEmpty(m.Value);
            label = char.ToUpperInvariant(label[0]) + label[1..];
            if (RouteExtractor.FromLabel(label) is { } route && arms.All(a => !a.Routes.Contains(route)))
            {
                arms.Add(new Arm { Label = label, Type = ArmType.Experimental, Routes = [route] });
            }
        }

        if (arms.Count == 0)
        {
            // "assigned to one of three parallel infusion routes — intravenous, intrapleural, or intraperitoneal".
            foreach (var sentence in text.Split(". "))
            {
                if (ParallelRoutes().IsMatch(sentence) && RouteExtractor.Extract(sentence) is { Count: > 1 } routes)
                {
                    arms.AddRange(routes.Distinct().Select(r => new Arm
                    {
                        Label = $"{RouteLabel(r)} administration",
                        Type = ArmType.Experimental,
                        Routes = [r],
                    }));
                    break;
                }
            }
        }

        return arms.Count > 1 ? arms : [];
    }

    private static string RouteLabel(Route route) => route switch
    {
        Route.IntraArterial => "Intra-arterial",
        _ => route.ToString(),
    };

    private static bool IsCellTherapy(TrialRecord record) =>
        CarMention().IsMatch(Join(new[] { record.Title, record.OfficialTitle, record.BriefSummary }.Concat(record.Interventions.Select(i => i.Name))));

    private static void AddMissing(List<string> warnings, bool missing, string message)
    {
        if (missing)
        {
            warnings.Add(message);
        }
    }

    private static string Join(IEnumerable<string?> parts) => string.Join(" \n ", parts.Where(p => !string.IsNullOrEmpty(p)));
}
