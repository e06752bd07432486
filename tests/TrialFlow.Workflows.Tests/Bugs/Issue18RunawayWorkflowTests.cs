using static TrialFlow.Workflows.Tests.Support.Flowcharts;

namespace TrialFlow.Workflows.Tests.Bugs;

/// <summary>
/// Issue 18: a Decision → Notify → Decision loop published and sent 2,512 notifications in 40 s; a workflow file with an
/// unknown activity stopped start-up but left its draft row. Loops must wait, a runaway instance is stopped, and seeding
/// writes nothing for a file that does not validate.
/// </summary>
public sealed class Issue18RunawayWorkflowTests
{
    private static readonly WorkflowValidator Validator = new(ActivityCatalog.Default);

    private static WorkflowDocument Loop(string id, params ActivityNode[] between)
    {
        ActivityNode[] nodes =
        [
            Node("completed", "StudyCompleted"),
            Node("check", "Decision", ("condition", InputExpression.Literal(true))),
            Node("tell", "Notify", ("title", InputExpression.Literal("Still looping"))),
            .. between,
        ];
        var path = new[] { "check", "tell" }.Concat(between.Select(b => b.Id)).ToList();
        var edges = new List<Connection> { Edge("completed", "done", "check"), Edge("check", "true", "tell") };
        for (var i = 1; i < path.Count - 1; i++)
            edges.Add(Edge(path[i], "done", path[i + 1]));
        edges.Add(Edge(path[^1], "done", "check"));
        return Document(id, nodes, edges);
    }

    [Fact]
    public void A_loop_without_a_waiting_activity_is_refused_with_the_loop_named()
    {
        var error = Assert.Single(Validator.Validate(Loop("storm")));

        Assert.Equal(WorkflowValidator.LoopWithoutWait, error.Code);
        Assert.Contains("'check' (Decision) → 'tell' (Notify) → 'check'", error.Message);
        Assert.Contains("WaitForSignal", error.Message);
    }

    [Fact]
    public void A_self_loop_and_a_loop_beside_a_waiting_one_are_refused_too()
    {
        var self = Document("self", [Node("completed", "StudyCompleted"), Node("check", "Decision", ("condition", InputExpression.Literal(true)))],
            [Edge("completed", "done", "check"), Edge("check", "true", "check")]);
        Assert.Contains("'check' (Decision) → 'check'", Assert.Single(Validator.Validate(self)).Message);

        // check → tell → check never passes the wait, although check → wait → check does.
        var document = Loop("beside");
        document = document with
        {
            Root = document.Root with
            {
                Activities = [.. document.Root.Activities, Node("wait", "WaitForSignal", ("signal", InputExpression.Literal("Go ahead")))],
                Connections = [.. document.Root.Connections, Edge("check", "false", "wait"), Edge("wait", "done", "check")],
            },
        };
        Assert.Contains("'check' (Decision) → 'tell' (Notify) → 'check'", Assert.Single(Validator.Validate(document)).Message);
    }

    [Fact]
    public void A_loop_through_a_waiting_activity_is_accepted()
    {
        Assert.Empty(Validator.Validate(Loop("paced", Node("wait", "WaitForSignal", ("signal", InputExpression.Literal("Go ahead"))))));
        Assert.Empty(Validator.Validate(Loop("timed", Node("later", "Delay", ("duration", InputExpression.Literal("1.00:00:00"))))));
    }

    [Fact]
    public void The_catalog_marks_the_activities_that_wait()
    {
        var waits = ActivityCatalog.Default.Descriptors.Where(d => d.Waits).Select(d => d.Type).Order(StringComparer.Ordinal);
        Assert.Equal(["Adjudicate", "Delay", "EscalateAfter", "WaitForQueryResolution", "WaitForReads", "WaitForSignal"], waits);
    }

    [Fact]
    public async Task Publishing_a_loop_without_a_wait_is_refused()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        var e = await Assert.ThrowsAsync<WorkflowInvalidException>(() => harness.PublishAsync(Loop("storm")));

        Assert.Contains(e.Errors, x => x.Code == WorkflowValidator.LoopWithoutWait);
        await using var wf = harness.Store.Context();
        Assert.False(await wf.Versions.AnyAsync());
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task A_runaway_instance_is_terminated_at_the_step_cap_with_an_incident()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        // A version that slipped past the validator (published before loops had to wait): written straight to the tables.
        var document = Loop("storm");
        await using (var wf = harness.Store.Context())
        {
            wf.Definitions.Add(new WorkflowDefinitionRecord { DefinitionId = "storm", Name = "storm", TrialId = harness.TrialId, DraftJson = WorkflowJson.Write(document), UpdatedBy = "legacy" });
            wf.Versions.Add(new WorkflowVersionRecord { DefinitionId = "storm", Version = 1, Json = WorkflowJson.Write(document with { Version = 1, IsPublished = true }), PublishedBy = "legacy", Reason = "before issue 18" });
            await wf.SaveChangesAsync();
        }
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.1800"));
        await harness.StartEngineAsync();
        await harness.Starter.StartPendingAsync(CancellationToken.None);

        var stopped = await harness.WaitForInstanceAsync(study, v => v.Status == "Terminated" && v.Incidents.Count > 0, "the runaway is stopped");
        // Give a storm that was not stopped polls to show itself in.
        await harness.PollsPassAsync();

        var cap = new WorkflowRuntimeOptions().MaxStepsPerMinute;
        var incident = Assert.Single(stopped.Incidents);
        Assert.Contains("runaway", incident.Message);
        Assert.Contains($"{cap} activities within a minute", incident.Message);
        await using var check = harness.Store.Context();
        var notifications = await check.Notifications.CountAsync();
        Assert.InRange(notifications, cap / 2 - 2, cap / 2 + 2);
        await using var db = harness.Db();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "WorkflowIncident" && e.EntityId == stopped.Id));
        Assert.InRange(await db.AuditEvents.CountAsync(), 0, cap + 100);
        Assert.Equal("Terminated", (await harness.Workflows.FindAsync(stopped.Id))!.Status);
    }

    [Fact]
    public async Task Seeding_a_file_with_an_unknown_activity_stops_with_its_message_and_writes_nothing()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        var directory = Path.Combine(harness.DataDirectory, "workflows");
        Directory.CreateDirectory(directory);
        File.Copy(Repository.Path("workflows", "qc-gate.json"), Path.Combine(directory, "a-qc-gate.json"));
        var broken = Chain("broken-seed", (Node("x", "RunQcc"), "done"));
        await File.WriteAllTextAsync(Path.Combine(directory, "b-broken.json"), WorkflowJson.Write(broken));

        var e = await Assert.ThrowsAsync<WorkflowInvalidException>(() => harness.Definitions.SeedAsync(directory, WorkflowHarness.StudyManager));

        Assert.Equal("b-broken.json", e.File);
        Assert.Contains("unknown type 'RunQcc'", e.Message);
        await using var wf = harness.Store.Context();
        Assert.False(await wf.Definitions.AnyAsync(d => d.DefinitionId == "broken-seed"));
        Assert.False(await wf.Versions.AnyAsync(v => v.DefinitionId == "broken-seed"));
        // The valid file before it was seeded whole: draft and version.
        var gate = WorkflowHarness.ShippedQcGate().DefinitionId;
        Assert.True(await wf.Versions.AnyAsync(v => v.DefinitionId == gate));
    }
}
