using TrialFlow.Qc.Domain;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;

namespace TrialFlow.Workflows.Activities.Builtin;

/// <summary>
/// Raises a query about the study from its latest QC findings, with the title and text of a template in
/// <c>templates/queries</c>. The query carries this step's idempotency key, so a re-run after a crash finds it instead of
/// raising a second one; a later pass of a loop raises a new query. Follow it with <see cref="WaitForQueryResolution"/>.
/// </summary>
[Activity("Queries", "Raises a query to the site from the study's QC findings, with a text from a template in templates/queries.", Outcomes = ["raised"])]
public sealed class RaiseQuery(WorkflowDatabase database, QueryService queries, QueryTemplates templates) : Activity
{
    [Input("The template: a file name in templates/queries without .txt.", Required = true, Default = "\"qc-failure\"")]
    public string Template { get; set; } = "qc-failure";

    [Input("The role that answers: SiteUser (the site), DataManager, QcLead or StudyManager.", Default = "\"SiteUser\"")]
    public string AddressedTo { get; set; } = "SiteUser";

    public override async Task<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var template = templates.Get(Template);
        await using var db = database.Context();
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == context.StudyId, cancellationToken);
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == study.SiteId, cancellationToken);
        var subject = await db.Subjects.AsNoTracking().Where(s => s.Id == study.SubjectId).Select(s => s.SubjectKey).SingleOrDefaultAsync(cancellationToken);
        var visit = study.VisitId is { } visitId
            ? await db.Visits.AsNoTracking().Where(v => v.Id == visitId).Join(db.VisitDefinitions, v => v.VisitDefinitionId, d => d.Id, (_, d) => d.Name).SingleOrDefaultAsync(cancellationToken)
            : null;
        var qc = await db.QcResults.AsNoTracking().Include(r => r.Findings).Where(r => r.StudyId == study.Id)
            .OrderByDescending(r => r.RanAt).FirstOrDefaultAsync(cancellationToken);
        var findings = qc?.Findings.OrderByDescending(f => f.Severity).Select(f => new QueryFindingRef(f.Id, f.RuleId, f.Severity.ToString(), f.Message, f.SeriesInstanceUid)).ToList() ?? [];

        var (title, text) = template.Render(new Dictionary<string, string?>
        {
            ["site.number"] = site.SiteNumber,
            ["site.name"] = site.Name,
            ["subject"] = subject,
            ["visit"] = visit,
            ["study.uid"] = study.StudyInstanceUid,
            ["study.description"] = study.Description,
            ["study.date"] = study.StudyDate?.ToString("yyyy-MM-dd"),
            ["study.modalities"] = study.Modalities.Replace('\\', '/'),
            ["findings"] = findings.Count == 0 ? "(no findings recorded)" : QueryTemplate.FindingsList(findings),
            ["qc.ruleset"] = qc is null ? null : $"{qc.RulesetName} v{qc.RulesetNumber}",
        });
        var draft = new QueryDraft(template.Category, title.Length > 200 ? title[..200] : title, text)
        {
            Priority = template.Priority,
            AddressedTo = AddressedTo,
            SubjectId = study.SubjectId,
            VisitId = study.VisitId,
            StudyId = study.Id,
            QcResultId = qc?.Id,
            Findings = findings,
            WorkflowKey = context.IdempotencyKey,
            WorkflowInstanceId = context.InstanceId,
        };
        using (await database.WriteLockAsync(cancellationToken))
            await queries.RaiseAsync(db, study.SiteId, draft, cancellationToken);
        return ActivityResult.Outcome("raised");
    }
}
