namespace TrialFlow.Workflows.Persistence;

/// <summary>A WorkflowCore instance: pointers and data as System.Text.Json documents without type names.</summary>
public sealed class WorkflowInstanceRecord
{
    public string Id { get; set; } = "";
    public string DefinitionId { get; set; } = "";
    public int Version { get; set; }
    public string? Description { get; set; }
    /// <summary>Unique: the trigger sets it to definition + study so a study starts a workflow once.</summary>
    public string? Reference { get; set; }
    /// <summary>The study the instance runs for (set at start from its data); how the UI and the dossier find a study's instances.</summary>
    public Guid? StudyId { get; set; }
    public string Status { get; set; } = "";
    public string Data { get; set; } = "{}";
    public string Pointers { get; set; } = "[]";
    public long? NextExecution { get; set; }
    public DateTime CreateTime { get; set; }
    public DateTime? CompleteTime { get; set; }
}

public sealed class EventSubscriptionRecord
{
    public string Id { get; set; } = "";
    public string WorkflowId { get; set; } = "";
    public int StepId { get; set; }
    public string ExecutionPointerId { get; set; } = "";
    public string EventName { get; set; } = "";
    public string EventKey { get; set; } = "";
    public DateTime SubscribeAsOf { get; set; }
    public string? SubscriptionData { get; set; }
    public string? ExternalToken { get; set; }
    public string? ExternalWorkerId { get; set; }
    public DateTime? ExternalTokenExpiry { get; set; }
}

public sealed class EventRecord
{
    public string Id { get; set; } = "";
    public string EventName { get; set; } = "";
    public string EventKey { get; set; } = "";
    public string? EventData { get; set; }
    public DateTime EventTime { get; set; }
    public bool IsProcessed { get; set; }
}

public sealed class ExecutionErrorRecord
{
    public long Id { get; set; }
    public string WorkflowId { get; set; } = "";
    public string ExecutionPointerId { get; set; } = "";
    public DateTime ErrorTime { get; set; }
    public string Message { get; set; } = "";
}

/// <summary>One run of one activity in one instance: when it started and ended, with which outcome or fault.</summary>
public sealed class JournalEntry
{
    public long Id { get; set; }
    public string InstanceId { get; set; } = "";
    public string ExecutionPointerId { get; set; } = "";
    public string ActivityId { get; set; } = "";
    public string ActivityType { get; set; } = "";
    public JournalEntryKind Kind { get; set; }
    public string? Outcome { get; set; }
    public string? Message { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime EndedAt { get; set; }
}

public enum JournalEntryKind
{
    /// <summary>Ended with an outcome.</summary>
    Completed,
    /// <summary>Suspended (a timer or an event wait) and will run again.</summary>
    Suspended,
    /// <summary>Threw; retried unless the attempts are used up.</summary>
    Faulted,
}

/// <summary>An activity used up its retries and ended with <c>error</c>: someone must look at it.</summary>
public sealed class WorkflowIncident
{
    public long Id { get; set; }
    public string InstanceId { get; set; } = "";
    public string ExecutionPointerId { get; set; } = "";
    public string ActivityId { get; set; } = "";
    public string ActivityType { get; set; } = "";
    public Guid StudyId { get; set; }
    public int Attempts { get; set; }
    public string Message { get; set; } = "";
    public DateTime OccurredAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
}

/// <summary>An in-app notification a workflow sent to a role at a study's site.</summary>
public sealed class WorkflowNotification
{
    public long Id { get; set; }
    /// <summary>Instance + execution pointer: a re-run after a crash finds it and does not notify twice.</summary>
    public string IdempotencyKey { get; set; } = "";
    public Guid TrialId { get; set; }
    public Guid SiteId { get; set; }
    public Guid StudyId { get; set; }
    public string Recipient { get; set; } = "";
    public string Title { get; set; } = "";
    public string Message { get; set; } = "";
    public string InstanceId { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}

/// <summary>A workflow as the study manager edits it: the draft JSON and the trial it runs for.</summary>
public sealed class WorkflowDefinitionRecord
{
    public string DefinitionId { get; set; } = "";
    public string Name { get; set; } = "";
    public Guid? TrialId { get; set; }

    /// <summary>
    /// When it was bound to <see cref="TrialId"/>: it starts by itself only on studies that complete from then on; studies
    /// that completed before join only when a study manager asks for them (<see cref="Runtime.StudyWorkflowStarter.StartExistingAsync"/>).
    /// Null for bindings made before this rule, which applied to every study.
    /// </summary>
    public DateTime? AppliesFrom { get; set; }

    public string DraftJson { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

/// <summary>A published version: immutable once written; instances started on it run on it to the end.</summary>
public sealed class WorkflowVersionRecord
{
    public string DefinitionId { get; set; } = "";
    public int Version { get; set; }
    public string Json { get; set; } = "";
    public DateTime PublishedAt { get; set; }
    public string PublishedBy { get; set; } = "";
    public string Reason { get; set; } = "";
}
