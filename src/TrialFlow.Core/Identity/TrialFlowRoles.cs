namespace TrialFlow.Core.Identity;

/// <summary>The roles of a clinical-trial imaging platform, and what each may see.</summary>
public static class TrialFlowRoles
{
    public const string Administrator = nameof(Administrator);
    public const string StudyManager = nameof(StudyManager);
    public const string QcLead = nameof(QcLead);
    public const string DataManager = nameof(DataManager);
    public const string SiteUser = nameof(SiteUser);
    public const string Reader = nameof(Reader);
    public const string Adjudicator = nameof(Adjudicator);
    public const string Monitor = nameof(Monitor);
    public const string Inspector = nameof(Inspector);

    /// <summary>
    /// Administers the pseudonym map (UID map, date offsets, patient links), which is kept apart from the imaging data
    /// (GDPR Art. 4(5)). Not trial-wide: holding it gives no access to site or subject records.
    /// </summary>
    public const string PseudonymCustodian = nameof(PseudonymCustodian);

    /// <summary>
    /// The trial's EDC as a service account (bearer token): pushes enrolments into the subject and visit registry, at any
    /// site, and nothing else — it reads no trial records.
    /// </summary>
    public const string EdcService = nameof(EdcService);

    public static IReadOnlyList<string> All { get; } =
        [Administrator, StudyManager, QcLead, DataManager, SiteUser, Reader, Adjudicator, Monitor, Inspector, PseudonymCustodian, EdcService];

    /// <summary>Roles that see every site of the trial.</summary>
    public static IReadOnlyList<string> TrialWide { get; } = [Administrator, StudyManager, QcLead, DataManager, Inspector, EdcService];

    /// <summary>Roles that see only the sites they are members of (site staff; monitors for the sites they visit).</summary>
    public static IReadOnlyList<string> SiteScoped { get; } = [SiteUser, Monitor];

    /// <summary>
    /// Readers and adjudicators are blinded: they reach images only through their read tasks, never
    /// through site or subject records.
    /// </summary>
    public static IReadOnlyList<string> Blinded { get; } = [Reader, Adjudicator];

    /// <summary>Roles that may change trial records (an Inspector reads only).</summary>
    public static IReadOnlyList<string> Writers { get; } = [Administrator, StudyManager, DataManager, SiteUser];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
