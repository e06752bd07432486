using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Imaging;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Activities.Builtin;
using TrialFlow.Workflows.Persistence;
using WorkflowCore.Interface;

namespace TrialFlow.Workflows.Runtime;

/// <summary>
/// The StudyCompleted trigger: starts one instance per completed study of a trial (whatever its status now) on the latest
/// published version of each of the trial's workflows that begins with <see cref="StudyCompleted"/>. Exactly once: the instance's reference
/// is <c>definition:study</c> and unique in the database, so a second start (another node, a restart between the check
/// and the start) is refused by the database, not by timing.
/// </summary>
public sealed class StudyWorkflowStarter(
    WorkflowStore store,
    WorkflowDatabase database,
    IWorkflowRegistry registry,
    IWorkflowController controller,
    ILogger<StudyWorkflowStarter> logger)
{
    public static string ReferenceOf(string definitionId, Guid studyId) => $"{definitionId}:{studyId}";

    /// <summary>Starts the instances that are due; returns how many were started.</summary>
    public async Task<int> StartPendingAsync(CancellationToken cancellationToken)
    {
        await using var wf = store.Context();
        var bindings = await wf.Definitions.AsNoTracking().Where(d => d.TrialId != null)
            .Select(d => new { d.DefinitionId, TrialId = d.TrialId!.Value, Latest = wf.Versions.Where(v => v.DefinitionId == d.DefinitionId).Max(v => (int?)v.Version) })
            .Where(b => b.Latest != null).ToListAsync(cancellationToken);
        var started = 0;
        foreach (var binding in bindings)
        {
            var definition = registry.GetDefinition(binding.DefinitionId, binding.Latest);
            if (definition?.Steps.FindById(0) is not ActivityStep { Descriptor.Type: nameof(StudyCompleted) })
                continue;
            var since = await CatchUpFromAsync(wf, binding.DefinitionId, cancellationToken);
            List<Guid> completed;
            await using (var db = database.Context())
                completed = await db.Studies.AsNoTracking()
                    .Where(s => s.TrialId == binding.TrialId && s.CompletedAt != null && (since == null || s.CompletedAt >= since))
                    .OrderBy(s => s.CompletedAt).Select(s => s.Id).ToListAsync(cancellationToken);
            var references = completed.Select(id => ReferenceOf(binding.DefinitionId, id)).ToList();
            var existing = (await wf.Instances.AsNoTracking().Where(i => i.DefinitionId == binding.DefinitionId && references.Contains(i.Reference!))
                .Select(i => i.Reference!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            foreach (var studyId in completed.Where(id => !existing.Contains(ReferenceOf(binding.DefinitionId, id))))
            {
                try
                {
                    await controller.StartWorkflow(binding.DefinitionId, binding.Latest, new StudyWorkflowData { StudyId = studyId.ToString(), TrialId = binding.TrialId.ToString() },
                        ReferenceOf(binding.DefinitionId, studyId));
                    started++;
                }
                catch (DbUpdateException e)
                {
                    logger.LogDebug(e, "Study {Study} already has an instance of {Definition}", studyId, binding.DefinitionId);
                }
            }
        }
        return started;
    }

    /// <summary>
    /// Where to look from: the completion time of the study whose instance was started last, less a margin for studies
    /// whose completion committed late; null (every completed study of the trial) before the first start. Completion,
    /// not status, is what counts: the intake QC worker may have moved a study on to QcPassed before this runs.
    /// </summary>
    private async Task<DateTime?> CatchUpFromAsync(WorkflowDbContext wf, string definitionId, CancellationToken cancellationToken)
    {
        var lastReference = await wf.Instances.AsNoTracking().Where(i => i.DefinitionId == definitionId && i.Reference != null)
            .OrderByDescending(i => i.CreateTime).Select(i => i.Reference!).FirstOrDefaultAsync(cancellationToken);
        if (lastReference is null || !Guid.TryParse(lastReference.AsSpan(definitionId.Length + 1), out var lastStudy))
            return null;
        await using var db = database.Context();
        var completedAt = await db.Studies.AsNoTracking().Where(s => s.Id == lastStudy).Select(s => s.CompletedAt).SingleOrDefaultAsync(cancellationToken);
        return completedAt - CatchUpMargin;
    }

    private static readonly TimeSpan CatchUpMargin = TimeSpan.FromMinutes(10);
}

/// <summary>Runs the starter every <see cref="WorkflowRuntimeOptions.StarterInterval"/>.</summary>
public sealed class StudyWorkflowStarterService(StudyWorkflowStarter starter, WorkflowRuntimeOptions options, ILogger<StudyWorkflowStarterService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.StarterInterval);
        do
        {
            try
            {
                var started = await starter.StartPendingAsync(stoppingToken);
                if (started > 0)
                    logger.LogInformation("Started {Count} study workflow instances", started);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Starting study workflows failed; will retry");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
