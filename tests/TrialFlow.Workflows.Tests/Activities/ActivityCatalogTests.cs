namespace TrialFlow.Workflows.Tests.Activities;

public sealed class ActivityCatalogTests
{
    [Fact]
    public void The_catalog_describes_every_shipped_activity_from_its_attributes()
    {
        var catalog = ActivityCatalog.Default;

        Assert.Equal(["Adjudicate", "AssignReaders", "CompareReads", "Decision", "Delay", "EscalateAfter", "ExportToEdc", "Notify", "RaiseQuery", "RunQc", "SetStudyStatus", "StudyCompleted", "WaitForQueryResolution", "WaitForReads", "WaitForSignal"], catalog.Descriptors.Select(d => d.Type).Order(StringComparer.Ordinal));
        Assert.Equal(["passed", "failed", "error"], catalog.Get("RunQc").Ports);
        Assert.Equal(["resolved", "cancelled", "error"], catalog.Get("WaitForQueryResolution").Ports);
        Assert.Equal("qc-failure", catalog.Get("RaiseQuery").FindInput("template")!.Default!.Value.GetString());
        var decision = catalog.Get("Decision");
        Assert.Equal(["true", "false", "error"], decision.Ports);
        var condition = Assert.Single(decision.Inputs);
        Assert.Equal(("condition", InputKind.Boolean, true, true), (condition.Name, condition.Kind, condition.Required, condition.PreferJavaScript));
        var status = Assert.Single(catalog.Get("SetStudyStatus").Inputs);
        Assert.Contains("QcFailed", status.Choices);
        Assert.Equal("StudyManager", catalog.Get("Notify").FindInput("recipient")!.Default!.Value.GetString());
        Assert.True(catalog.Get("StudyCompleted").IsTrigger);
        Assert.Equal(InputKind.Duration, catalog.Get("Delay").FindInput("duration")!.Kind);
    }

    [Fact]
    public void A_type_outside_the_catalog_is_never_resolved()
    {
        Assert.Null(ActivityCatalog.Default.Find("System.IO.File"));
        Assert.Null(ActivityCatalog.Default.Find("decision"));
    }
}
