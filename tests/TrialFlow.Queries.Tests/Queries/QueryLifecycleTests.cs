using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using TrialFlow.Core.Events;
using TrialFlow.Queries.Events;

namespace TrialFlow.Queries.Tests;

public sealed class QueryLifecycleTests
{
    [Fact]
    public async Task A_query_goes_open_answered_reopened_answered_resolved_closed_with_every_step_threaded_and_audited()
    {
        await using var f = await QueryFixture.CreateAsync();
        var query = await f.RaiseAtBerlinAsync();

        await f.AsAsync(f.BerlinSiteUser, db => f.Service.AnswerAsync(db, query.Id, "Sent again from the scanner."));
        await f.AsAsync(QueryFixture.QcLead, db => f.Service.ReopenAsync(db, query.Id, "Still only the localizer arrived."));
        await f.AsAsync(f.BerlinSiteUser, db => f.Service.AnswerAsync(db, query.Id, "Resent series 2 with 240 images."));
        await f.AsAsync(QueryFixture.QcLead, db => f.Service.ResolveAsync(db, query.Id, "Series complete."));
        var closed = await f.AsAsync(QueryFixture.QcLead, db => f.Service.CloseAsync(db, query.Id, null));

        Assert.Equal(QueryStatus.Closed, closed.Status);
        Assert.False(closed.IsOpen);
        Assert.Equal(1, closed.ReopenCount);
        await using var read = f.Db(Actor.System("tests"));
        var thread = await read.QueryMessages.Where(m => m.QueryId == query.Id).OrderBy(m => m.Number).Select(m => m.Kind).ToListAsync();
        Assert.Equal([QueryMessageKind.Raised, QueryMessageKind.Answer, QueryMessageKind.Reopened, QueryMessageKind.Answer, QueryMessageKind.Resolved, QueryMessageKind.Closed], thread);
        var audit = await read.AuditEvents.Where(e => e.EntityType == "Query" && e.EntityId == query.Id.ToString() && e.Action.StartsWith("Query"))
            .OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(["QueryRaised", "QueryAnswered", "QueryReopened", "QueryAnswered", "QueryResolved", "QueryClosed"], audit.Select(e => e.Action));
        var reopened = audit[2];
        Assert.Equal("u-qc", reopened.ActorId);
        Assert.Contains("Still only the localizer arrived.", reopened.NewValues);
        Assert.Contains(await read.AuditEvents.Where(e => e.Action == TrialFlow.Core.Audit.AuditActions.Update && e.EntityType == "Query").Select(e => e.Reason).ToListAsync(),
            r => r == $"Query {query.Reference} reopened: Still only the localizer arrived.");
    }

    [Fact]
    public async Task Answering_a_closed_query_is_refused_naming_the_query_and_its_status_and_saves_nothing()
    {
        await using var f = await QueryFixture.CreateAsync();
        var query = await f.RaiseAtBerlinAsync();
        await f.AsAsync(f.BerlinSiteUser, db => f.Service.AnswerAsync(db, query.Id, "Done."));
        await f.AsAsync(QueryFixture.QcLead, db => f.Service.ResolveAsync(db, query.Id, null));
        await f.AsAsync(QueryFixture.QcLead, db => f.Service.CloseAsync(db, query.Id, null));

        var refused = await Assert.ThrowsAsync<QueryTransitionException>(() => f.AsAsync(f.BerlinSiteUser, db => f.Service.AnswerAsync(db, query.Id, "One more thing")));

        Assert.Equal($"Query {query.Reference} is Closed: it cannot be answered. Nothing was saved.", refused.Message);
        await using var read = f.Db(Actor.System("tests"));
        Assert.Equal(4, await read.QueryMessages.CountAsync(m => m.QueryId == query.Id));
    }

    [Theory]
    [InlineData("resolve")]
    [InlineData("reopen")]
    [InlineData("close")]
    public async Task An_unanswered_query_cannot_be_resolved_reopened_or_closed(string action)
    {
        await using var f = await QueryFixture.CreateAsync();
        var query = await f.RaiseAtBerlinAsync();

        var refused = await Assert.ThrowsAsync<QueryTransitionException>(() => f.AsAsync(QueryFixture.QcLead, db => action switch
        {
            "resolve" => f.Service.ResolveAsync(db, query.Id, null),
            "reopen" => f.Service.ReopenAsync(db, query.Id, "why"),
            _ => f.Service.CloseAsync(db, query.Id, null),
        }));

        Assert.Equal(QueryStatus.Open, refused.Status);
        Assert.Contains(query.Reference, refused.Message);
    }

    [Fact]
    public async Task Cancelling_needs_a_reason_and_a_resolved_query_cannot_be_cancelled()
    {
        await using var f = await QueryFixture.CreateAsync();
        var first = await f.RaiseAtBerlinAsync();
        var second = await f.RaiseAtBerlinAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => f.AsAsync(QueryFixture.QcLead, db => f.Service.CancelAsync(db, first.Id, " ")));
        var cancelled = await f.AsAsync(QueryFixture.QcLead, db => f.Service.CancelAsync(db, first.Id, "Raised on the wrong subject."));
        await f.AsAsync(f.BerlinSiteUser, db => f.Service.AnswerAsync(db, second.Id, "Sent."));
        await f.AsAsync(QueryFixture.QcLead, db => f.Service.ResolveAsync(db, second.Id, null));

        Assert.Equal(QueryStatus.Cancelled, cancelled.Status);
        Assert.Equal("Raised on the wrong subject.", cancelled.Messages[^1].Text);
        await Assert.ThrowsAsync<QueryTransitionException>(() => f.AsAsync(QueryFixture.QcLead, db => f.Service.CancelAsync(db, second.Id, "too late")));
    }

    [Fact]
    public async Task A_site_user_cannot_decide_on_a_query_and_an_inspector_cannot_answer_or_raise()
    {
        await using var f = await QueryFixture.CreateAsync();
        var query = await f.RaiseAtBerlinAsync();
        await f.AsAsync(f.BerlinSiteUser, db => f.Service.AnswerAsync(db, query.Id, "Sent."));

        await Assert.ThrowsAsync<QueryPermissionException>(() => f.AsAsync(f.BerlinSiteUser, db => f.Service.ResolveAsync(db, query.Id, "fine by me")));
        await Assert.ThrowsAsync<QueryPermissionException>(() => f.AsAsync(QueryFixture.Inspector, db => f.Service.ReopenAsync(db, query.Id, "no")));
        await Assert.ThrowsAsync<QueryPermissionException>(() => f.RaiseAtBerlinAsync(by: QueryFixture.Inspector));
        await Assert.ThrowsAsync<QueryPermissionException>(() => f.RaiseAtBerlinAsync(by: f.BerlinSiteUser));
    }

    [Fact]
    public async Task Another_sites_user_neither_sees_nor_answers_the_query()
    {
        await using var f = await QueryFixture.CreateAsync();
        var query = await f.RaiseAtBerlinAsync();

        await Assert.ThrowsAsync<QueryNotFoundException>(() => f.AsAsync(f.ParisSiteUser, db => f.Service.AnswerAsync(db, query.Id, "Not ours")));
        var visible = await f.AsAsync(f.ParisSiteUser, db => db.Queries.CountAsync());
        var messages = await f.AsAsync(f.ParisSiteUser, db => db.QueryMessages.CountAsync());
        Assert.Equal((0, 0), (visible, messages));
    }

    [Fact]
    public async Task A_workflow_step_raising_again_after_a_crash_gets_the_query_it_raised()
    {
        await using var f = await QueryFixture.CreateAsync();
        var draft = new QueryDraft(QueryCategory.QcFailure, "QC failed", "Slice thickness 7.5 mm") { WorkflowKey = "instance-1/pointer-7", WorkflowInstanceId = "instance-1" };

        var first = await f.AsAsync(Actor.System("workflows"), db => f.Service.RaiseAsync(db, f.Trial.Berlin.Id, draft));
        var again = await f.AsAsync(Actor.System("workflows"), db => f.Service.RaiseAsync(db, f.Trial.Berlin.Id, draft));

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(1, await f.AsAsync(Actor.System("tests"), db => db.Queries.CountAsync()));
    }

    [Fact]
    public async Task Resolving_or_cancelling_a_query_tells_the_other_modules_once_after_the_save_with_the_waiting_workflow()
    {
        await using var f = await QueryFixture.CreateAsync();
        var ended = new List<QueryEnded>();
        var dispatcher = TestEvents.Dispatcher(f.Database.Options, f.Database.Clock, services => services
            .AddSingleton(ended).AddModuleEventHandler<QueryEnded, RecordingHandler>());
        var draft = new QueryDraft(QueryCategory.QcFailure, "QC failed", "Slice thickness 7.5 mm") { WorkflowKey = "i/p", WorkflowInstanceId = "i" };
        var fromWorkflow = await f.AsAsync(Actor.System("workflows"), db => f.Service.RaiseAsync(db, f.Trial.Berlin.Id, draft));
        var byPerson = await f.RaiseAtBerlinAsync();
        await f.AsAsync(f.BerlinSiteUser, db => f.Service.AnswerAsync(db, fromWorkflow.Id, "Rescanned."));
        Assert.Equal(0, await dispatcher.DispatchPendingAsync());

        await f.AsAsync(QueryFixture.QcLead, db => f.Service.ResolveAsync(db, fromWorkflow.Id, null));
        await f.AsAsync(QueryFixture.QcLead, db => f.Service.CancelAsync(db, byPerson.Id, "Raised on the wrong visit."));
        await dispatcher.DispatchPendingAsync();
        await dispatcher.DispatchPendingAsync();

        Assert.Equal([(fromWorkflow.Id, QueryStatus.Resolved, "i"), (byPerson.Id, QueryStatus.Cancelled, null)],
            ended.Select(e => (e.QueryId, e.Status, e.WorkflowInstanceId)));
        Assert.All(ended, e => Assert.Equal((f.Trial.Trial.Id, f.Trial.Berlin.Id), (e.TrialId, e.SiteId)));
    }

    [Fact]
    public async Task A_query_end_a_workflow_had_not_heard_of_before_the_upgrade_is_delivered_as_QueryEnded_after_it()
    {
        await using var f = await QueryFixture.CreateAsync();
        var draft = new QueryDraft(QueryCategory.QcFailure, "QC failed", "Slice thickness 7.5 mm") { WorkflowKey = "i/p", WorkflowInstanceId = "i" };
        var query = await f.AsAsync(Actor.System("workflows"), db => f.Service.RaiseAsync(db, f.Trial.Berlin.Id, draft));
        await f.AsAsync(f.BerlinSiteUser, db => f.Service.AnswerAsync(db, query.Id, "Rescanned."));
        var resolved = await f.AsAsync(QueryFixture.QcLead, db => f.Service.ResolveAsync(db, query.Id, null));

        // Back to the schema before this event existed, where the query carried its own pending flag, then up again.
        await using (var db = f.Db(Actor.System("tests")))
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("Outbox");
            await db.Database.ExecuteSqlRawAsync("""DELETE FROM "Outbox"; UPDATE "Queries" SET "EndEventPending" = TRUE""");
            await migrator.MigrateAsync();
        }
        var ended = new List<QueryEnded>();
        await TestEvents.Dispatcher(f.Database.Options, f.Database.Clock, services => services
            .AddSingleton(ended).AddModuleEventHandler<QueryEnded, RecordingHandler>()).DispatchPendingAsync();

        var delivered = Assert.Single(ended);
        Assert.Equal((query.Id, f.Trial.Trial.Id, f.Trial.Berlin.Id, query.Reference, QueryStatus.Resolved, "i", resolved.ResolvedAt),
            (delivered.QueryId, delivered.TrialId, delivered.SiteId, delivered.Reference, delivered.Status, delivered.WorkflowInstanceId, (DateTime?)delivered.EndedAt));
    }

    private sealed class RecordingHandler(List<QueryEnded> ended) : IModuleEventHandler<QueryEnded>
    {
        public Task HandleAsync(QueryEnded moduleEvent, EventDelivery delivery, CancellationToken cancellationToken)
        {
            ended.Add(moduleEvent);
            return Task.CompletedTask;
        }
    }
}
