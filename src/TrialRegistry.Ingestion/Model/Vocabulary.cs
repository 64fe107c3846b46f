namespace TrialRegistry.Ingestion.Model;

// Enum members are PascalCase in C#; on the wire and in the database they use ClinicalTrials.gov's
// upper snake case names (EarlyPhase1 -> EARLY_PHASE1), through VocabularyNames.

public enum TrialStatus
{
    NotYetRecruiting,
    Recruiting,
    EnrollingByInvitation,
    ActiveNotRecruiting,
    Suspended,
    Terminated,
    Completed,
    Withdrawn,
    Unknown,
    Available,
    NoLongerAvailable,
    TemporarilyNotAvailable,
    ApprovedForMarketing,
    WithheldFromPublic,
}

public enum TrialPhase
{
    EarlyPhase1,
    Phase1,
    Phase2,
    Phase3,
    Phase4,
    Na,
}

public enum StudyType
{
    Interventional,
    Observational,
    ExpandedAccess,
}

public enum EnrollmentType
{
    Estimated,
    Actual,
}

public enum Route
{
    Intravenous,
    Intraperitoneal,
    Intrapleural,
    Intratumoral,
    Intrathecal,
    Intraventricular,
    IntraArterial,
    Other,
}

public enum DoseUnit
{
    CellsPerKg,
    Cells,
    CellsPerM2,
}

public enum Sex
{
    All,
    Female,
    Male,
}

public enum SponsorRole
{
    Lead,
    Collaborator,
}

public enum OutcomeKind
{
    Primary,
    Secondary,
    Other,
}

public enum ArmType
{
    Experimental,
    ActiveComparator,
    PlaceboComparator,
    ShamComparator,
    NoIntervention,
    Other,
}

public enum InterventionType
{
    Biological,
    Drug,
    Device,
    Procedure,
    Radiation,
    Behavioral,
    Genetic,
    DietarySupplement,
    CombinationProduct,
    DiagnosticTest,
    Other,
}

public enum CriterionKind
{
    Inclusion,
    Exclusion,
}

/// <summary>What a trial gives its patients (parse contract <c>modality</c>).</summary>
public enum Modality
{
    CarT,
    CarNk,
    CarM,
    TcrT,
    OtherCellTherapy,
    NotCellTherapy,
}

/// <summary>Whose cells the product is made from, or whether it is made inside the patient.</summary>
public enum ProductType
{
    Autologous,
    Allogeneic,
    InVivo,
}

/// <summary>
/// How much of a trial the registry holds. A record from a sites list or another partial source (a title and
/// status, sites, no design) is <see cref="Partial"/>: shown as such, ranked below full records, and filled in
/// when a fuller source arrives.
/// </summary>
public enum Completeness
{
    Full,
    Partial,
}
