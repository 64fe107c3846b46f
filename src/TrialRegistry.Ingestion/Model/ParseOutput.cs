using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialRegistry.Ingestion.Model;

/// <summary>
/// The parse contract (shared/docs/parse-output.md): the exact JSON shape, property order and vocabulary names
/// that the CLI's <c>parse</c> prints and <c>POST /api/v1/documents/preview</c> returns. Mapped explicitly from
/// <see cref="TrialRecord"/>; fields the contract does not name (official title, contacts, criteria sub-items as
/// a structure) stay in the stored record.
/// </summary>
public sealed record ParseOutput(
    ParseOutput.SourceOut Source,
    string? RegistryId,
    IReadOnlyList<string> SecondaryIds,
    string? Title,
    string? BriefSummary,
    string? Status,
    IReadOnlyList<string> Phases,
    string? StudyType,
    ParseOutput.EnrollmentOut? Enrollment,
    string? StartDate,
    string? CompletionDate,
    string? LastUpdated,
    IReadOnlyList<string> Conditions,
    IReadOnlyList<string> TargetAntigens,
    string? Modality,
    string? ProductType,
    IReadOnlyList<string> Products,
    IReadOnlyList<string> Routes,
    IReadOnlyList<string> Lymphodepletion,
    IReadOnlyList<ParseOutput.DoseOut> DoseLevels,
    IReadOnlyList<ParseOutput.ArmOut> Arms,
    IReadOnlyList<ParseOutput.InterventionOut> Interventions,
    ParseOutput.EligibilityOut? Eligibility,
    IReadOnlyList<ParseOutput.SponsorOut> Sponsors,
    IReadOnlyList<ParseOutput.LocationOut> Locations,
    IReadOnlyList<ParseOutput.OutcomeOut> Outcomes,
    IReadOnlyList<string> Inferred,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ParseWarning> WarningDetails)
{
    public sealed record SourceOut(string? FileName, string Format, string Sha256);
    public sealed record EnrollmentOut(int? Count, string? Type);
    public sealed record DoseOut(string Text, double Value, string Unit);
    public sealed record ArmOut(string Label, string? Type, string? Description, IReadOnlyList<string> Routes, IReadOnlyList<string> Interventions, IReadOnlyList<DoseOut> DoseLevels);
    public sealed record InterventionOut(string Name, string? Type, string? Description, IReadOnlyList<string> OtherNames);
    public sealed record EligibilityOut(int? MinAgeYears, int? MaxAgeYears, string? Sex, bool? HealthyVolunteers, IReadOnlyList<string> Inclusion, IReadOnlyList<string> Exclusion);
    public sealed record SponsorOut(string Name, string Role, string? Class);
    public sealed record LocationOut(string? Facility, string? City, string? State, string? Country, string? Status);
    public sealed record OutcomeOut(string Kind, string Measure, string? TimeFrame);

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ParseOutput From(TrialRecord r) => new(
        new SourceOut(r.Source.FileName, r.Source.Format, r.Source.Sha256),
        r.RegistryId,
        r.SecondaryIds,
        r.Title,
        r.BriefSummary,
        VocabularyNames.ToName(r.Status),
        r.Phases.Select(p => VocabularyNames.ToName(p)).ToList(),
        VocabularyNames.ToName(r.StudyType),
        r.Enrollment is { } e ? new EnrollmentOut(e.Count, VocabularyNames.ToName(e.Type)) : null,
        r.StartDate,
        r.CompletionDate,
        r.LastUpdated,
        r.Conditions,
        r.TargetAntigens,
        VocabularyNames.ToName(r.Modality),
        VocabularyNames.ToName(r.ProductType),
        r.Products,
        r.Routes.Select(x => VocabularyNames.ToName(x)).ToList(),
        r.Lymphodepletion,
        r.DoseLevels.Select(Dose).ToList(),
        r.Arms.Select(a => new ArmOut(a.Label, VocabularyNames.ToName(a.Type), a.Description,
            a.Routes.Select(x => VocabularyNames.ToName(x)).ToList(), a.Interventions, a.DoseLevels.Select(Dose).ToList())).ToList(),
        r.Interventions.Select(i => new InterventionOut(i.Name, VocabularyNames.ToName(i.Type), i.Description, i.OtherNames)).ToList(),
        r.Eligibility is { } el
            ? new EligibilityOut(el.MinAgeYears, el.MaxAgeYears, VocabularyNames.ToName(el.Sex), el.HealthyVolunteers,
                el.Inclusion.Select(c => c.Flattened).ToList(), el.Exclusion.Select(c => c.Flattened).ToList())
            : null,
        r.Sponsors.Select(s => new SponsorOut(s.Name, VocabularyNames.ToName(s.Role), s.Class)).ToList(),
        r.Locations.Select(l => new LocationOut(l.Facility, l.City, l.State, l.Country, VocabularyNames.ToName(l.Status))).ToList(),
        r.Outcomes.Select(o => new OutcomeOut(VocabularyNames.ToName(o.Kind), o.Measure, o.TimeFrame)).ToList(),
        r.Inferred,
        r.Warnings.Select(w => w.Message).ToList(),
        r.Warnings);

    private static DoseOut Dose(DoseLevel d) => new(d.Text, d.Value, VocabularyNames.ToName(d.Unit));

    /// <summary>One object for one record, else an array; <paramref name="array"/> asks for an array whatever the count.</summary>
    public static string ToJson(IReadOnlyList<TrialRecord> records, bool array = false) => records.Count == 1 && !array
        ? JsonSerializer.Serialize(From(records[0]), JsonOptions)
        : JsonSerializer.Serialize(records.Select(From).ToList(), JsonOptions);
}
