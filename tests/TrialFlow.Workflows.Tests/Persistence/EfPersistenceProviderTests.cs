using WorkflowCore.Models;
namespace TrialFlow.Workflows.Tests.Persistence;

public sealed class EfPersistenceProviderTests
{
    [Fact]
    public async Task An_event_older_than_a_wait_never_releases_it()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        var provider = harness.Services.GetRequiredService<EfPersistenceProvider>();
        var t0 = new DateTime(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);
        await provider.CreateEvent(new Event { EventName = "QueryResolved", EventKey = "query-7", EventTime = t0, EventData = "old" });
        await provider.CreateEventSubscription(new EventSubscription { WorkflowId = "w", ExecutionPointerId = "p", EventName = "QueryResolved", EventKey = "query-7", SubscribeAsOf = t0.AddMinutes(5) });

        Assert.Empty(await provider.GetEvents("QueryResolved", "query-7", t0.AddMinutes(5)));
        Assert.Empty(await provider.GetSubscriptions("QueryResolved", "query-7", t0));

        var fresh = await provider.CreateEvent(new Event { EventName = "QueryResolved", EventKey = "query-7", EventTime = t0.AddMinutes(6), EventData = "new" });
        Assert.Equal([fresh], await provider.GetEvents("QueryResolved", "query-7", t0.AddMinutes(5)));
        Assert.Single(await provider.GetSubscriptions("QueryResolved", "query-7", t0.AddMinutes(6)));
        Assert.Empty(await provider.GetEvents("QueryResolved", "query-8", t0));
        Assert.Equal("new", (await provider.GetEvent(fresh)).EventData);
    }

    [Fact]
    public async Task Local_times_from_the_engine_are_stored_as_utc_and_instances_round_trip()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        var provider = harness.Services.GetRequiredService<EfPersistenceProvider>();
        var due = new DateTime(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);
        var instance = new WorkflowInstance
        {
            WorkflowDefinitionId = "wf",
            Version = 2,
            Status = WorkflowStatus.Runnable,
            Data = new StudyWorkflowData { StudyId = Guid.NewGuid().ToString(), TrialId = Guid.NewGuid().ToString() },
            CreateTime = due.ToLocalTime(),
            NextExecution = due.Ticks,
            Reference = "wf:x",
        };
        instance.ExecutionPointers.Add(new ExecutionPointer { Id = "p", StepId = 1, Active = true, PersistenceData = "{\"Attempt\":1}", Outcome = "true", SleepUntil = due.ToLocalTime(), Status = PointerStatus.Sleeping });
        var id = await provider.CreateNewWorkflow(instance);

        var loaded = await provider.GetWorkflowInstance(id);

        Assert.Equal((DateTimeKind.Utc, due), (loaded.CreateTime.Kind, loaded.CreateTime));
        var pointer = Assert.Single(loaded.ExecutionPointers);
        Assert.Equal(("{\"Attempt\":1}", "true", due), ((string)pointer.PersistenceData, (string)pointer.Outcome, pointer.SleepUntil!.Value));
        Assert.Equal(((StudyWorkflowData)instance.Data).StudyId, ((StudyWorkflowData)loaded.Data).StudyId);
        Assert.Empty(await provider.GetRunnableInstances(due.AddSeconds(-1).ToLocalTime()));
        Assert.Equal([id], await provider.GetRunnableInstances(due.ToLocalTime()));
    }
}
