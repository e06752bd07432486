using TrialFlow.Core.Trials;

namespace TrialFlow.Qc.Domain;

/// <summary>How a study came out of QC.</summary>
public enum QcOutcome
{
    Passed,
    PassedWithFindings,

    /// <summary>At least one major or critical finding: the site is queried, the study may need a rescan.</summary>
    Failed,
}

public enum QcSeverity
{
    Info,
    Minor,
    Major,
    Critical,
}

/// <summary>
/// The result of running one ruleset version against one study, with the protocol requirements it used. There is
/// one result per study, ruleset version, protocol version and set of images; running QC again after a change (a new
/// ruleset, a rescan or missing series received into the study) adds a result.
/// </summary>
public sealed class QcResult : ISiteOwned
{
    private readonly List<QcFinding> _findings = [];

    private QcResult() { }

    public QcResult(Guid studyId, Guid siteId, QcRulesetVersion ruleset, string protocolName, string protocolSha256, string imagesSha256, DateTime ranAt, string trigger)
    {
        Id = Guid.NewGuid();
        StudyId = studyId;
        SiteId = siteId;
        RulesetVersionId = ruleset.Id;
        RulesetName = ruleset.RulesetName;
        RulesetNumber = ruleset.Number;
        RulesetSha256 = ruleset.ContentSha256;
        ProtocolName = protocolName;
        ProtocolSha256 = protocolSha256;
        ImagesSha256 = imagesSha256;
        RanAt = ranAt;
        Trigger = trigger;
    }

    public Guid Id { get; private set; }

    public Guid StudyId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid RulesetVersionId { get; private set; }

    public string RulesetName { get; private set; } = "";

    public int RulesetNumber { get; private set; }

    public string RulesetSha256 { get; private set; } = "";

    public string ProtocolName { get; private set; } = "";

    public string ProtocolSha256 { get; private set; } = "";

    /// <summary>
    /// SHA-256 over the archive hashes of the images QC read, in order: images received into the study later (an answer
    /// to a query) make a different set, so QC runs again instead of returning this result.
    /// </summary>
    public string ImagesSha256 { get; private set; } = "";

    public DateTime RanAt { get; private set; }

    /// <summary>"intake" when QC ran because the study completed, "workflow" when a workflow step ran it; "rerun" when someone asked for it.</summary>
    public string Trigger { get; private set; } = "";

    public QcOutcome Outcome { get; private set; }

    public IReadOnlyList<QcFinding> Findings => _findings;

    public void AddFinding(string ruleId, QcSeverity severity, string message, string? seriesInstanceUid)
    {
        _findings.Add(new QcFinding(Id, SiteId, ruleId, severity, message, seriesInstanceUid));
        Outcome = OutcomeOf(_findings.Select(f => f.Severity));
    }

    public static QcOutcome OutcomeOf(IEnumerable<QcSeverity> severities)
    {
        var worst = severities.DefaultIfEmpty().Max();
        var any = severities.Any();
        return !any ? QcOutcome.Passed : worst >= QcSeverity.Major ? QcOutcome.Failed : QcOutcome.PassedWithFindings;
    }
}

/// <summary>One rule that fired for a study: what it says, how severe, and which series when it concerns one.</summary>
public sealed class QcFinding : ISiteOwned
{
    private QcFinding() { }

    internal QcFinding(Guid resultId, Guid siteId, string ruleId, QcSeverity severity, string message, string? seriesInstanceUid)
    {
        Id = Guid.NewGuid();
        ResultId = resultId;
        SiteId = siteId;
        RuleId = ruleId;
        Severity = severity;
        Message = message.Length > 1024 ? message[..1024] : message;
        SeriesInstanceUid = seriesInstanceUid;
    }

    public Guid Id { get; private set; }

    public Guid ResultId { get; private set; }

    public Guid SiteId { get; private set; }

    public string RuleId { get; private set; } = "";

    public QcSeverity Severity { get; private set; }

    public string Message { get; private set; } = "";

    public string? SeriesInstanceUid { get; private set; }
}
