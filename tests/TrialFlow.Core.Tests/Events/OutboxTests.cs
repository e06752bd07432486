using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TrialFlow.Core.Events;

namespace TrialFlow.Core.Tests.Events;

public sealed record SomethingHappened(Guid Id, string Note) : IModuleEvent;

/// <summary>What each handler was given, by handler and event id.</summary>
public sealed class Deliveries
{
    public ConcurrentQueue<(string Handler, Guid EventId, int Attempt)> Seen { get; } = new();

    public int FailuresLeft { get; set; }

    public int Count(string handler) => Seen.Count(s => s.Handler == handler);
}

public sealed class FirstHandler(Deliveries deliveries) : IModuleEventHandler<SomethingHappened>
{
    public Task HandleAsync(SomethingHappened moduleEvent, EventDelivery delivery, CancellationToken cancellationToken)
    {
        deliveries.Seen.Enqueue((nameof(FirstHandler), delivery.EventId, delivery.Attempt));
        return Task.CompletedTask;
    }
}

public sealed class FlakyHandler(Deliveries deliveries) : IModuleEventHandler<SomethingHappened>
{
    public Task HandleAsync(SomethingHappened moduleEvent, EventDelivery delivery, CancellationToken cancellationToken)
    {
        deliveries.Seen.Enqueue((nameof(FlakyHandler), delivery.EventId, delivery.Attempt));
        if (deliveries.FailuresLeft-- > 0)
            throw new InvalidOperationException("the EDC is down");
        return Task.CompletedTask;
    }
}

public sealed class OutboxTests
{
    private static OutboxDispatcher Dispatcher(TestDatabase database, Deliveries deliveries) =>
        TestEvents.Dispatcher(database.Options, database.Clock, services => services
            .AddSingleton(deliveries)
            .AddModuleEventHandler<SomethingHappened, FirstHandler>()
            .AddModuleEventHandler<SomethingHappened, FlakyHandler>());

    private static async Task<ImagingStudy> ReceivingStudyAsync(TestDatabase database)
    {
        await using var db = database.Context(Actor.System("tests"));
        var trial = await SmallTrial.SaveAsync(db);
        var study = new ImagingStudy(trial.Trial.Id, trial.Berlin.Id, trial.BerlinSubject.Id, null, "1.2.3.4", database.Clock.GetUtcNow().UtcDateTime);
        db.Studies.Add(study);
        await db.SaveChangesAsync();
        return study;
    }

    [Fact]
    public async Task Completing_a_study_writes_StudyCompleted_to_the_outbox_in_the_same_save_and_only_once()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        var created = await ReceivingStudyAsync(database);
        var completedAt = database.Clock.GetUtcNow().UtcDateTime;

        await using (var db = database.Context(Actor.System("intake")))
        {
            var study = await db.Studies.SingleAsync(s => s.Id == created.Id);
            study.MarkComplete(completedAt);
            study.MarkComplete(completedAt.AddMinutes(1));
            await db.SaveChangesAsync();
            study.Describe(null, "saved again");
            await db.SaveChangesAsync();
        }

        await using var read = database.Context(Actor.System("tests"));
        var message = Assert.Single(await read.Outbox.ToListAsync());
        Assert.Equal("StudyCompleted", message.Type);
        Assert.Equal(new StudyCompleted(created.Id, created.TrialId, created.SiteId, completedAt), JsonSerializer.Deserialize<StudyCompleted>(message.Payload));
        Assert.Null(message.DispatchedAt);
    }

    [Fact]
    public async Task A_rolled_back_save_leaves_no_event_and_a_failed_save_writes_its_events_once_when_retried()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        var created = await ReceivingStudyAsync(database);

        await using (var db = database.Context(Actor.System("intake")))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            (await db.Studies.SingleAsync(s => s.Id == created.Id)).MarkComplete(database.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }
        await using (var db = database.Context(Actor.System("tests")))
            Assert.Empty(await db.Outbox.ToListAsync());

        // A save refused before it reached the database (a change outside the actor's sites) keeps the events for the
        // next attempt, which writes them once.
        await using (var db = database.Context(new Actor("u-site", "Sigrid Site-Coordinator", TrialFlowRoles.SiteUser, SiteScope.Of([created.TrialId], [created.SiteId]))))
        {
            db.Publish(new SomethingHappened(Guid.NewGuid(), "kept"));
            (await db.Studies.SingleAsync(s => s.Id == created.Id)).MarkComplete(database.Clock.GetUtcNow().UtcDateTime);
            var elsewhere = new Notifications.StaffNotification(created.TrialId, Guid.NewGuid(), "DataManager", "elsewhere", "not this site's", null, created.ReceivedAt);
            db.StaffNotifications.Add(elsewhere);
            await Assert.ThrowsAsync<SiteAccessDeniedException>(() => db.SaveChangesAsync());
            db.Entry(elsewhere).State = EntityState.Detached;
            await db.SaveChangesAsync();
        }
        await using (var db = database.Context(Actor.System("tests")))
            Assert.Equal(["SomethingHappened", "StudyCompleted"], (await db.Outbox.Select(m => m.Type).ToListAsync()).Order());
    }

    [Fact]
    public async Task Each_handler_gets_an_event_once_when_dispatched_twice_or_by_two_dispatchers_at_once()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using (var db = database.Context(Actor.System("tests")))
        {
            for (var i = 0; i < 5; i++)
                db.Publish(new SomethingHappened(Guid.NewGuid(), $"event {i}"));
            await db.SaveChangesAsync();
        }
        var deliveries = new Deliveries();
        var one = Dispatcher(database, deliveries);
        var other = Dispatcher(database, deliveries);

        var delivered = await Task.WhenAll(one.DispatchPendingAsync(), other.DispatchPendingAsync());
        Assert.Equal(5, delivered.Sum());
        Assert.Equal(0, await one.DispatchPendingAsync());

        Assert.Equal(5, deliveries.Count(nameof(FirstHandler)));
        Assert.Equal(5, deliveries.Count(nameof(FlakyHandler)));
        Assert.Equal(10, deliveries.Seen.Distinct().Count());
        await using var read = database.Context(Actor.System("tests"));
        Assert.All(await read.Outbox.ToListAsync(), m => Assert.NotNull(m.DispatchedAt));
        Assert.Equal(10, await read.OutboxDeliveries.CountAsync(d => d.DeliveredAt != null && d.Attempts == 1));
    }

    [Fact]
    public async Task A_failing_handler_is_retried_after_its_backoff_with_its_error_visible_and_the_others_are_not_called_again()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using (var db = database.Context(Actor.System("tests")))
        {
            db.Publish(new SomethingHappened(Guid.NewGuid(), "to the EDC"));
            await db.SaveChangesAsync();
        }
        var deliveries = new Deliveries { FailuresLeft = 2 };
        var dispatcher = Dispatcher(database, deliveries);

        Assert.Equal(0, await dispatcher.DispatchPendingAsync());
        await using (var db = database.Context(Actor.System("tests")))
        {
            var failing = await db.OutboxDeliveries.SingleAsync(d => d.Handler == nameof(FlakyHandler));
            Assert.Equal((1, null, "InvalidOperationException: the EDC is down"), (failing.Attempts, failing.DeliveredAt, failing.LastError));
            Assert.NotNull((await db.OutboxDeliveries.SingleAsync(d => d.Handler == nameof(FirstHandler))).DeliveredAt);
        }

        // Not before the backoff: 5 s after the first failure, 10 s after the second.
        Assert.Equal(0, await dispatcher.DispatchPendingAsync());
        Assert.Equal(1, deliveries.Count(nameof(FlakyHandler)));
        database.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await dispatcher.DispatchPendingAsync());
        database.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await dispatcher.DispatchPendingAsync());
        database.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await dispatcher.DispatchPendingAsync());

        Assert.Equal([1, 2, 3], deliveries.Seen.Where(s => s.Handler == nameof(FlakyHandler)).Select(s => s.Attempt));
        Assert.Equal(1, deliveries.Count(nameof(FirstHandler)));
        await using var read = database.Context(Actor.System("tests"));
        var delivered = await read.OutboxDeliveries.SingleAsync(d => d.Handler == nameof(FlakyHandler));
        Assert.Equal(3, delivered.Attempts);
        Assert.NotNull(delivered.DeliveredAt);
        Assert.Equal("InvalidOperationException: the EDC is down", delivered.LastError);
    }

    [Fact]
    public async Task A_handler_failing_three_times_in_a_row_is_reported_stuck_until_it_succeeds()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        var happened = new SomethingHappened(Guid.NewGuid(), "to the EDC");
        await using (var db = database.Context(Actor.System("tests")))
        {
            db.Publish(happened);
            await db.SaveChangesAsync();
        }
        var deliveries = new Deliveries { FailuresLeft = 3 };
        var dispatcher = Dispatcher(database, deliveries);
        var options = new OutboxOptions();

        async Task<IReadOnlyList<StuckDelivery>> StuckAfterPassAsync()
        {
            await dispatcher.DispatchPendingAsync();
            database.Clock.Advance(options.MaxRetry);
            await using var db = database.Context(Actor.System("tests"));
            return await StuckDeliveries.ListAsync(db, options);
        }

        Assert.Empty(await StuckAfterPassAsync());
        Assert.Empty(await StuckAfterPassAsync());
        var stuck = Assert.Single(await StuckAfterPassAsync());
        Assert.Equal((nameof(FlakyHandler), nameof(SomethingHappened), 3, "InvalidOperationException: the EDC is down"),
            (stuck.Handler, stuck.EventType, stuck.Attempts, stuck.LastError));
        Assert.Empty(await StuckAfterPassAsync());
        Assert.Equal(4, deliveries.Count(nameof(FlakyHandler)));
    }

    [Fact]
    public async Task A_commit_with_events_wakes_the_dispatcher_and_the_outbox_is_not_audited()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        var signal = database.Options.Outbox;

        var woken = signal.Next;
        await using (var db = database.Context(Actor.System("tests")))
        {
            db.Publish(new SomethingHappened(Guid.NewGuid(), "own transaction"));
            await db.SaveChangesAsync();
        }
        Assert.True(woken.IsCompleted);

        await using (var db = database.Context(Actor.System("tests")))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Publish(new SomethingHappened(Guid.NewGuid(), "caller's transaction"));
            woken = signal.Next;
            await db.SaveChangesAsync();
            Assert.False(woken.IsCompleted);
            await transaction.CommitAsync();
            Assert.True(woken.IsCompleted);
        }

        await Dispatcher(database, new Deliveries()).DispatchPendingAsync();
        await using var read = database.Context(Actor.System("tests"));
        Assert.Equal(4, await read.OutboxDeliveries.CountAsync(d => d.DeliveredAt != null));
        Assert.False(await read.AuditEvents.AnyAsync(e => e.EntityType.StartsWith("Outbox")));
    }
}
