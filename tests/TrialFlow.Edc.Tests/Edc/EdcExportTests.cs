using System.Net;
using TrialFlow.Workflows.Activities;

namespace TrialFlow.Edc.Tests.Edc;

public sealed class EdcExportTests
{
    private static async Task<Guid> SeedStudyAsync(EdcTrial edc)
    {
        await using var db = edc.Context();
        var subject = new Subject(edc.TrialId, edc.Sites["101"], "101-001", SubjectStatus.Enrolled);
        var baseline = subject.AddVisit(edc.Visits["BASELINE"], new DateOnly(2026, 3, 2));
        var study = new ImagingStudy(edc.TrialId, subject.SiteId, subject.Id, baseline.Id, "1.2.3.9", new DateTime(2026, 3, 3, 9, 0, 0, DateTimeKind.Utc));
        db.Subjects.Add(subject);
        db.Studies.Add(study);
        await db.SaveChangesAsync();
        return study.Id;
    }

    private static EdcVisitResultsExporter Exporter(EdcTrial edc, IEdcDelivery delivery) =>
        new(new WorkflowDatabase(edc.Options, new WorkflowStore(edc.Options), edc.Clock),
            new EdcMappings(new EdcOptions { MappingDirectory = TrialFlow.Testing.Repository.Path("templates", "edc") }),
            delivery, new NoOpenQueryCounts(), new NoReviewProgress(), edc.Clock);

    [Fact]
    public async Task A_visit_is_dropped_once_as_valid_ODM_and_a_rerun_of_the_same_step_delivers_nothing_new()
    {
        await using var edc = await EdcTrial.CreateAsync();
        var studyId = await SeedStudyAsync(edc);
        var folder = Path.Combine(edc.Directory, "edc-drop");
        var exporter = Exporter(edc, new FileDropDelivery(folder));
        var request = new VisitExportRequest("instance-1/pointer-7", edc.TrialId, studyId, "workflow test");

        var first = await exporter.ExportAsync(request, CancellationToken.None);
        var again = await exporter.ExportAsync(request, CancellationToken.None);

        Assert.False(first.AlreadyDelivered);
        Assert.Equal((first.Target, true), (again.Target, again.AlreadyDelivered));
        var file = Assert.Single(Directory.GetFiles(folder));
        Assert.StartsWith("101-001_BASELINE_", Path.GetFileName(file));
        var odm = XDocument.Load(file, LoadOptions.SetLineInfo);
        Assert.Empty(OdmStructureValidator.Validate(odm));
        Assert.Contains(odm.Descendants(Odm.Ns + "ItemData"), i => (string?)i.Attribute("ItemOID") == "IT.IMG.STUID" && (string?)i.Attribute("Value") == "1.2.3.9");
        await using var db = edc.Context();
        var audit = await db.AuditEvents.Where(e => e.Action == EdcVisitResultsExporter.ExportedAction).ToListAsync();
        Assert.Equal("instance-1/pointer-7", Assert.Single(audit).EntityId);
        Assert.Contains("\"reason\":\"workflow test\"", audit[0].NewValues);
    }

    [Fact]
    public async Task An_endpoint_that_refuses_the_export_fails_it_with_the_HTTP_status_and_nothing_is_recorded_as_delivered()
    {
        await using var edc = await EdcTrial.CreateAsync();
        var studyId = await SeedStudyAsync(edc);
        var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable, "EDC in maintenance");
        var exporter = Exporter(edc, new HttpPostDelivery(new HttpClient(handler), new Uri("https://edc.example/odm/import"), "edc-token"));

        var error = await Assert.ThrowsAsync<EdcDeliveryException>(() =>
            exporter.ExportAsync(new VisitExportRequest("instance-2/pointer-1", edc.TrialId, studyId, "workflow test"), CancellationToken.None));

        Assert.Contains("HTTP 503", error.Message);
        Assert.Contains("EDC in maintenance", error.Message);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal(("instance-2/pointer-1", "Bearer edc-token"), (sent.Headers.GetValues("Idempotency-Key").Single(), sent.Headers.Authorization!.ToString()));
        await using var db = edc.Context();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == EdcVisitResultsExporter.ExportedAction));

        // The endpoint is back: the retry of the same step delivers, once.
        handler.Status = HttpStatusCode.Accepted;
        var receipt = await exporter.ExportAsync(new VisitExportRequest("instance-2/pointer-1", edc.TrialId, studyId, "workflow test"), CancellationToken.None);
        Assert.Equal("https://edc.example/odm/import", receipt.Target);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == EdcVisitResultsExporter.ExportedAction));
    }

    [Fact]
    public async Task A_study_without_a_visit_is_refused_with_what_to_do()
    {
        await using var edc = await EdcTrial.CreateAsync();
        Guid studyId;
        await using (var db = edc.Context())
        {
            var subject = new Subject(edc.TrialId, edc.Sites["101"], "101-002", SubjectStatus.Enrolled);
            var study = new ImagingStudy(edc.TrialId, subject.SiteId, subject.Id, null, "1.2.3.10", DateTime.UtcNow);
            db.Subjects.Add(subject);
            db.Studies.Add(study);
            await db.SaveChangesAsync();
            studyId = study.Id;
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Exporter(edc, new FileDropDelivery(edc.Directory))
            .ExportAsync(new VisitExportRequest("k", edc.TrialId, studyId, "r"), CancellationToken.None));

        Assert.Contains("not matched to a registered visit", error.Message);
    }

    private sealed class RecordingHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public HttpStatusCode Status { get; set; } = status;

        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(Status) { Content = new StringContent(body) });
        }
    }
}
