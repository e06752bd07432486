using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace TrialFlow.Workflows.Runtime;

/// <summary>
/// The one WorkflowCore step body: creates the node's activity from the catalog, binds its inputs, runs it and turns
/// its result into WorkflowCore's. A failure is retried with back-off up to <see cref="WorkflowRuntimeOptions.MaxAttempts"/>,
/// then ends the activity with the <c>error</c> outcome and records an incident. Every run is journaled. An instance
/// running more than <see cref="WorkflowRuntimeOptions.MaxStepsPerMinute"/> activities a minute is terminated with an
/// incident before the next one runs.
/// </summary>
internal sealed class ActivityStepBody(
    IServiceProvider services,
    InputBinder binder,
    JournalBuffer journal,
    IncidentRecorder incidents,
    StepRateGuard rate,
    WorkflowRuntimeOptions options,
    TimeProvider time,
    ILogger<ActivityStepBody> logger) : StepBodyAsync
{
    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        var step = (ActivityStep)context.Step;
        var data = (StudyWorkflowData)context.Workflow.Data;
        var pointer = context.ExecutionPointer;
        var state = StepState.Read(pointer.PersistenceData);
        var started = time.GetUtcNow().UtcDateTime;
        var activityContext = new ActivityContext(context.Workflow.Id, step.DefinitionId, step.DefinitionVersion, step.Node.Id, step.Descriptor.Type,
            pointer.Id, Guid.Parse(data.StudyId), Guid.Parse(data.TrialId), state.State,
            pointer.EventPublished ? pointer.EventData as string ?? (pointer.EventData is null ? null : JsonSerializer.Serialize(pointer.EventData)) : null,
            started);
        if (!rate.TryRun(context.Workflow.Id))
            return await StopRunawayAsync(context, activityContext, step);
        try
        {
            var activity = (Activity)ActivatorUtilities.CreateInstance(services, step.Descriptor.ClrType);
            await binder.BindAsync(activity, step, activityContext.StudyId, context.CancellationToken);
            var result = await activity.ExecuteAsync(activityContext, context.CancellationToken);
            return result switch
            {
                OutcomeResult o => Journal(JournalEntryKind.Completed, o.Port, null, ExecutionResult.Outcome(o.Port)),
                SleepResult s => Journal(JournalEntryKind.Suspended, null, $"sleeping {s.Duration}", ExecutionResult.Sleep(s.Duration, new StepState(0, s.State).Write())),
                WaitResult w => Journal(JournalEntryKind.Suspended, null, $"waiting for {w.EventName} {w.EventKey}", WaitAgain(pointer, new ExecutionResult
                {
                    Proceed = false,
                    EventName = w.EventName,
                    EventKey = w.EventKey,
                    EventAsOf = Persistence.WorkflowClock.ToUtc(w.EffectiveFrom),
                    PersistenceData = new StepState(0, w.State).Write(),
                })),
                _ => throw new InvalidOperationException($"Activity {step.Descriptor.Type} returned {result.GetType().Name}."),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            var attempt = state.Attempt + 1;
            logger.LogWarning(e, "Activity {Activity} ({Type}) of instance {Instance} failed (attempt {Attempt} of {Max})",
                step.Node.Id, step.Descriptor.Type, context.Workflow.Id, attempt, options.MaxAttempts);
            if (attempt < options.MaxAttempts)
                return Journal(JournalEntryKind.Faulted, null, $"attempt {attempt} of {options.MaxAttempts}: {e.Message}",
                    ExecutionResult.Sleep(options.RetryDelayAfter(attempt), new StepState(attempt, state.State).Write()));
            await incidents.RecordAsync(activityContext, attempt, e.Message, context.CancellationToken);
            return Journal(JournalEntryKind.Faulted, ActivityOutcomes.Error, $"attempt {attempt} of {options.MaxAttempts}, giving up: {e.Message}",
                ExecutionResult.Outcome(ActivityOutcomes.Error));
        }

        // WorkflowCore delivers an event only to a pointer whose EventPublished is false and never clears it: a step that
        // waits again after being woken (WaitForReads, one read task at a time) must clear it, or the next event is lost.
        static ExecutionResult WaitAgain(ExecutionPointer pointer, ExecutionResult result)
        {
            pointer.EventPublished = false;
            pointer.EventData = null;
            return result;
        }

        ExecutionResult Journal(JournalEntryKind kind, string? outcome, string? message, ExecutionResult result)
        {
            journal.Add(new JournalEntry
            {
                InstanceId = context.Workflow.Id,
                ExecutionPointerId = pointer.Id,
                ActivityId = step.Node.Id,
                ActivityType = step.Descriptor.Type,
                Kind = kind,
                Outcome = outcome,
                Message = message is { Length: > 2000 } ? message[..2000] : message,
                StartedAt = started,
                EndedAt = time.GetUtcNow().UtcDateTime,
            });
            return result;
        }
    }

    /// <summary>
    /// Terminates a runaway instance instead of running <paramref name="step"/>: an incident (and its audit event) says
    /// why, the journal shows it, and the terminated status keeps WorkflowCore from queueing the instance again.
    /// </summary>
    private async Task<ExecutionResult> StopRunawayAsync(IStepExecutionContext context, ActivityContext activityContext, ActivityStep step)
    {
        var message = $"runaway: the instance ran {options.MaxStepsPerMinute} activities within a minute (TrialFlow:Workflows:MaxStepsPerMinute) "
            + $"and was terminated before running '{step.Node.Id}' ({step.Descriptor.Type}) again; its definition loops without a waiting activity.";
        logger.LogError("Workflow instance {Instance} ({Definition} v{Version}) terminated: {Message}", context.Workflow.Id, step.DefinitionId, step.DefinitionVersion, message);
        await incidents.RecordAsync(activityContext, 0, message, context.CancellationToken);
        context.Workflow.Status = WorkflowStatus.Terminated;
        context.Workflow.CompleteTime = activityContext.Now;
        journal.Add(new JournalEntry
        {
            InstanceId = context.Workflow.Id,
            ExecutionPointerId = context.ExecutionPointer.Id,
            ActivityId = step.Node.Id,
            ActivityType = step.Descriptor.Type,
            Kind = JournalEntryKind.Faulted,
            Message = message,
            StartedAt = activityContext.Now,
            EndedAt = activityContext.Now,
        });
        // The pointer stays where it is, asleep; the instance's status keeps it from ever running.
        return ExecutionResult.Sleep(TimeSpan.FromDays(3650), new StepState(0, activityContext.State).Write());
    }
}

/// <summary>What the adapter keeps in the pointer between runs: the failed attempts so far and the activity's own state.</summary>
internal sealed record StepState(int Attempt, string? State)
{
    public string Write() => JsonSerializer.Serialize(this);

    public static StepState Read(object? persisted) => persisted switch
    {
        string { Length: > 0 } json => JsonSerializer.Deserialize<StepState>(json) ?? new StepState(0, null),
        _ => new StepState(0, null),
    };
}
