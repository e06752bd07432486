namespace TrialFlow.Queries.Domain;

/// <summary>What a query is about.</summary>
public enum QueryCategory
{
    MissingSeries,
    QcFailure,
    WrongSubject,
    ProtocolDeviation,
    Other,
}

/// <summary>How urgent a query is; the trial's turnaround expectation gives each priority its number of business days.</summary>
public enum QueryPriority
{
    Normal,
    High,
    Critical,
}

/// <summary>
/// Where a query is in its life: open → answered → resolved (→ closed) or reopened (→ answered again); cancelled
/// with a reason at any point before it is resolved.
/// </summary>
public enum QueryStatus
{
    /// <summary>Raised; waiting for the addressed party.</summary>
    Open,

    /// <summary>The addressed party replied; waiting for the raiser to resolve or reopen.</summary>
    Answered,

    /// <summary>The raiser found the answer insufficient; waiting for the addressed party again.</summary>
    Reopened,

    /// <summary>The raiser accepted the answer.</summary>
    Resolved,

    /// <summary>Filed: nothing more happens to it.</summary>
    Closed,

    /// <summary>Withdrawn with a reason (raised in error, superseded).</summary>
    Cancelled,
}

public enum QueryMessageKind
{
    Raised,
    Answer,
    Reopened,
    Resolved,
    Closed,
    Cancelled,
    Escalated,
}
