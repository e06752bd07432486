using TrialFlow.Dicom.Web;
using TrialFlow.Testing.Peers;

namespace TrialFlow.Dicom.Tests.Web;

/// <summary>Orthanc with its DICOMweb plugin, loaded with two patients: what our DICOMweb client finds and retrieves there.</summary>
public sealed class DicomWebOrthancFixture : IAsyncLifetime
{
    public const string Delta = "P-DELTA", Echo = "P-ECHO";

    public Dictionary<string, (string Patient, int Instances)> Studies { get; } = new()
    {
        ["1.2.826.0.1.3680043.8.498.81.1"] = (Delta, 3),
        ["1.2.826.0.1.3680043.8.498.81.2"] = (Delta, 1),
        ["1.2.826.0.1.3680043.8.498.82.1"] = (Echo, 2),
    };

    public OrthancPeer Pacs { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Pacs = await OrthancPeer.StartAsync([new OrthancModality("TRIALFLOW", "127.0.0.1", 104)], dicomWeb: true);
        foreach (var (study, (patient, instances)) in Studies)
            for (var i = 1; i <= instances; i++)
                await Pacs.UploadAsync(DicomSamples.CtImage(patientId: patient, study: study, instance: i));
    }

    public DicomWebClient Client() => new(new HttpClient { BaseAddress = Pacs.DicomWebRoot });

    public Task DisposeAsync() => Pacs.DisposeAsync().AsTask();
}

[Trait("Category", "Peer")]
public sealed class DicomWebClientOrthancTests(DicomWebOrthancFixture pacs) : IClassFixture<DicomWebOrthancFixture>
{
    [Fact]
    public async Task Qido_finds_a_patients_studies_with_their_counts_as_a_c_find_on_the_same_PACS_does()
    {
        var byQido = await pacs.Client().SearchStudiesAsync(new Dictionary<string, string> { ["PatientID"] = DicomWebOrthancFixture.Delta, ["includefield"] = "NumberOfStudyRelatedInstances" });
        var byFind = await new DicomClient("127.0.0.1", pacs.Pacs.DicomPort, new DicomClientOptions { CallingAeTitle = "TRIALFLOW", CalledAeTitle = OrthancPeer.AeTitle })
            .FindAsync(DicomQueryRetrieve.StudyRootFind, DicomQueryRetrieve.Identifier(DicomQueryLevel.Study, new Dictionary<DicomTag, string?> { [DicomTags.PatientID] = DicomWebOrthancFixture.Delta }));

        var expected = pacs.Studies.Where(s => s.Value.Patient == DicomWebOrthancFixture.Delta).Select(s => (s.Key, s.Value.Instances.ToString(System.Globalization.CultureInfo.InvariantCulture))).Order();
        Assert.Equal(expected, byQido.Select(s => (s.GetString(DicomTags.StudyInstanceUID)!, s.GetString(DicomTags.NumberOfStudyRelatedInstances)!)).Order());
        Assert.Equal(expected, byFind.Select(s => (s.GetString(DicomTags.StudyInstanceUID)!, s.GetString(DicomTags.NumberOfStudyRelatedInstances)!)).Order());
        Assert.Empty(await pacs.Client().SearchStudiesAsync(new Dictionary<string, string> { ["PatientID"] = "P-NOBODY" }));
    }

    [Fact]
    public async Task Qido_lists_a_studys_series_and_a_series_instances()
    {
        const string study = "1.2.826.0.1.3680043.8.498.81.1";

        var series = Assert.Single(await pacs.Client().SearchSeriesAsync(study));
        var instances = await pacs.Client().SearchInstancesAsync(study, series.GetString(DicomTags.SeriesInstanceUID)!);

        Assert.Equal($"{study}.1", series.GetString(DicomTags.SeriesInstanceUID));
        Assert.Equal([$"{study}.1.1", $"{study}.1.2", $"{study}.1.3"], instances.Select(i => i.GetString(DicomTags.SOPInstanceUID)!).Order());
    }

    [Fact]
    public async Task Wado_retrieves_every_instance_of_a_study_as_part_10_with_the_pixels_that_were_stored()
    {
        const string study = "1.2.826.0.1.3680043.8.498.82.1";
        var received = new List<DicomFile>();

        var count = await pacs.Client().RetrieveAsync(study, null, (bytes, _) =>
        {
            received.Add(DicomFileReader.Read(new MemoryStream(bytes.ToArray())));
            return Task.CompletedTask;
        });

        Assert.Equal(2, count);
        Assert.Equal([$"{study}.1.1", $"{study}.1.2"], received.Select(f => f.Dataset.GetString(DicomTags.SOPInstanceUID)!).Order());
        var stored = DicomFileReader.Read(new MemoryStream(DicomSamples.CtImage(patientId: DicomWebOrthancFixture.Echo, study: study, instance: 1))).Dataset;
        var first = received.Single(f => f.Dataset.GetString(DicomTags.SOPInstanceUID) == $"{study}.1.1").Dataset;
        Assert.Equal(((DicomElement)stored[DicomTags.PixelData]!).Buffer.GetBytes().ToArray(), ((DicomElement)first[DicomTags.PixelData]!).Buffer.GetBytes().ToArray());
    }

    [Fact]
    public async Task A_study_the_PACS_does_not_have_is_an_error_naming_the_request_and_the_status()
    {
        var error = await Assert.ThrowsAsync<DicomWebException>(() => pacs.Client().RetrieveAsync("1.2.826.0.1.3680043.8.498.89.9", null, (_, _) => Task.CompletedTask));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.Status);
        Assert.Contains("studies/1.2.826.0.1.3680043.8.498.89.9", error.Message);
    }
}
