using TrialFlow.Dicom.Network;
using TrialFlow.Dicom.Web;
using TrialFlow.Testing.Peers;

namespace TrialFlow.Retrieval.Tests.Planning;

/// <summary>A site PACS (Orthanc, with DICOMweb) holding three patients, and a cohort of two of them.</summary>
public sealed class CohortPacsFixture : IAsyncLifetime
{
    public OrthancPeer Pacs { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Pacs = await OrthancPeer.StartAsync([new OrthancModality("TRIALFLOW", "127.0.0.1", 104)], dicomWeb: true);
        foreach (var (patient, date, study, instances) in new[]
                 {
                     ("MRN-0042", "20250301", "1.2.826.0.1.3680043.8.498.91.1", 3),
                     ("MRN-0042", "20240101", "1.2.826.0.1.3680043.8.498.91.2", 1),
                     ("MRN-0077", "20250615", "1.2.826.0.1.3680043.8.498.92.1", 2),
                     ("MRN-9999", "20250301", "1.2.826.0.1.3680043.8.498.99.1", 4),
                 })
            for (var i = 1; i <= instances; i++)
                await Pacs.UploadAsync(DicomSamples.CtImage(patientId: patient, studyDate: date, study: study, instance: i));
    }

    public IStudySource Dimse() => new DimseStudySource(new DicomClient("127.0.0.1", Pacs.DicomPort,
        new DicomClientOptions { CallingAeTitle = "TRIALFLOW", CalledAeTitle = OrthancPeer.AeTitle }));

    public IStudySource DicomWeb() => new DicomWebStudySource(new DicomWebClient(new HttpClient { BaseAddress = Pacs.DicomWebRoot }));

    public Task DisposeAsync() => Pacs.DisposeAsync().AsTask();
}

[Trait("Category", "Peer")]
public sealed class PlanAgainstOrthancTests(CohortPacsFixture site) : IClassFixture<CohortPacsFixture>
{
    private const string Cohort = """
        subject_id,patient_id,study_instance_uid,study_date_from,modality
        701-101,MRN-0042,,2025-01-01,CT
        701-102,,1.2.826.0.1.3680043.8.498.92.1,,
        701-103,MRN-0000,,,
        """;

    [Theory]
    [InlineData("DIMSE")]
    [InlineData("DICOMweb")]
    public async Task The_plan_shows_each_subjects_studies_with_their_counts_and_nothing_of_patients_outside_the_cohort(string protocol)
    {
        var pacs = protocol == "DIMSE" ? site.Dimse() : site.DicomWeb();

        var plan = await RetrievalPlanner.PlanAsync(pacs, CohortFile.Read(new StringReader(Cohort), "cohort.csv"));

        Assert.Equal(
            [
                ("701-101", "1.2.826.0.1.3680043.8.498.91.1", 3),
                ("701-102", "1.2.826.0.1.3680043.8.498.92.1", 2),
            ],
            plan.Rows.SelectMany(r => r.Studies.Select(s => (r.Entry.SubjectKey, s.StudyInstanceUid, s.Instances ?? -1))));
        Assert.Equal(["line 4: the PACS holds no study for this row"], plan.Problems.Select(p => p.Problem!));
        Assert.Equal((2, 5), (plan.Studies, plan.Instances));
        Assert.Equal(new DateOnly(2025, 3, 1), plan.Rows[0].Studies[0].StudyDate);
        Assert.Equal(["CT"], plan.Rows[0].Studies[0].Modalities);
    }
}
