using TrialFlow.Intake.Domain;
using TrialFlow.Queries.Domain;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;

namespace TrialFlow.Queries.Service;

/// <summary>
/// Raises queries and takes them through their lifecycle. Each step checks the actor's right (<see cref="QueryPermissions"/>),
/// changes the query, adds the thread message and in-app notifications, and saves them with an audit event naming the
/// transition and its text as the reason, in one transaction. Works on the caller's context, so the caller's actor and
/// site scope apply: another site's query is not found.
/// </summary>
public sealed class QueryService(TimeProvider time, IEnumerable<IQueryNotificationSender> senders, ILogger<QueryService> logger)
{
    public async Task<Query> RaiseAsync(TrialFlowDbContext db, Guid siteId, QueryDraft draft, CancellationToken cancellationToken = default)
    {
        var actor = db.Actor;
        if (!QueryPermissions.CanRaise(actor))
            throw new QueryPermissionException("(new)", actor.Role, "raise");
        if (!QueryPermissions.Addressable.Contains(draft.AddressedTo))
            throw new ArgumentException($"A query is addressed to one of {string.Join(", ", QueryPermissions.Addressable)}, not '{draft.AddressedTo}'.", nameof(draft));
        if (draft.WorkflowKey is { } key && await db.Queries.SingleOrDefaultAsync(q => q.WorkflowKey == key, cancellationToken) is { } raised)
            return raised;

        var site = await db.Sites.AsNoTracking().SingleOrDefaultAsync(s => s.Id == siteId, cancellationToken)
            ?? throw new ArgumentException($"Site {siteId} does not exist or is outside your sites.", nameof(siteId));
        var turnaround = await TurnaroundAsync(db, site.TrialId, cancellationToken);
        var now = Now;
        var query = new Query(draft, site.TrialId, site.Id, actor, now, CalendarOf(site), turnaround.BusinessDaysFor(draft.Priority));
        db.Queries.Add(query);
        var notification = Notify(db, query, query.AddressedTo, $"New query {query.Reference}: {query.Title}", now);
        Audit(db, query, "QueryRaised", query.Title, new { category = query.Category.ToString(), priority = query.Priority.ToString(), addressedTo = query.AddressedTo, dueDate = query.DueDate.ToString("yyyy-MM-dd"), study = query.StudyId, qcResult = query.QcResultId });
        await db.SaveChangesAsync($"Query {query.Reference} raised: {Short(query.Title)}", cancellationToken);
        await SendAsync(query, [notification], cancellationToken);
        return query;
    }

    /// <summary>
    /// The addressed party answers. <paramref name="uploadSessionId"/> links data sent through intake for the query (a
    /// rescan, the missing series): the study it delivered is recorded with the answer.
    /// </summary>
    public async Task<Query> AnswerAsync(TrialFlowDbContext db, Guid queryId, string text, Guid? uploadSessionId = null, Guid? studyId = null, CancellationToken cancellationToken = default)
    {
        var query = await LoadAsync(db, queryId, cancellationToken);
        if (!QueryPermissions.CanAnswer(db.Actor, query))
            throw new QueryPermissionException(query.Reference, db.Actor.Role, "answer");
        if (uploadSessionId is { } sessionId)
        {
            var session = await db.UploadSessions.AsNoTracking().SingleOrDefaultAsync(u => u.Id == sessionId, cancellationToken);
            if (session is null || session.SiteId != query.SiteId)
                throw new ArgumentException($"Upload session {sessionId} is not one of site {query.SiteId}'s uploads; the answer to {query.Reference} was not saved.", nameof(uploadSessionId));
            studyId ??= await db.IntakeReceipts.Where(r => r.UploadSessionId == sessionId && r.StudyId != null)
                .OrderByDescending(r => r.ReceivedAt).Select(r => r.StudyId).FirstOrDefaultAsync(cancellationToken);
        }
        if (studyId is { } linked && !await db.Studies.AnyAsync(s => s.Id == linked && s.SiteId == query.SiteId, cancellationToken))
            throw new ArgumentException($"Study {linked} is not one of the site's studies; the answer to {query.Reference} was not saved.", nameof(studyId));

        var now = Now;
        query.Answer(db.Actor, text, now, studyId, uploadSessionId);
        var notification = Notify(db, query, query.RaisedByRole == "System" ? TrialFlowRoles.QcLead : query.RaisedByRole, $"{query.Reference} answered by {db.Actor.UserName}", now);
        Audit(db, query, "QueryAnswered", text, new { study = studyId, uploadSession = uploadSessionId });
        await db.SaveChangesAsync($"Query {query.Reference} answered: {Short(text)}", cancellationToken);
        await SendAsync(query, [notification], cancellationToken);
        return query;
    }

    public async Task<Query> ResolveAsync(TrialFlowDbContext db, Guid queryId, string? note, CancellationToken cancellationToken = default)
    {
        var (query, site) = await LoadForDecisionAsync(db, queryId, "resolve", cancellationToken);
        query.Resolve(db.Actor, note, Now, CalendarOf(site));
        Audit(db, query, "QueryResolved", note, new { businessDays = query.BusinessDaysToResolution });
        await db.SaveChangesAsync($"Query {query.Reference} resolved: {Short(note ?? "accepted")}", cancellationToken);
        return query;
    }

    public async Task<Query> ReopenAsync(TrialFlowDbContext db, Guid queryId, string reason, CancellationToken cancellationToken = default)
    {
        var (query, site) = await LoadForDecisionAsync(db, queryId, "reopen", cancellationToken);
        var turnaround = await TurnaroundAsync(db, query.TrialId, cancellationToken);
        var now = Now;
        query.Reopen(db.Actor, reason, now, CalendarOf(site), turnaround.BusinessDaysFor(query.Priority));
        var notification = Notify(db, query, query.AddressedTo, $"{query.Reference} reopened: {query.Title}", now);
        Audit(db, query, "QueryReopened", reason, new { dueDate = query.DueDate.ToString("yyyy-MM-dd"), reopenCount = query.ReopenCount });
        await db.SaveChangesAsync($"Query {query.Reference} reopened: {Short(reason)}", cancellationToken);
        await SendAsync(query, [notification], cancellationToken);
        return query;
    }

    public async Task<Query> CloseAsync(TrialFlowDbContext db, Guid queryId, string? note, CancellationToken cancellationToken = default)
    {
        var (query, _) = await LoadForDecisionAsync(db, queryId, "close", cancellationToken);
        query.Close(db.Actor, note, Now);
        Audit(db, query, "QueryClosed", note, new { });
        await db.SaveChangesAsync($"Query {query.Reference} closed: {Short(note ?? "filed")}", cancellationToken);
        return query;
    }

    public async Task<Query> CancelAsync(TrialFlowDbContext db, Guid queryId, string reason, CancellationToken cancellationToken = default)
    {
        var (query, _) = await LoadForDecisionAsync(db, queryId, "cancel", cancellationToken);
        query.Cancel(db.Actor, reason, Now);
        Audit(db, query, "QueryCancelled", reason, new { });
        await db.SaveChangesAsync($"Query {query.Reference} cancelled: {Short(reason)}", cancellationToken);
        return query;
    }

    /// <summary>
    /// Escalates every query past its due date and still waiting for an answer to the monitor of its site: a thread
    /// message, an in-app notification and an audit event, once per due date (a reopened query can escalate again).
    /// Run as the system; returns the queries escalated.
    /// </summary>
    public async Task<IReadOnlyList<Query>> EscalateOverdueAsync(TrialFlowDbContext db, CancellationToken cancellationToken = default)
    {
        var now = Now;
        var overdue = await db.Queries.Include(q => q.Messages)
            .Where(q => q.IsOpen && q.EscalatedAt == null && q.OverdueFrom <= now && (q.Status == QueryStatus.Open || q.Status == QueryStatus.Reopened))
            .OrderBy(q => q.OverdueFrom).Take(200).AsSplitQuery().ToListAsync(cancellationToken);
        var notifications = new List<(Query, QueryNotification)>();
        foreach (var query in overdue)
        {
            query.Escalate(db.Actor, $"Overdue since {query.DueDate:yyyy-MM-dd} (site date): escalated to the site's monitor.", now);
            notifications.Add((query, Notify(db, query, TrialFlowRoles.Monitor, $"Overdue query {query.Reference}: {query.Title}", now)));
            Audit(db, query, "QueryEscalated", "overdue", new { dueDate = query.DueDate.ToString("yyyy-MM-dd"), to = TrialFlowRoles.Monitor });
        }
        if (overdue.Count == 0)
            return [];
        await db.SaveChangesAsync($"{overdue.Count} overdue quer{(overdue.Count == 1 ? "y" : "ies")} escalated to the site monitor", cancellationToken);
        foreach (var (query, notification) in notifications)
            await SendAsync(query, [notification], cancellationToken);
        return overdue;
    }

    public async Task<QueryTurnaround> TurnaroundAsync(TrialFlowDbContext db, Guid trialId, CancellationToken cancellationToken = default) =>
        await db.QueryTurnarounds.AsNoTracking().SingleOrDefaultAsync(t => t.TrialId == trialId, cancellationToken) ?? QueryTurnaround.Default;

    public static SiteCalendar CalendarOf(Site site) => new(site.TimeZone, site.Country);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static async Task<Query> LoadAsync(TrialFlowDbContext db, Guid queryId, CancellationToken cancellationToken) =>
        await db.Queries.Include(q => q.Messages).SingleOrDefaultAsync(q => q.Id == queryId, cancellationToken) ?? throw new QueryNotFoundException(queryId);

    private static async Task<(Query, Site)> LoadForDecisionAsync(TrialFlowDbContext db, Guid queryId, string action, CancellationToken cancellationToken)
    {
        var query = await LoadAsync(db, queryId, cancellationToken);
        if (!QueryPermissions.CanDecide(db.Actor, query))
            throw new QueryPermissionException(query.Reference, db.Actor.Role, action);
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == query.SiteId, cancellationToken);
        return (query, site);
    }

    private static QueryNotification Notify(TrialFlowDbContext db, Query query, string role, string title, DateTime now)
    {
        var notification = new QueryNotification(query, role, title, now);
        db.QueryNotifications.Add(notification);
        return notification;
    }

    // The change events of the save carry the reason; the named event carries the why too, so it reads on its own.
    private static void Audit(TrialFlowDbContext db, Query query, string action, string? why, object details) =>
        db.RecordEvent(action, nameof(Query), query.Id.ToString(), query.SiteId,
            JsonSerializer.Serialize(new { reference = query.Reference, status = query.Status.ToString(), why = why is null ? null : Short(why), details }));

    private async Task SendAsync(Query query, IEnumerable<QueryNotification> notifications, CancellationToken cancellationToken)
    {
        foreach (var sender in senders)
            foreach (var notification in notifications)
            {
                try
                {
                    await sender.SendAsync(notification, query, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The in-app notification stands; mail is a courtesy copy.
                    logger.LogWarning(e, "Could not e-mail notification about query {Query} to {Role}", query.Reference, notification.RecipientRole);
                }
            }
    }

    private static string Short(string text) => text.Length <= 200 ? text.Trim() : text[..200].Trim() + "…";
}
