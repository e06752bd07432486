using TrialFlow.Qc.Domain;
using TrialFlow.Qc.Service;

namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>
/// Runs the active QC ruleset on the study with its trial's protocol and routes on the outcome. The QC service saves
/// the result, its findings, the study's status and the audit event together, once per ruleset and protocol version:
/// a re-run after a crash gets the result saved the first time, so the step is idempotent.
/// </summary>
[Activity("Quality", "Runs the QC ruleset on the study; 'passed' includes passed with minor findings, 'failed' any major or critical finding.",
    Outcomes = ["passed", "failed"])]
public sealed class RunQc(QcService qc) : Activity
{
    public override async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var result = await qc.RunForWorkflowAsync(context.StudyId, context.AuditReason, cancellationToken);
        return ActivityResult.Outcome(result.Outcome == QcOutcome.Failed ? "failed" : "passed");
    }
}
