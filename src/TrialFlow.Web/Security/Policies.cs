using TrialFlow.Core.Identity;

namespace TrialFlow.Web.Security;

/// <summary>The authorization policies every endpoint and page names. Site scoping comes on top, in the data layer.</summary>
public static class Policies
{
    /// <summary>Reading trial, site and subject records: everyone but the blinded readers.</summary>
    public const string TrialRead = nameof(TrialRead);

    /// <summary>Changing trial records: never an Inspector, never a blinded reader.</summary>
    public const string TrialWrite = nameof(TrialWrite);

    /// <summary>Reading and verifying the audit trail.</summary>
    public const string AuditRead = nameof(AuditRead);

    /// <summary>Sending images into intake (uploads, STOW-RS): site staff, and the CRO on a site's behalf.</summary>
    public const string Upload = nameof(Upload);

    /// <summary>Deciding on quarantined objects (assign subject, reject).</summary>
    public const string ResolveQuarantine = nameof(ResolveQuarantine);

    /// <summary>Editing and publishing the QC ruleset, dry runs and explicit QC re-runs: QC leads and administrators.</summary>
    public const string QcEdit = nameof(QcEdit);
    /// <summary>Designing and publishing study workflows.</summary>
    public const string DesignWorkflows = nameof(DesignWorkflows);

    /// <summary>Downloading subject dossiers (PDF) and site dossier zips: inspectors, monitors (their sites), study managers, administrators.</summary>
    public const string DossierDownload = nameof(DossierDownload);

    /// <summary>Reading queries, their aging and metrics: everyone who reads the trial (Inspectors too), never a blinded reader.</summary>
    public const string QueryRead = nameof(QueryRead);

    /// <summary>Taking part in queries (answering): site staff, monitors and the CRO/sponsor roles; never an Inspector.</summary>
    public const string QueryWork = nameof(QueryWork);

    /// <summary>Raising queries and deciding on answers (resolve, reopen, close, cancel): CRO and sponsor roles and monitors.</summary>
    public const string QueryRaise = nameof(QueryRaise);

    /// <summary>Reading in the blinded central review: a reader's own tasks only (enforced by the review services).</summary>
    public const string Reading = nameof(Reading);

    /// <summary>Adjudicating disagreements between readers: an adjudicator's own adjudications only.</summary>
    public const string Adjudicate = nameof(Adjudicate);

    /// <summary>Overseeing the review unblinded (tasks and readers, pool, agreement metrics): study managers, administrators, inspectors.</summary>
    public const string ReviewOversight = nameof(ReviewOversight);

    /// <summary>Managing the review: the reader pool and reassignments with a reason.</summary>
    public const string ReviewManage = nameof(ReviewManage);

    /// <summary>Importing ODM/CSV registry files from the EDC: data managers and administrators.</summary>
    public const string EdcImport = nameof(EdcImport);

    /// <summary>Pushing enrolments into the registry: data managers, administrators and the EDC's service account.</summary>
    public const string EdcPush = nameof(EdcPush);

    /// <summary>Reading EDC, SDTM and FHIR exports and the reconciliation list; Inspectors read them too.</summary>
    public const string EdcExport = nameof(EdcExport);

    /// <summary>Sending a failed EDC export again (resolving its incident): data managers, study managers, administrators.</summary>
    public const string EdcResend = nameof(EdcResend);

    /// <summary>Setting up sites: onboarding, the activation checklist, lifecycle changes (Active, Suspended, Closed): study managers, administrators.</summary>
    public const string SiteSetup = nameof(SiteSetup);

    /// <summary>
    /// Retrospective pulls from a site's PACS and the PACS connection they use: data managers, study managers, administrators
    /// (within their sites and trials).
    /// </summary>
    public const string RetrospectivePull = nameof(RetrospectivePull);

    /// <summary>Managing users, roles and site memberships.</summary>
    public const string Administer = nameof(Administer);

    // The pseudonym custodian administers the re-identification map and sees no trial records.
    internal static readonly string[] TrialReaders = TrialFlowRoles.All.Except(TrialFlowRoles.Blinded).Except([TrialFlowRoles.PseudonymCustodian, TrialFlowRoles.EdcService]).ToArray();

    internal static readonly string[] EdcImporters = [TrialFlowRoles.DataManager, TrialFlowRoles.Administrator];

    internal static readonly string[] EdcPushers = [TrialFlowRoles.DataManager, TrialFlowRoles.Administrator, TrialFlowRoles.EdcService];

    internal static readonly string[] EdcExporters =
        [TrialFlowRoles.DataManager, TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator, TrialFlowRoles.Inspector];

    internal static readonly string[] Uploaders =
        [TrialFlowRoles.SiteUser, TrialFlowRoles.DataManager, TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator];

    internal static readonly string[] DossierDownloaders =
        [TrialFlowRoles.Inspector, TrialFlowRoles.Monitor, TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator];

    internal static readonly string[] QueryWorkers = TrialReaders.Except([TrialFlowRoles.Inspector]).ToArray();

    internal static readonly string[] AuditReaders =
        [TrialFlowRoles.Administrator, TrialFlowRoles.StudyManager, TrialFlowRoles.DataManager, TrialFlowRoles.Inspector];
}
