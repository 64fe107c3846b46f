using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using TrialRegistry.Ingestion.Model;
using TrialRegistry.Ingestion.Text;

namespace TrialRegistry.Ingestion.Extraction;

/// <summary>
/// Completes what a format parser read with what free text says, the same way for every format, as a few named
/// steps: arms named only in prose, each arm's routes and doses, the modality and product, the CAR's own targets,
/// the trial's routes, doses and lymphodepletion, the phase, the registry id, and the warnings. Every value found in
/// prose is listed in <c>inferred</c>. Prose is read sentence by sentence, and sentences about other trials or
/// products (<see cref="TrialContext"/>) lend this trial nothing. Eligibility text is never searched for targets,
/// doses or routes.
/// </summary>
public static partial class FreeTextReader
{
    [GeneratedRegex(@"\b(?<route>intra-?venous|intra-?peritoneal|intra-?pleural|intra-?tumou?ral|intra-?thecal|intra-?ventricular|intra-?arterial)\s+(?:infusion|injection|administration|perfusion)?\s*(?:group|arm|cohort)s?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex RouteGroup();

    [GeneratedRegex(@"\b(?:parallel|separate|separately|different|three|two|four)\b[^.]{0,60}\b(?:routes?|arms?|groups?|cohorts?)\b|\b(?:routes?|arms?|groups?|cohorts?)\b[^.]{0,60}\b(?:separately|in parallel)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex ParallelRoutes();

    /// <summary>What the steps share: the record so far, its context, its own prose, and what was inferred or warned.</summary>
    private sealed class Work(TrialRecord record)
    {
        public TrialRecord Record { get; set; } = record;
        public List<string> Inferred { get; } = [.. record.Inferred];
        public List<ParseWarning> Warnings { get; } = [.. record.Warnings];
        public TrialContext Context { get; set; } = null!;
        public IReadOnlyList<string?> Names { get; set; } = [];
        public IReadOnlyList<string> OwnSentences { get; set; } = [];
        public string OwnProse => string.Join("\n", OwnSentences);
    }

    public static TrialRecord Complete(TrialRecord draft)
    {
        var work = new Work(draft);
        ReadContext(work);
        InferArmsFromProse(work);
        ReadArmRoutesAndDoses(work);
        ReadModalityAndProducts(work);
        ReadTargets(work);
        ReadRoutes(work);
        ReadDoses(work);
        ReadLymphodepletion(work);
        ReadPhases(work);
        SetRegistryId(work);
        WarnOfGaps(work);
        var r = work.Record;
        return r with
        {
            Routes = r.Routes.Distinct().Order().ToList(),
            TargetAntigens = r.TargetAntigens.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList(),
            Lymphodepletion = r.Lymphodepletion.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList(),
            Phases = r.Phases.Distinct().Order().ToList(),
            Inferred = work.Inferred.Distinct().ToList(),
            Warnings = work.Warnings.Distinct().ToList(),
        };
    }

    /// <summary>The trial's names, its context (own ids and products), and the prose sentences that are about it.</summary>
    private static void ReadContext(Work work)
    {
        var r = work.Record;
        work.Names = new[] { r.Title, r.OfficialTitle }
            .Concat(r.Interventions.Select(i => i.Name))
            .Concat(r.Interventions.SelectMany(i => i.OtherNames))
            .Concat(r.Arms.Select(a => a.Label))
            .Where(n => !string.IsNullOrWhiteSpace(n))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        work.Context = new TrialContext(r.SecondaryIds.Prepend(r.RegistryId), work.Names);
        work.OwnSentences = work.Context.OwnSentences(Prose(r)).ToList();
    }

    private static IEnumerable<string?> Prose(TrialRecord r) =>
        new[] { r.BriefSummary, r.DetailedDescription }
            .Concat(r.Arms.Select(a => a.Description))
            .Concat(r.Interventions.Select(i => i.Description));

    /// <summary>Arms named only in prose ("Intravenous infusion group … Intraperitoneal injection group").</summary>
    private static void InferArmsFromProse(Work work)
    {
        if (work.Record.Arms.Count > 0)
        {
            return;
        }

        var text = Join([work.Record.BriefSummary, work.Record.DetailedDescription]);
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
                        Label = $"{(r == Route.IntraArterial ? "Intra-arterial" : r.ToString())} administration",
                        Type = ArmType.Experimental,
                        Routes = [r],
                    }));
                    break;
                }
            }
        }

        if (arms.Count > 1)
        {
            work.Record = work.Record with { Arms = arms };
            work.Inferred.Add("arms");
        }
    }

    /// <summary>Per arm: routes and doses from the arm's own text and its interventions' text.</summary>
    private static void ReadArmRoutesAndDoses(Work work)
    {
        var byName = work.Record.Interventions.GroupBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var arms = work.Record.Arms.ToList();
        for (var i = 0; i < arms.Count; i++)
        {
            var arm = arms[i];
            var linked = arm.Interventions.Select(n => byName.GetValueOrDefault(n)).OfType<Intervention>().ToList();
            var armText = Join(new[] { arm.Label, arm.Description }.Concat(linked.SelectMany(x => new[] { x.Name, x.Description })));
            if (arm.Routes.Count == 0 && RouteExtractor.ForProduct(armText) is { Count: > 0 } routes)
            {
                arm = arm with { Routes = routes.Distinct().ToList() };
                work.Inferred.Add("routes");
            }

            if (arm.DoseLevels.Count == 0 && DoseExtractor.Extract(OwnText(work, armText)) is { Count: > 0 } doses)
            {
                arm = arm with { DoseLevels = doses };
                work.Inferred.Add("doseLevels");
            }

            arms[i] = arm;
        }

        work.Record = work.Record with { Arms = arms };
    }

    /// <summary>What the trial gives (CAR-T, CAR-NK, TCR-T, other cells, no cells), whose cells, and which products.</summary>
    private static void ReadModalityAndProducts(Work work)
    {
        var r = work.Record;
        var modality = r.Modality ?? ModalityReader.Read(work.Names, work.OwnSentences, work.Context, r.StudyType);
        var isCells = modality is Modality.CarT or Modality.CarNk or Modality.CarM or Modality.TcrT or Modality.OtherCellTherapy;
        var products = r.Products.Count > 0 || !isCells ? r.Products : ModalityReader.ReadProducts(work.Names, work.OwnSentences, work.Context);
        var entries = products.Select(Knowledge.ProductDictionary.Find).OfType<Knowledge.ProductEntry>();
        var productType = r.ProductType ?? (isCells ? ModalityReader.ReadProductType(work.Names, work.OwnSentences, entries) : null);
        if (r.Modality is null && modality is not null)
        {
            work.Inferred.Add("modality");
        }

        if (r.ProductType is null && productType is not null)
        {
            work.Inferred.Add("productType");
        }

        if (r.Products.Count == 0 && products.Count > 0)
        {
            work.Inferred.Add("products");
        }

        work.Record = r with { Modality = modality, ProductType = productType, Products = products };
    }

    /// <summary>
    /// The CAR's (or TCR's) own targets: those its names give (title, interventions, arms) with its named products'
    /// targets; the prose's targeting phrases only when the names give none. A trial that gives no CAR or TCR cells
    /// has no targets.
    /// </summary>
    private static void ReadTargets(Work work)
    {
        var r = work.Record;
        if (r.TargetAntigens.Count > 0)
        {
            return;
        }

        if (r.Modality is Modality.NotCellTherapy or Modality.OtherCellTherapy)
        {
            return;
        }

        var targets = AntigenExtractor.FromNames(work.Names, work.Context).ToList();
        if (targets.Count == 0)
        {
            var proseProducts = work.OwnSentences.SelectMany(work.Context.ProductsIn)
                .Where(p => p.Product is { IsCellTherapy: true } && p.Modality != Modality.OtherCellTherapy)
                .SelectMany(p => p.Product!.Targets);
            targets = AntigenExtractor.FromProse(work.OwnSentences, work.Context).Concat(proseProducts).ToList();
        }

        if (targets.Count == 0 && r.Modality is Modality.CarT or Modality.CarNk or Modality.CarM or Modality.TcrT)
        {
            // Nothing says what the CAR targets, but the disease is "CD19-positive": the likely target, said to be a guess.
            targets = AntigenExtractor.ExpressedByDisease(work.Names.Concat(r.Conditions), areNames: true, work.Context)
                .Concat(AntigenExtractor.ExpressedByDisease(work.OwnSentences, areNames: false, work.Context))
                .ToList();
            if (targets.Count > 0)
            {
                work.Warnings.Add(new ParseWarning(WarningCodes.Guessed, $"no text says what the cells target; {string.Join(", ", targets.Distinct(StringComparer.OrdinalIgnoreCase))} taken from the antigen the disease expresses") { Field = "targetAntigens" });
            }
        }

        targets = targets.Where(t => AntigenVocabulary.Find(t) is not null || t.Length > 1).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (targets.Count > 0)
        {
            work.Inferred.Add("targetAntigens");
            work.Record = r with { TargetAntigens = targets };
        }
    }

    /// <summary>Trial routes: the arms' routes, else those the product's own sentences name; intravenous for cells when nothing says otherwise.</summary>
    private static void ReadRoutes(Work work)
    {
        var r = work.Record;
        var routes = r.Routes.ToList();
        if (routes.Count == 0)
        {
            routes = r.Arms.SelectMany(a => a.Routes).ToList();
            if (routes.Count == 0)
            {
                routes = work.OwnSentences.SelectMany(RouteExtractor.ForProduct).ToList();
            }

            if (routes.Count == 0 && r.Modality is Modality.CarT or Modality.CarNk or Modality.CarM or Modality.TcrT)
            {
                // CAR-T cells are infused intravenously unless the record says otherwise.
                routes.Add(Route.Intravenous);
            }

            if (routes.Count > 0)
            {
                work.Inferred.Add("routes");
            }
        }

        // An arm that names no route takes the trial's only route.
        var arms = routes.Distinct().Count() == 1
            ? r.Arms.Select(a => a.Routes.Count == 0 ? a with { Routes = [routes[0]] } : a).ToList()
            : r.Arms;
        work.Record = r with { Routes = routes, Arms = arms };
    }

    /// <summary>Trial doses: the arms' doses, the interventions', then the trial's own prose. Vector doses (TU, vg) are not cell doses.</summary>
    private static void ReadDoses(Work work)
    {
        var r = work.Record;
        if (r.DoseLevels.Count > 0 || r.Modality is Modality.NotCellTherapy)
        {
            return;
        }

        var doses = DoseExtractor.Distinct(r.Arms.SelectMany(a => a.DoseLevels)
            .Concat(r.Interventions.SelectMany(x => DoseExtractor.Extract(OwnText(work, Join([x.Name, x.Description])))))).ToList();
        if (doses.Count == 0)
        {
            doses = DoseExtractor.Extract(work.OwnProse).ToList();
        }

        if (doses.Count > 0)
        {
            work.Inferred.Add("doseLevels");
            work.Record = r with { DoseLevels = doses };
        }
    }

    /// <summary>Conditioning agents: those listed as interventions, and those the trial's own prose gives (not the ones it says are not given).</summary>
    private static void ReadLymphodepletion(Work work)
    {
        var r = work.Record;
        if (r.Lymphodepletion.Count > 0 || r.Modality is Modality.NotCellTherapy || r.Modality is null && !LymphodepletionExtractor.MentionsCells(Join(work.Names)))
        {
            return;
        }

        var agents = LymphodepletionExtractor.FromInterventionNames(r.Interventions.Select(x => x.Name).Concat(r.Interventions.SelectMany(x => x.OtherNames)))
            .Concat(LymphodepletionExtractor.FromSentences(work.OwnSentences))
            .ToList();
        if (agents.Count > 0)
        {
            work.Inferred.Add("lymphodepletion");
            work.Record = r with { Lymphodepletion = agents };
        }
    }

    private static void ReadPhases(Work work)
    {
        var r = work.Record;
        if (r.Phases.Count > 0)
        {
            return;
        }

        var phases = FieldParsers.PhasesInProse(Join(new[] { r.Title, r.OfficialTitle }.Concat(work.OwnSentences)));
        if (phases.Count > 0)
        {
            work.Inferred.Add("phases");
            work.Record = r with { Phases = phases };
        }
    }

    private static void SetRegistryId(Work work)
    {
        if (work.Record.RegistryId is null)
        {
            work.Record = work.Record with { RegistryId = ContentDerivedId(work.Record) };
            work.Warnings.Add(new ParseWarning(WarningCodes.NoRegistryId, "no registry id found; a content-derived id was used") { Field = "registryId" });
        }
    }

    /// <summary>What a registry record should have and this one lacks.</summary>
    private static void WarnOfGaps(Work work)
    {
        var r = work.Record;
        if (r.Source.Format == Formats.CtGovCsvParser.SitesFormatName)
        {
            return;
        }

        void Missing(bool missing, string field, string message)
        {
            if (missing)
            {
                work.Warnings.Add(ParseWarning.Missing(field, message));
            }
        }

        Missing(r.Title is null, "title", "no title found");
        Missing(r.Status is null, "status", "no recruitment status found");
        Missing(r.Phases.Count == 0, "phases", "no phase found");
        Missing(r.Conditions.Count == 0, "conditions", "no conditions found");
        Missing(r.Eligibility is null || r.Eligibility.Inclusion.Count + r.Eligibility.Exclusion.Count == 0, "eligibility", "no eligibility criteria found");
        Missing(r.Enrollment is null, "enrollment", "no enrollment found");
        Missing(r.Eligibility?.Sex is null, "eligibility", "no eligible sex found");
        Missing(r.Modality is null, "modality", "no modality found: the text does not say what the trial gives");
        Missing(r.Modality is Modality.CarT or Modality.CarNk or Modality.CarM or Modality.TcrT && r.TargetAntigens.Count == 0, "targetAntigens", "no target antigen found");
    }

    /// <summary>A stable id for a record with no registry id: from its title, else its summary, else its source.</summary>
    public static string ContentDerivedId(TrialRecord record)
    {
        var basis = (record.Title ?? record.BriefSummary ?? record.DetailedDescription ?? record.Source.Sha256).ToUpperInvariant();
        var letters = new string(basis.Where(char.IsLetterOrDigit).ToArray());
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(letters));
        return "TR-" + Convert.ToHexString(hash)[..10];
    }

    /// <summary>The sentences of a text that are about this trial, rejoined.</summary>
    private static string OwnText(Work work, string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : string.Join("\n", work.Context.OwnSentences([text]));

    private static string Join(IEnumerable<string?> parts) => string.Join(" \n ", parts.Where(p => !string.IsNullOrEmpty(p)));
}
