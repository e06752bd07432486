using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Events;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Persistence;
using WorkflowCore.Interface;

namespace TrialFlow.Workflows.Runtime;

/// <summary>
/// The StudyCompleted trigger: starts one instance per completed study of a trial (whatever its status now) on the latest
/// published version of each of the trial's workflows that begins with the <see cref="Activities.Builtin.StudyCompleted"/> activity. Live, a
/// <see cref="StudyCompleted"/> event starts the study's instances; <see cref="StartPendingAsync"/> catches up the studies
/// that completed before a workflow was published (or before this version of TrialFlow wrote events). Exactly once: an
/// instance's study and definition are unique together in the database (and its reference <c>definition:study</c>), so
/// a second start (another node, a redelivered event) is refused by the database, not by timing.
/// </summary>
public sealed class StudyWorkflowStarter(
    WorkflowStore store,
    WorkflowDatabase database,
    IWorkflowRegistry registry,
    IWorkflowController controller,
    ILogger<StudyWorkflowStarter> logger)
{
    public static string ReferenceOf(string definitionId, Guid studyId) => $"{definitionId}:{studyId}";

    /// <summary>Starts the instances <paramref name="completed"/> is due on each of its trial's workflows; returns how many.</summary>
    public async Task<int> StartForStudyAsync(StudyCompleted completed, CancellationToken cancellationToken)
    {
        await using var wf = store.Context();
        var started = 0;
        foreach (var binding in await BindingsAsync(wf, completed.TrialId, cancellationToken))
        {
            if (await wf.Instances.AsNoTracking().AnyAsync(i => i.DefinitionId == binding.DefinitionId && i.StudyId == completed.StudyId, cancellationToken))
                continue;
            if (await TryStartAsync(binding, completed.StudyId))
                started++;
        }
        return started;
    }

    /// <summary>Starts every instance that is due (catch-up); returns how many were started.</summary>
    public async Task<int> StartPendingAsync(CancellationToken cancellationToken)
    {
        await using var wf = store.Context();
        var started = 0;
        foreach (var binding in await BindingsAsync(wf, trialId: null, cancellationToken))
        {
            var since = await CatchUpFromAsync(wf, binding.DefinitionId, cancellationToken);
            List<Guid> completed;
            await using (var db = database.Context())
                completed = await db.Studies.AsNoTracking()
                    .Where(s => s.TrialId == binding.TrialId && s.CompletedAt != null && (since == null || s.CompletedAt >= since))
                    .OrderBy(s => s.CompletedAt).Select(s => s.Id).ToListAsync(cancellationToken);
            var existing = (await wf.Instances.AsNoTracking().Where(i => i.DefinitionId == binding.DefinitionId && i.StudyId != null && completed.Contains(i.StudyId.Value))
                .Select(i => i.StudyId!.Value).ToListAsync(cancellationToken)).ToHashSet();
            foreach (var studyId in completed.Where(id => !existing.Contains(id)))
                if (await TryStartAsync(binding, studyId))
                    started++;
        }
        return started;
    }

    private sealed record Binding(string DefinitionId, Guid TrialId, int Latest);

    /// <summary>The trials' workflows whose latest published version begins with StudyCompleted.</summary>
    private async Task<List<Binding>> BindingsAsync(WorkflowDbContext wf, Guid? trialId, CancellationToken cancellationToken)
    {
        var bindings = await wf.Definitions.AsNoTracking().Where(d => d.TrialId != null && (trialId == null || d.TrialId == trialId))
            .Select(d => new { d.DefinitionId, TrialId = d.TrialId!.Value, Latest = wf.Versions.Where(v => v.DefinitionId == d.DefinitionId).Max(v => (int?)v.Version) })
            .Where(b => b.Latest != null).ToListAsync(cancellationToken);
        return bindings.Select(b => new Binding(b.DefinitionId, b.TrialId, b.Latest!.Value))
            .Where(b => registry.GetDefinition(b.DefinitionId, b.Latest)?.Steps.FindById(0) is ActivityStep { Descriptor.Type: nameof(Activities.Builtin.StudyCompleted) })
            .ToList();
    }

    private async Task<bool> TryStartAsync(Binding binding, Guid studyId)
    {
        try
        {
            await controller.StartWorkflow(binding.DefinitionId, binding.Latest, new StudyWorkflowData { StudyId = studyId.ToString(), TrialId = binding.TrialId.ToString() },
                ReferenceOf(binding.DefinitionId, studyId));
            return true;
        }
        catch (DbUpdateException e)
        {
            logger.LogDebug(e, "Study {Study} already has an instance of {Definition}", studyId, binding.DefinitionId);
            return false;
        }
    }

    /// <summary>
    /// Where to look from: the completion time of the study whose instance was started last, less a margin for studies
    /// whose completion committed late; null (every completed study of the trial) before the first start. Completion,
    /// not status, is what counts: QC may have moved a study on to QcPassed before this runs.
    /// </summary>
    private async Task<DateTime?> CatchUpFromAsync(WorkflowDbContext wf, string definitionId, CancellationToken cancellationToken)
    {
        var lastStudy = await wf.Instances.AsNoTracking().Where(i => i.DefinitionId == definitionId && i.StudyId != null)
            .OrderByDescending(i => i.CreateTime).Select(i => i.StudyId).FirstOrDefaultAsync(cancellationToken);
        if (lastStudy is null)
            return null;
        await using var db = database.Context();
        var completedAt = await db.Studies.AsNoTracking().Where(s => s.Id == lastStudy).Select(s => s.CompletedAt).SingleOrDefaultAsync(cancellationToken);
        return completedAt - CatchUpMargin;
    }

    private static readonly TimeSpan CatchUpMargin = TimeSpan.FromMinutes(10);
}

/// <summary>Starts a completed study's workflow instances.</summary>
public sealed class StartWorkflowsOnStudyCompleted(StudyWorkflowStarter starter) : IModuleEventHandler<StudyCompleted>
{
    public Task HandleAsync(StudyCompleted moduleEvent, EventDelivery delivery, CancellationToken cancellationToken) =>
        starter.StartForStudyAsync(moduleEvent, cancellationToken);
}

/// <summary>Starts a newly published workflow on the studies of its trial that completed before it.</summary>
public sealed class StartWorkflowsOnPublished(StudyWorkflowStarter starter) : IModuleEventHandler<Events.WorkflowPublished>
{
    public Task HandleAsync(Events.WorkflowPublished moduleEvent, EventDelivery delivery, CancellationToken cancellationToken) =>
        starter.StartPendingAsync(cancellationToken);
}

/// <summary>
/// Catches up once at start-up: studies that completed before TrialFlow wrote events have none to deliver. After
/// that, events start every instance.
/// </summary>
public sealed class StudyWorkflowStarterService(StudyWorkflowStarter starter, ILogger<StudyWorkflowStarterService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var started = await starter.StartPendingAsync(stoppingToken);
            if (started > 0)
                logger.LogInformation("Started {Count} study workflow instances", started);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Catching up study workflows failed; they start with the next published workflow or restart");
        }
    }
}
