using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Events;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Persistence;
using WorkflowCore.Interface;

namespace TrialFlow.Workflows.Runtime;

/// <summary>
/// The StudyCompleted trigger: starts one instance per study of a trial that completed since the workflow was bound to it
/// (whatever its status now) on the latest published version of each of the trial's workflows that begins with the
/// <see cref="Activities.Builtin.StudyCompleted"/> activity. Studies that completed before the binding join only when a
/// study manager asks (<see cref="StartExistingAsync"/>): binding never re-runs QC or raises queries on the past unasked. Live, a
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
            if (completed.CompletedAt < binding.AppliesFrom)
                continue;
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
            var since = Later(await CatchUpFromAsync(wf, binding.DefinitionId, cancellationToken), binding.AppliesFrom);
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

    /// <summary>
    /// The studies of the workflow's trial that completed before it was bound and are not on it, by status: what a study
    /// manager may choose to start it on.
    /// </summary>
    public async Task<ExistingStudies> ExistingAsync(string definitionId, CancellationToken cancellationToken)
    {
        await using var wf = store.Context();
        var binding = (await BindingsAsync(wf, trialId: null, cancellationToken)).SingleOrDefault(b => b.DefinitionId == definitionId);
        if (binding is null)
            return new ExistingStudies(null, new Dictionary<string, int>());
        var studies = await StudiesBeforeAsync(wf, binding, statuses: null, cancellationToken);
        return new ExistingStudies(binding.AppliesFrom, studies.GroupBy(s => s.Status).ToDictionary(g => g.Key, g => g.Count()));
    }

    /// <summary>
    /// Starts the workflow on the studies that completed before it was bound, in the given statuses (the study manager's
    /// explicit choice); returns how many were started.
    /// </summary>
    public async Task<int> StartExistingAsync(string definitionId, IReadOnlyCollection<string> statuses, CancellationToken cancellationToken)
    {
        await using var wf = store.Context();
        var binding = (await BindingsAsync(wf, trialId: null, cancellationToken)).SingleOrDefault(b => b.DefinitionId == definitionId)
            ?? throw new InvalidOperationException($"workflow {definitionId} is not bound to a trial with a published version that starts on StudyCompleted");
        var started = 0;
        foreach (var study in await StudiesBeforeAsync(wf, binding, statuses, cancellationToken))
            if (await TryStartAsync(binding, study.Id))
                started++;
        return started;
    }

    private async Task<List<(Guid Id, string Status)>> StudiesBeforeAsync(WorkflowDbContext wf, Binding binding, IReadOnlyCollection<string>? statuses, CancellationToken cancellationToken)
    {
        if (binding.AppliesFrom is not { } from)
            return [];
        List<(Guid Id, string Status)> completed;
        await using (var db = database.Context())
            completed = (await db.Studies.AsNoTracking().Where(s => s.TrialId == binding.TrialId && s.CompletedAt != null && s.CompletedAt < from)
                .OrderBy(s => s.CompletedAt).Select(s => new { s.Id, s.Status }).ToListAsync(cancellationToken))
                .Select(s => (s.Id, s.Status.ToString())).Where(s => statuses is null || statuses.Contains(s.Item2)).ToList();
        var ids = completed.Select(s => s.Id).ToList();
        var existing = (await wf.Instances.AsNoTracking().Where(i => i.DefinitionId == binding.DefinitionId && i.StudyId != null && ids.Contains(i.StudyId.Value))
            .Select(i => i.StudyId!.Value).ToListAsync(cancellationToken)).ToHashSet();
        return completed.Where(s => !existing.Contains(s.Id)).ToList();
    }

    private static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private sealed record Binding(string DefinitionId, Guid TrialId, int Latest, DateTime? AppliesFrom);

    /// <summary>The trials' workflows whose latest published version begins with StudyCompleted.</summary>
    private async Task<List<Binding>> BindingsAsync(WorkflowDbContext wf, Guid? trialId, CancellationToken cancellationToken)
    {
        var bindings = await wf.Definitions.AsNoTracking().Where(d => d.TrialId != null && (trialId == null || d.TrialId == trialId))
            .Select(d => new { d.DefinitionId, TrialId = d.TrialId!.Value, d.AppliesFrom, Latest = wf.Versions.Where(v => v.DefinitionId == d.DefinitionId).Max(v => (int?)v.Version) })
            .Where(b => b.Latest != null).ToListAsync(cancellationToken);
        return bindings.Select(b => new Binding(b.DefinitionId, b.TrialId, b.Latest!.Value, b.AppliesFrom))
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

/// <summary>The studies completed before a workflow was bound and not on it, by status (<paramref name="AppliesFrom"/> null: not bound, or bound before this rule).</summary>
public sealed record ExistingStudies(DateTime? AppliesFrom, IReadOnlyDictionary<string, int> ByStatus)
{
    public int Total => ByStatus.Values.Sum();
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
