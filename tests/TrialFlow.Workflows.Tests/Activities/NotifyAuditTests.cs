using TrialFlow.Workflows.Activities.Builtin;
using System.Text.Json;

namespace TrialFlow.Workflows.Tests.Activities;

/// <summary>Notify's audit event is JSON whatever a title holds: what was typed is what the trail records.</summary>
public sealed class NotifyAuditTests
{
    [Fact]
    public async Task A_title_with_quotes_backslashes_and_line_breaks_is_recorded_as_typed()
    {
        await using var harness = await WorkflowHarness.CreateAsync();
        var study = await harness.ReceiveCompletedStudyAsync(new CtStudy("1.2.826.0.1.3680043.2.32"));
        var notify = ActivatorUtilities.CreateInstance<Notify>(harness.Services);
        notify.Recipient = "Site\"User";
        notify.Title = "Resend \"portal venous\"\nC:\\scans\t}";
        var context = new ActivityContext("instance-\"1\"", "wf", 1, "tell\n", "Notify", "p1", study, harness.TrialId, null, null, harness.Clock.GetUtcNow().UtcDateTime);

        await notify.ExecuteAsync(context, CancellationToken.None);

        await using var db = harness.Db();
        var details = await db.AuditEvents.Where(e => e.Action == "Notified").Select(e => e.NewValues).SingleAsync();
        using var json = JsonDocument.Parse(details!);
        Assert.Equal(notify.Recipient, json.RootElement.GetProperty("recipient").GetString());
        Assert.Equal(notify.Title, json.RootElement.GetProperty("title").GetString());
        Assert.Equal(study, json.RootElement.GetProperty("studyId").GetGuid());
        Assert.Equal("instance-\"1\"", json.RootElement.GetProperty("instance").GetString());
        Assert.Equal("tell\n", json.RootElement.GetProperty("activity").GetString());
    }
}
