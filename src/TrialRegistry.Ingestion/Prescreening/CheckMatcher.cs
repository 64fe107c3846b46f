using System.Globalization;
using TrialRegistry.Ingestion.Model;

namespace TrialRegistry.Ingestion.Prescreening;

/// <summary>How a patient stands against one check.</summary>
public enum CheckOutcome
{
    Met,
    NotMet,
    /// <summary>The profile does not say, or the criterion makes an exception the check does not hold: to confirm.</summary>
    Unknown,
}

/// <summary>One check of a trial against a patient, with the criterion it quotes and what it asks for in words.</summary>
public sealed record CheckResult(EligibilityCheck Check, CheckOutcome Outcome, string Requirement);

/// <summary>A trial's checks against one patient: how many are met, not met and unknown.</summary>
public sealed record TrialMatch(IReadOnlyList<CheckResult> Results)
{
    public int Met => Results.Count(r => r.Outcome == CheckOutcome.Met);
    public int NotMet => Results.Count(r => r.Outcome == CheckOutcome.NotMet);
    public int Unknown => Results.Count(r => r.Outcome == CheckOutcome.Unknown);
}

/// <summary>
/// Matches a patient against a trial's structured checks. A check the profile cannot answer is unknown; a check the
/// parser marked conditional (the criterion makes an exception) is never "not met", only "to confirm"; checks one
/// criterion offers as alternatives count as one, met when any is.
/// </summary>
public static class CheckMatcher
{
    public static TrialMatch Match(IReadOnlyList<EligibilityCheck> checks, PatientProfile patient)
    {
        var results = new List<CheckResult>(checks.Count);
        // Alternatives of one criterion form one group; every other check is a group of its own.
        var groups = checks.Select((c, i) => (Check: c, Key: c.Either ? AlternativesOf(c) : (CriterionKind.Inclusion, $"#{i}"))).GroupBy(x => x.Key, x => x.Check);
        foreach (var group in groups)
        {
            var members = group.ToList();
            var outcomes = members.Select(c => Outcome(c, patient)).ToList();
            if (members.Count > 1)
            {
                results.Add(new CheckResult(members[0], Either(outcomes), string.Join(" or ", members.Select(Describe))));
            }
            else
            {
                results.Add(new CheckResult(members[0], outcomes[0], Describe(members[0])));
            }
        }

        return new TrialMatch(results);
    }

    /// <summary>
    /// How many of a trial's checks (alternatives of one criterion counted once, as <see cref="Match"/> counts them) are
    /// met, not met and unknown, without describing them: what ranking every candidate needs.
    /// </summary>
    public static (int Met, int NotMet, int Unknown) Count(IReadOnlyList<EligibilityCheck> checks, PatientProfile patient)
    {
        int met = 0, notMet = 0, unknown = 0;
        List<(EligibilityCheck Check, CheckOutcome Outcome)>? alternatives = null;
        foreach (var check in checks)
        {
            var outcome = Outcome(check, patient);
            if (check.Either)
            {
                (alternatives ??= []).Add((check, outcome));
                continue;
            }

            Add(outcome);
        }

        if (alternatives is not null)
        {
            foreach (var group in alternatives.GroupBy(a => AlternativesOf(a.Check)))
            {
                Add(Either([.. group.Select(g => g.Outcome)]));
            }
        }

        return (met, notMet, unknown);

        void Add(CheckOutcome outcome)
        {
            switch (outcome)
            {
                case CheckOutcome.Met: met++; break;
                case CheckOutcome.NotMet: notMet++; break;
                default: unknown++; break;
            }
        }
    }

    /// <summary>Which alternatives a check belongs with: those its own criterion offers.</summary>
    private static (CriterionKind Side, string Criterion) AlternativesOf(EligibilityCheck check) => (check.Side, check.Criterion);

    /// <summary>Alternatives together: met when any is, not met when all are not, else unknown.</summary>
    private static CheckOutcome Either(IReadOnlyList<CheckOutcome> outcomes) =>
        outcomes.Contains(CheckOutcome.Met) ? CheckOutcome.Met
        : outcomes.All(o => o == CheckOutcome.NotMet) ? CheckOutcome.NotMet
        : CheckOutcome.Unknown;

    public static CheckOutcome Outcome(EligibilityCheck check, PatientProfile p)
    {
        var outcome = check.Kind switch
        {
            CheckKind.Age => Within(p.Age, check.Min, check.Max),
            CheckKind.Sex => p.Sex is null ? CheckOutcome.Unknown : Bool(string.Equals(p.Sex, check.Sex, StringComparison.OrdinalIgnoreCase)),
            CheckKind.Ecog => Within(p.Ecog, null, check.Max),
            CheckKind.Karnofsky => Within(p.Karnofsky, check.Min, null),
            CheckKind.Lansky => Within(p.Lansky, check.Min, null),
            CheckKind.Lab => Lab(check, p),
            CheckKind.PriorLines => Within(p.PriorLines, check.Min, check.Max),
            CheckKind.PriorCarT => Stance(check.Stance, p.PriorCarT),
            CheckKind.PriorAntigenTherapy => Stance(check.Stance, check.Antigen is null ? null : p.HadTherapyAgainst(check.Antigen)),
            CheckKind.PriorTransplant => Transplant(check, p),
            CheckKind.DiseaseState => Stance(check.Stance, check.State switch
            {
                "measurable" => p.MeasurableDisease,
                "relapsed" => p.Relapsed,
                "refractory" => p.Refractory,
                _ => p.Relapsed == true || p.Refractory == true ? true : p.Relapsed == false && p.Refractory == false ? false : null,
            }),
            CheckKind.Cns => Stance(check.Stance, p.CnsInvolvement),
            CheckKind.Infection => Stance(check.Stance, check.Agent switch { "HIV" => p.Hiv, "HBV" => p.Hbv, "HCV" => p.Hcv, _ => null }),
            CheckKind.Pregnancy => Stance(check.Stance, string.Equals(p.Sex, "MALE", StringComparison.OrdinalIgnoreCase) ? false : p.Pregnant),
            CheckKind.AntigenExpression => Stance(check.Stance, check.Antigen is null ? null : p.Expresses(check.Antigen)),
            _ => CheckOutcome.Unknown,
        };
        return outcome == CheckOutcome.NotMet && check.Conditional ? CheckOutcome.Unknown : outcome;
    }

    private static CheckOutcome Bool(bool met) => met ? CheckOutcome.Met : CheckOutcome.NotMet;

    private static CheckOutcome Within(double? value, double? min, double? max) =>
        value is not { } v ? CheckOutcome.Unknown : Bool((min is null || v >= min) && (max is null || v <= max));

    private static CheckOutcome Stance(CheckStance? stance, bool? has) => stance switch
    {
        CheckStance.Allowed => CheckOutcome.Met,
        _ when has is null => CheckOutcome.Unknown,
        CheckStance.Required => Bool(has.Value),
        CheckStance.Excluded => Bool(!has.Value),
        _ => CheckOutcome.Unknown,
    };

    private static CheckOutcome Lab(EligibilityCheck check, PatientProfile p)
    {
        if (check.Analyte is null || check.Unit is null || check.Value is not { } limit || p.Lab(check.Analyte, check.Unit) is not { } value)
        {
            return CheckOutcome.Unknown;
        }

        return Bool(check.Op switch
        {
            ">=" => value >= limit,
            ">" => value > limit,
            "<=" => value <= limit,
            "<" => value < limit,
            _ => false,
        });
    }

    private static CheckOutcome Transplant(EligibilityCheck check, PatientProfile p)
    {
        bool? had = check.TransplantType switch
        {
            "allogeneic" => p.PriorAllogeneicTransplant,
            "autologous" => p.PriorAutologousTransplant,
            _ => p.PriorAllogeneicTransplant == true || p.PriorAutologousTransplant == true ? true
                : p.PriorAllogeneicTransplant == false && p.PriorAutologousTransplant == false ? false : null,
        };
        if (check.Stance == CheckStance.Excluded && check.WithinDays is { } days && had == true)
        {
            // Excluded only within a time: the time since the transplant decides.
            return p.MonthsSinceTransplant is { } months ? Bool(months * 30 >= days) : CheckOutcome.Unknown;
        }

        return Stance(check.Stance, had);
    }

    /// <summary>What a check asks for, in a clinician's words ("Platelets ≥ 50 × 10⁹/L", "No prior CAR-T").</summary>
    public static string Describe(EligibilityCheck c)
    {
        static string N(double? v) => v?.ToString("0.##", CultureInfo.InvariantCulture) ?? "";
        static string Op(string? op) => op switch { ">=" => "≥", "<=" => "≤", _ => op ?? "" };
        static string Unit(string? unit) => unit switch
        {
            LabUnits.PerNanoLitre => " × 10⁹/L",
            LabUnits.TimesUpperLimit => " × ULN",
            LabUnits.Percent => "%",
            null => "",
            _ => " " + unit,
        };
        string Stance(string subject) => c.Stance switch
        {
            CheckStance.Required => $"{subject}: required",
            CheckStance.Excluded => $"{subject}: excluded",
            _ => $"{subject}: allowed",
        };
        var text = c.Kind switch
        {
            CheckKind.Age => c.Min is not null && c.Max is not null ? $"Age {N(c.Min)}–{N(c.Max)} years" : c.Min is not null ? $"Age ≥ {N(c.Min)} years" : $"Age ≤ {N(c.Max)} years",
            CheckKind.Sex => $"Sex: {c.Sex}",
            CheckKind.Ecog => $"ECOG ≤ {N(c.Max)}",
            CheckKind.Karnofsky => $"Karnofsky ≥ {N(c.Min)}%",
            CheckKind.Lansky => $"Lansky ≥ {N(c.Min)}%",
            CheckKind.Lab => $"{(c.Analyte is not null && LabUnits.Names.TryGetValue(c.Analyte, out var name) ? name : c.Analyte)} {Op(c.Op)} {N(c.Value)}{Unit(c.Unit)}",
            CheckKind.PriorLines => c.Min is not null && c.Max is not null && c.Min.Equals(c.Max) ? $"Exactly {N(c.Min)} prior lines" : c.Min is not null && c.Max is not null ? $"{N(c.Min)}–{N(c.Max)} prior lines" : c.Min is not null ? $"At least {N(c.Min)} prior lines" : $"At most {N(c.Max)} prior lines",
            CheckKind.PriorCarT => Stance("Prior CAR-T"),
            CheckKind.PriorAntigenTherapy => Stance($"Prior {c.Antigen}-directed therapy"),
            CheckKind.PriorTransplant => Stance($"Prior {(c.TransplantType == "any" ? "stem-cell" : c.TransplantType)} transplant{(c.WithinDays is { } d ? $" within {d} days" : "")}"),
            CheckKind.DiseaseState => c.State == "measurable" ? "Measurable disease: required" : $"{c.State switch { "relapsed" => "Relapsed", "refractory" => "Refractory", _ => "Relapsed or refractory" }} disease: required",
            CheckKind.Cns => Stance("CNS involvement"),
            CheckKind.Infection => Stance(c.Agent ?? "Infection"),
            CheckKind.Pregnancy => Stance("Pregnancy or breastfeeding"),
            CheckKind.AntigenExpression => Stance($"{c.Antigen} expression"),
            _ => c.Kind.ToString(),
        };
        return c.Conditional ? text + " (with exceptions)" : text;
    }
}
