using TrialFlow.Core.Access;
using TrialFlow.Core.Events;
using TrialFlow.Core.Trials;
using TrialFlow.Queries.Events;

namespace TrialFlow.Queries.Domain;

/// <summary>
/// A question to a site (or to a CRO/sponsor role) about a study, series, subject or visit, tracked until it is
/// resolved. The entity guards the lifecycle; who may take which step is <see cref="QueryPermissions"/>' business.
/// Every transition adds a message to the thread, so the thread is the query's history as its parties saw it; the
/// audit trail records each change with who, when and why. Its end (resolved or cancelled) raises <see cref="QueryEnded"/>.
/// </summary>
public sealed class Query : ISiteOwned, IRaisesEvents
{
    private readonly List<QueryMessage> _messages = [];
    private readonly List<QuerySourceFinding> _findings = [];
    private readonly List<IModuleEvent> _raised = [];

    private Query() { }

    public Query(QueryDraft draft, Guid trialId, Guid siteId, Actor raisedBy, DateTime raisedAt, SiteCalendar calendar, int turnaroundBusinessDays)
    {
        Id = Guid.NewGuid();
        Reference = ReferenceOf(Id);
        TrialId = trialId;
        SiteId = siteId;
        SubjectId = draft.SubjectId;
        VisitId = draft.VisitId;
        StudyId = draft.StudyId;
        SeriesInstanceUid = draft.SeriesInstanceUid;
        QcResultId = draft.QcResultId;
        Category = draft.Category;
        Priority = draft.Priority;
        Title = Required(draft.Title, 200, "title");
        AddressedTo = Required(draft.AddressedTo, 32, "addressed party");
        RaisedById = raisedBy.UserId;
        RaisedByName = raisedBy.UserName;
        RaisedByRole = raisedBy.Role;
        RaisedAt = raisedAt;
        RaisedLocalDate = calendar.LocalDate(raisedAt);
        WorkflowKey = draft.WorkflowKey;
        WorkflowInstanceId = draft.WorkflowInstanceId;
        foreach (var finding in draft.Findings)
            _findings.Add(new QuerySourceFinding(Id, siteId, finding));
        SetDue(calendar, RaisedLocalDate, turnaroundBusinessDays);
        Status = QueryStatus.Open;
        IsOpen = true;
        _messages.Add(new QueryMessage(Id, siteId, 1, QueryMessageKind.Raised, Required(draft.Text, 8000, "text"), raisedBy, raisedAt, null, null));
    }

    public Guid Id { get; private set; }

    /// <summary>The short name people quote ("Q-7K3M9X2P4Q").</summary>
    public string Reference { get; private set; } = "";

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid? SubjectId { get; private set; }

    public Guid? VisitId { get; private set; }

    public Guid? StudyId { get; private set; }

    public string? SeriesInstanceUid { get; private set; }

    /// <summary>The QC result whose findings the query came from.</summary>
    public Guid? QcResultId { get; private set; }

    public QueryCategory Category { get; private set; }

    public QueryPriority Priority { get; private set; }

    public string Title { get; private set; } = "";

    /// <summary>The role that answers: <c>SiteUser</c> for the site, or a CRO/sponsor role (DataManager, QcLead, StudyManager).</summary>
    public string AddressedTo { get; private set; } = "";

    public QueryStatus Status { get; private set; }

    /// <summary>Not yet resolved, closed or cancelled: the inbox lists these first, aging counts them.</summary>
    public bool IsOpen { get; private set; }

    public string RaisedById { get; private set; } = "";

    public string RaisedByName { get; private set; } = "";

    public string RaisedByRole { get; private set; } = "";

    public DateTime RaisedAt { get; private set; }

    /// <summary>The date at the site when it was raised: aging counts business days from it.</summary>
    public DateOnly RaisedLocalDate { get; private set; }

    /// <summary>The site-local date by which the addressed party should answer.</summary>
    public DateOnly DueDate { get; private set; }

    /// <summary>The instant (UTC) the query becomes overdue if still waiting for the addressed party.</summary>
    public DateTime OverdueFrom { get; private set; }

    public DateTime? AnsweredAt { get; private set; }

    public DateTime? ResolvedAt { get; private set; }

    /// <summary>Business days from raising to the (last) resolution, at the site.</summary>
    public int? BusinessDaysToResolution { get; private set; }

    public DateTime? ClosedAt { get; private set; }

    public DateTime? CancelledAt { get; private set; }

    public int ReopenCount { get; private set; }

    /// <summary>When the site's monitor was told the query is overdue; cleared when it is reopened with a new due date.</summary>
    public DateTime? EscalatedAt { get; private set; }

    /// <summary>The study an answer delivered data into (a rescan, the missing series), through the normal intake.</summary>
    public Guid? LinkedStudyId { get; private set; }

    /// <summary>The upload session of that answer, when it came by upload.</summary>
    public Guid? LinkedUploadSessionId { get; private set; }

    /// <summary>The workflow step that raised it (instance/pointer): raising again after a crash finds this query.</summary>
    public string? WorkflowKey { get; private set; }

    public string? WorkflowInstanceId { get; private set; }

    public IReadOnlyList<QueryMessage> Messages => _messages;

    public IReadOnlyList<QuerySourceFinding> Findings => _findings;

    /// <summary>Waiting for the addressed party (open or reopened).</summary>
    public bool AwaitsAnswer => Status is QueryStatus.Open or QueryStatus.Reopened;

    public bool IsOverdue(DateTime nowUtc) => AwaitsAnswer && nowUtc >= OverdueFrom;

    /// <summary>The addressed party replies, possibly pointing at data it sent through intake.</summary>
    public QueryMessage Answer(Actor by, string text, DateTime at, Guid? linkedStudyId = null, Guid? linkedUploadSessionId = null)
    {
        Require(AwaitsAnswer, "answered");
        Status = QueryStatus.Answered;
        AnsweredAt = at;
        if (linkedStudyId is not null)
            LinkedStudyId = linkedStudyId;
        if (linkedUploadSessionId is not null)
            LinkedUploadSessionId = linkedUploadSessionId;
        return Add(QueryMessageKind.Answer, text, by, at, linkedStudyId, linkedUploadSessionId);
    }

    /// <summary>The raiser accepts the answer.</summary>
    public QueryMessage Resolve(Actor by, string? note, DateTime at, SiteCalendar calendar)
    {
        Require(Status == QueryStatus.Answered, "resolved");
        Status = QueryStatus.Resolved;
        IsOpen = false;
        ResolvedAt = at;
        BusinessDaysToResolution = calendar.BusinessDaysBetween(RaisedLocalDate, calendar.LocalDate(at));
        Ended(at);
        return Add(QueryMessageKind.Resolved, string.IsNullOrWhiteSpace(note) ? "Resolved." : note, by, at);
    }

    /// <summary>The raiser finds the answer insufficient: back to the addressed party with a new due date.</summary>
    public QueryMessage Reopen(Actor by, string reason, DateTime at, SiteCalendar calendar, int turnaroundBusinessDays)
    {
        Require(Status is QueryStatus.Answered, "reopened");
        Status = QueryStatus.Reopened;
        ReopenCount++;
        EscalatedAt = null;
        SetDue(calendar, calendar.LocalDate(at), turnaroundBusinessDays);
        return Add(QueryMessageKind.Reopened, Required(reason, 8000, "reason"), by, at);
    }

    /// <summary>Files a resolved query.</summary>
    public QueryMessage Close(Actor by, string? note, DateTime at)
    {
        Require(Status == QueryStatus.Resolved, "closed");
        Status = QueryStatus.Closed;
        ClosedAt = at;
        return Add(QueryMessageKind.Closed, string.IsNullOrWhiteSpace(note) ? "Closed." : note, by, at);
    }

    /// <summary>Withdraws a query that is not resolved yet; the reason is kept in the thread.</summary>
    public QueryMessage Cancel(Actor by, string reason, DateTime at)
    {
        Require(IsOpen, "cancelled");
        Status = QueryStatus.Cancelled;
        IsOpen = false;
        CancelledAt = at;
        Ended(at);
        return Add(QueryMessageKind.Cancelled, Required(reason, 8000, "reason"), by, at);
    }

    /// <summary>Marks the overdue query escalated to the site's monitor (once per due date).</summary>
    public QueryMessage Escalate(Actor by, string text, DateTime at)
    {
        if (!IsOverdue(at) || EscalatedAt is not null)
            throw new QueryTransitionException(Reference, Status, "escalated (it is not overdue, or was escalated already)");
        EscalatedAt = at;
        return Add(QueryMessageKind.Escalated, text, by, at);
    }

    IReadOnlyList<IModuleEvent> IRaisesEvents.RaisedEvents() => _raised;

    void IRaisesEvents.ClearRaisedEvents() => _raised.Clear();

    private void Ended(DateTime at) => _raised.Add(new QueryEnded(Id, TrialId, SiteId, Reference, Status, WorkflowInstanceId, at));

    /// <summary>
    /// "Q-" and 50 bits of the id in Crockford's base 32 (no I, L, O, U: nothing to misread on the phone). 32 bits
    /// collided in practice at 100,000 queries; 50 bits make a collision unlikely below tens of millions.
    /// </summary>
    internal static string ReferenceOf(Guid id)
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var bits = BitConverter.ToUInt64(id.ToByteArray(), 0);
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++, bits >>= 5)
            chars[i] = alphabet[(int)(bits & 31)];
        return "Q-" + new string(chars);
    }

    private void SetDue(SiteCalendar calendar, DateOnly from, int turnaroundBusinessDays)
    {
        DueDate = calendar.AddBusinessDays(from, turnaroundBusinessDays);
        OverdueFrom = calendar.OverdueFrom(DueDate);
    }

    private QueryMessage Add(QueryMessageKind kind, string text, Actor by, DateTime at, Guid? studyId = null, Guid? uploadSessionId = null)
    {
        var message = new QueryMessage(Id, SiteId, _messages.Count + 1, kind, Required(text, 8000, "text"), by, at, studyId, uploadSessionId);
        _messages.Add(message);
        return message;
    }

    private void Require(bool allowed, string action)
    {
        if (!allowed)
            throw new QueryTransitionException(Reference, Status, action);
    }

    private static string Required(string? value, int maxLength, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"A query's {what} must say something.", what);
        var trimmed = value.Trim();
        return trimmed.Length <= maxLength ? trimmed : throw new ArgumentException($"A query's {what} is limited to {maxLength} characters.", what);
    }
}

/// <summary>One entry of a query's thread: the raising text, each answer, and every transition with its note.</summary>
public sealed class QueryMessage : ISiteOwned
{
    private QueryMessage() { }

    internal QueryMessage(Guid queryId, Guid siteId, int number, QueryMessageKind kind, string text, Actor author, DateTime at, Guid? studyId, Guid? uploadSessionId)
    {
        Id = Guid.NewGuid();
        QueryId = queryId;
        SiteId = siteId;
        Number = number;
        Kind = kind;
        Text = text;
        AuthorId = author.UserId;
        AuthorName = author.UserName;
        AuthorRole = author.Role;
        At = at;
        StudyId = studyId;
        UploadSessionId = uploadSessionId;
    }

    public Guid Id { get; private set; }

    public Guid QueryId { get; private set; }

    public Guid SiteId { get; private set; }

    /// <summary>Position in the thread, from 1: the order people read it in, whatever the clocks said.</summary>
    public int Number { get; private set; }

    public QueryMessageKind Kind { get; private set; }

    public string Text { get; private set; } = "";

    public string AuthorId { get; private set; } = "";

    public string AuthorName { get; private set; } = "";

    public string AuthorRole { get; private set; } = "";

    public DateTime At { get; private set; }

    /// <summary>The study this answer's data went into, through intake (DICOM is never attached to a message).</summary>
    public Guid? StudyId { get; private set; }

    public Guid? UploadSessionId { get; private set; }
}

/// <summary>A QC finding a query was raised from, copied so the query reads the same after QC runs again.</summary>
public sealed class QuerySourceFinding : ISiteOwned
{
    private QuerySourceFinding() { }

    internal QuerySourceFinding(Guid queryId, Guid siteId, QueryFindingRef finding)
    {
        Id = Guid.NewGuid();
        QueryId = queryId;
        SiteId = siteId;
        QcFindingId = finding.QcFindingId;
        RuleId = finding.RuleId;
        Severity = finding.Severity;
        Message = finding.Message.Length > 1024 ? finding.Message[..1024] : finding.Message;
        SeriesInstanceUid = finding.SeriesInstanceUid;
    }

    public Guid Id { get; private set; }

    public Guid QueryId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid? QcFindingId { get; private set; }

    public string RuleId { get; private set; } = "";

    public string Severity { get; private set; } = "";

    public string Message { get; private set; } = "";

    public string? SeriesInstanceUid { get; private set; }
}

/// <summary>A QC finding as a query cites it.</summary>
public sealed record QueryFindingRef(Guid? QcFindingId, string RuleId, string Severity, string Message, string? SeriesInstanceUid);

/// <summary>What someone (or a workflow) asks when raising a query.</summary>
public sealed record QueryDraft(QueryCategory Category, string Title, string Text)
{
    public Guid? SubjectId { get; init; }

    public Guid? VisitId { get; init; }

    public Guid? StudyId { get; init; }

    public string? SeriesInstanceUid { get; init; }

    public Guid? QcResultId { get; init; }

    public IReadOnlyList<QueryFindingRef> Findings { get; init; } = [];

    public QueryPriority Priority { get; init; } = QueryPriority.Normal;

    public string AddressedTo { get; init; } = TrialFlow.Core.Identity.TrialFlowRoles.SiteUser;

    public string? WorkflowKey { get; init; }

    public string? WorkflowInstanceId { get; init; }
}
