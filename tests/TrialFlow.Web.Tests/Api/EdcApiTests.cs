using System.Xml.Linq;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Serialization;
using TrialFlow.Edc;

namespace TrialFlow.Web.Tests.Api;

[Collection(AppCollection.Name)]
public sealed class EdcApiTests(TrialFlowApp app)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private string Edc(string path) => $"/api/trials/{app.TrialId}/edc/{path}";

    private static object Push(string subjectKey, string site, string visitKey, string? date) =>
        new { enrolments = new[] { new { subjectKey, siteNumber = site, visits = new[] { new { visitKey, date } } } } };

    [Fact]
    public async Task The_EDC_service_account_pushes_an_enrolment_and_the_same_push_again_changes_nothing()
    {
        using var edc = await app.ClientAsync("t-edcservice");

        using var first = await edc.PostAsJsonAsync(Edc("enrolments"), Push("102-901", "102", "BASELINE", "2026-05-04"));
        using var second = await edc.PostAsJsonAsync(Edc("enrolments"), Push("102-901", "102", "BASELINE", "2026-05-04"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var applied = (await first.Content.ReadFromJsonAsync<RegistryImportReport>(Json))!;
        Assert.True(applied.Applied);
        Assert.Equal([RegistryChangeKind.SubjectEnrolled, RegistryChangeKind.VisitAdded], applied.Changes.Select(c => c.Kind));
        var again = (await second.Content.ReadFromJsonAsync<RegistryImportReport>(Json))!;
        Assert.Equal((HttpStatusCode.OK, false, 0), (second.StatusCode, again.Applied, again.Changes.Count));
        var subject = await app.QueryAsync(db => db.Subjects.Include(s => s.Visits).SingleAsync(s => s.SubjectKey == "102-901"));
        Assert.Equal(app.Sites["102"], subject.SiteId);
        Assert.Single(subject.Visits);
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEvents.CountAsync(e => e.Action == RegistryImport.ImportedAction && e.ActorName == "Test EdcService")));

        // The service account pushes; it reads no trial records.
        Assert.Equal(HttpStatusCode.Forbidden, (await edc.GetAsync($"/api/subjects/{subject.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await edc.GetAsync(Edc("reconciliation"))).StatusCode);
        using var file = await edc.PostAsync(Edc("registry/import"), new StringContent("SubjectKey,SiteNumber,VisitKey,VisitDate\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Forbidden, file.StatusCode);
    }

    [Fact]
    public async Task A_conflicting_ODM_import_answers_409_with_its_conflicts_and_changes_nothing()
    {
        using var client = await app.ClientAsync("t-datamanager");
        const string odm = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" ODMVersion="1.3.2" FileType="Snapshot" FileOID="EDC.1" CreationDateTime="2026-06-01T08:00:00Z">
              <ClinicalData StudyOID="ST.TF-ONC-301" MetaDataVersionOID="MDV.TF-ONC-301.1">
                <SubjectData SubjectKey="101-001"><SiteRef LocationOID="LOC.201"/></SubjectData>
                <SubjectData SubjectKey="301-901"><SiteRef LocationOID="LOC.301"/><StudyEventData StudyEventOID="SE.WK99"/></SubjectData>
              </ClinicalData>
            </ODM>
            """;
        var subjectsBefore = await app.QueryAsync(db => db.Subjects.CountAsync());

        using var response = await client.PostAsync(Edc("registry/import?fileName=edc-conflict.xml"), new StringContent(odm, Encoding.UTF8, "application/xml"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<RegistryImportReport>(Json))!;
        Assert.Equal([(RegistryConflictKind.UnknownVisit, "301-901"), (RegistryConflictKind.SubjectMovedSite, "101-001")], report.Conflicts.Select(c => (c.Kind, c.SubjectKey)));
        Assert.False(report.Applied);
        Assert.Equal(subjectsBefore, await app.QueryAsync(db => db.Subjects.CountAsync()));
        Assert.Equal(app.Sites["101"], await app.QueryAsync(db => db.Subjects.Where(s => s.SubjectKey == "101-001").Select(s => s.SiteId).SingleAsync()));
    }

    [Fact]
    public async Task An_unreadable_import_file_is_a_400_that_says_nothing_was_imported()
    {
        using var client = await app.ClientAsync("t-administrator");

        using var response = await client.PostAsync(Edc("registry/import?fileName=broken.xml"), new StringContent("<ODM", Encoding.UTF8, "application/xml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Nothing was imported", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("t-siteuser")]
    [InlineData("t-studymanager")]
    [InlineData("t-inspector")]
    [InlineData("t-monitor")]
    [InlineData("t-reader")]
    public async Task Only_data_managers_administrators_and_the_EDC_change_the_registry(string user)
    {
        using var client = await app.ClientAsync(user);

        using var push = await client.PostAsJsonAsync(Edc("enrolments"), Push("101-977", "101", "BASELINE", null));
        using var import = await client.PostAsync(Edc("registry/import"), new StringContent("SubjectKey,SiteNumber,VisitKey,VisitDate\n101-977,101,,\n", Encoding.UTF8, "text/csv"));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (push.StatusCode, import.StatusCode));
        Assert.False(await app.QueryAsync(db => db.Subjects.AnyAsync(s => s.SubjectKey == "101-977")));
    }

    [Theory]
    [InlineData("t-datamanager", HttpStatusCode.OK)]
    [InlineData("t-studymanager", HttpStatusCode.OK)]
    [InlineData("t-administrator", HttpStatusCode.OK)]
    [InlineData("t-inspector", HttpStatusCode.OK)]
    [InlineData("t-siteuser", HttpStatusCode.Forbidden)]
    [InlineData("t-reader", HttpStatusCode.Forbidden)]
    [InlineData("t-qclead", HttpStatusCode.Forbidden)]
    public async Task Exports_are_for_data_managers_study_managers_administrators_and_inspectors(string user, HttpStatusCode expected)
    {
        using var client = await app.ClientAsync(user);

        foreach (var path in new[] { Edc("reconciliation.csv"), Edc("imaging-status"), Edc("imaging-status.odm"), $"/api/trials/{app.TrialId}/sdtm/rs.csv" })
            Assert.True((await client.GetAsync(path)).StatusCode == expected, $"{user} GET {path}");
    }

    [Fact]
    public async Task The_status_ODM_validates_the_reconciliation_CSV_lists_the_demo_gaps_and_SDTM_has_its_header()
    {
        using var client = await app.ClientAsync("t-inspector");

        var odm = XDocument.Parse(await client.GetStringAsync(Edc("imaging-status.odm")), LoadOptions.SetLineInfo);
        Assert.Empty(OdmStructureValidator.Validate(odm));
        Assert.NotEmpty(odm.Descendants(Odm.Ns + "SubjectData"));

        using var csv = await client.GetAsync(Edc("reconciliation.csv"));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("Kind,SiteNumber,SubjectKey,VisitKey,StudyInstanceUID,Detail", await csv.Content.ReadAsStringAsync());

        Assert.StartsWith("STUDYID,DOMAIN,USUBJID,TUSEQ,", await client.GetStringAsync($"/api/trials/{app.TrialId}/sdtm/tu.csv"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/trials/{app.TrialId}/sdtm/dm.csv")).StatusCode);
    }

    [Fact]
    public async Task A_subjects_FHIR_bundle_parses_with_the_R4_deserializer_and_names_the_subject_and_WADO_RS()
    {
        using var client = await app.ClientAsync("t-datamanager");
        var subjectId = await app.QueryAsync(db => db.Subjects.Where(s => s.SubjectKey == "101-001").Select(s => s.Id).SingleAsync());

        using var response = await client.GetAsync($"/api/subjects/{subjectId}/fhir/imaging-studies");

        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(await response.Content.ReadAsStringAsync());
        Assert.Equal("101-001", bundle.Entry.Select(e => e.Resource).OfType<ResearchSubject>().Single().Identifier[0].Value);
        Assert.EndsWith("/dicomweb", bundle.Entry.Select(e => e.Resource).OfType<Endpoint>().Single().Address);
        using var siteUser = await app.ClientAsync("t-siteuser");
        Assert.Equal(HttpStatusCode.Forbidden, (await siteUser.GetAsync($"/api/subjects/{subjectId}/fhir/imaging-studies")).StatusCode);
    }

    [Fact]
    public async Task The_host_sends_ExportToEdc_results_to_a_drop_folder_under_its_data_directory_by_default()
    {
        var studyId = await app.QueryAsync(db => db.Studies.Where(s => s.VisitId != null).Select(s => s.Id).FirstAsync());
        var dataDirectory = app.Services.GetRequiredService<TrialFlow.Core.Persistence.DatabaseOptions>().DataDirectory;

        var receipt = await app.Services.GetRequiredService<TrialFlow.Workflows.Activities.IVisitResultsExporter>()
            .ExportAsync(new TrialFlow.Workflows.Activities.VisitExportRequest($"web-test/{Guid.NewGuid():N}", app.TrialId, studyId, "web test"), CancellationToken.None);

        Assert.Equal(Path.Combine(dataDirectory, "edc-export"), Path.GetDirectoryName(receipt.Target));
        Assert.Empty(OdmStructureValidator.Validate(XDocument.Load(receipt.Target, LoadOptions.SetLineInfo)));
    }
}
