using Microsoft.Extensions.DependencyInjection;
using TrialFlow.Workflows.Activities;

namespace TrialFlow.Edc.Tests.Edc;

/// <summary>
/// The imaging status sent to the EDC for <see cref="ReviewScenario"/>: open queries counted from the query table,
/// read and adjudication states and the accepted overall response from central review's tables.
/// </summary>
public sealed class ReviewedImagingStatusTests(ReviewScenario scenario) : IClassFixture<ReviewScenario>
{
    private static Dictionary<string, string> Items(XDocument odm, string subjectKey, string eventOid) => odm.Descendants(Odm.Ns + "SubjectData")
        .Single(s => (string?)s.Attribute("SubjectKey") == subjectKey).Elements(Odm.Ns + "StudyEventData")
        .Single(e => (string?)e.Attribute("StudyEventOID") == eventOid).Descendants(Odm.Ns + "ItemData")
        .ToDictionary(i => ((string)i.Attribute("ItemOID")!)["IT.IMG.".Length..], i => (string)i.Attribute("Value")!);

    private static Dictionary<string, string> Review(Dictionary<string, string> items) =>
        items.Where(i => i.Key is "OPENQRY" or "READ" or "ADJUD" or "OVRLRESP").ToDictionary();

    [Fact]
    public async Task The_status_export_carries_open_queries_read_and_adjudication_states_and_the_accepted_response()
    {
        var edc = scenario.Trial.Edc;
        await using var db = edc.Context(EdcTrial.DataManager);
        var statuses = await new ImagingVisitStatusQuery(db, new QueryTableOpenCounts(), new ReadTableReviewProgress()).ForTrialAsync(edc.TrialId, null, CancellationToken.None);
        var odm = OdmStatusExport.Build(EdcTrial.Mapping, new OdmStudyInfo("TF-ONC-301", "Reports test trial"), statuses, edc.Clock.GetUtcNow(), "TF.TEST.1");

        Assert.Empty(OdmStructureValidator.Validate(odm));
        // Baselines have no response; agreeing reads need no adjudication; week 6 of 101-001 was adjudicated to SD.
        Assert.Equal(new Dictionary<string, string> { ["OPENQRY"] = "0", ["READ"] = "READ", ["ADJUD"] = "NOT REQUIRED" }, Review(Items(odm, "101-001", "SE.BASELINE")));
        Assert.Equal(new Dictionary<string, string> { ["OPENQRY"] = "0", ["READ"] = "READ", ["ADJUD"] = "DONE", ["OVRLRESP"] = "SD" }, Review(Items(odm, "101-001", "SE.WK06")));
        Assert.Equal(new Dictionary<string, string> { ["OPENQRY"] = "1", ["READ"] = "READ", ["ADJUD"] = "NOT REQUIRED", ["OVRLRESP"] = "PR" }, Review(Items(odm, "101-001", "SE.WK12")));
        Assert.Equal(new Dictionary<string, string> { ["OPENQRY"] = "0", ["READ"] = "READ", ["ADJUD"] = "NOT REQUIRED", ["OVRLRESP"] = "PD" }, Review(Items(odm, "201-001", "SE.WK06")));
        Assert.Equal(new Dictionary<string, string> { ["OPENQRY"] = "0", ["READ"] = "READ", ["ADJUD"] = "PENDING" }, Review(Items(odm, "101-002", "SE.WK06")));
        // A draft and an unstarted task: in progress, and whether adjudication is needed is not known yet (left out).
        Assert.Equal(new Dictionary<string, string> { ["OPENQRY"] = "0", ["READ"] = "IN PROGRESS" }, Review(Items(odm, "201-001", "SE.WK12")));
    }

    [Fact]
    public async Task The_file_dropped_for_an_adjudicated_visit_carries_its_decided_state_and_response()
    {
        var edc = scenario.Trial.Edc;
        var folder = Path.Combine(edc.Directory, "edc-drop-" + Guid.NewGuid().ToString("N"));
        var exporter = new EdcVisitResultsExporter(new WorkflowDatabase(edc.Options, new WorkflowStore(edc.Options), edc.Clock),
            new EdcMappings(new EdcOptions { MappingDirectory = Repository.Path("templates", "edc") }),
            new FileDropDelivery(folder), new QueryTableOpenCounts(), new ReadTableReviewProgress(), edc.Clock);

        await exporter.ExportAsync(new VisitExportRequest($"review-test/{Guid.NewGuid():N}", edc.TrialId, scenario.First["WK06"], "review test"), CancellationToken.None);

        var odm = XDocument.Load(Assert.Single(Directory.GetFiles(folder)), LoadOptions.SetLineInfo);
        Assert.Empty(OdmStructureValidator.Validate(odm));
        Assert.Equal(new Dictionary<string, string> { ["OPENQRY"] = "0", ["READ"] = "READ", ["ADJUD"] = "DONE", ["OVRLRESP"] = "SD" }, Review(Items(odm, "101-001", "SE.WK06")));
    }

    [Fact]
    public void The_EDC_module_registers_the_sources_over_the_query_and_review_tables()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["TrialFlow:DataDirectory"] = scenario.Trial.Edc.Directory }).Build();
        var services = new ServiceCollection().AddLogging().AddTrialFlowDatabase(configuration)
            .AddTrialFlowEdc(configuration, Repository.Path());
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        Assert.IsType<QueryTableOpenCounts>(scope.ServiceProvider.GetRequiredService<IOpenQueryCounts>());
        Assert.IsType<ReadTableReviewProgress>(scope.ServiceProvider.GetRequiredService<IReviewProgressSource>());
        Assert.IsType<ReadTableSdtmSource>(scope.ServiceProvider.GetRequiredService<ISdtmResultsSource>());
    }
}
