using TrialFlow.Testing.Peers;

namespace TrialFlow.Dicom.Tests.Network;

/// <summary>
/// Three patients in Orthanc (a real PACS) and our SCP as the C-MOVE destination it knows as TRIALFLOW: what our
/// Query/Retrieve SCU finds there and what a retrieve delivers.
/// </summary>
public sealed class QueryRetrieveOrthancFixture : IAsyncLifetime
{
    public const string Alpha = "P-ALPHA", Beta = "P-BETA", Gamma = "P-GAMMA";

    /// <summary>Study UID → (patient, instances).</summary>
    public Dictionary<string, (string Patient, int Instances)> Studies { get; } = new()
    {
        ["1.2.826.0.1.3680043.8.498.71.1"] = (Alpha, 3),
        ["1.2.826.0.1.3680043.8.498.71.2"] = (Alpha, 2),
        ["1.2.826.0.1.3680043.8.498.72.1"] = (Beta, 2),
        ["1.2.826.0.1.3680043.8.498.73.1"] = (Gamma, 1),
    };

    public TestScp Destination { get; private set; } = default!;

    public OrthancPeer Pacs { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Destination = await TestScp.StartAsync(alsoAcceptCallingAeTitles: OrthancPeer.AeTitle);
        Pacs = await OrthancPeer.StartAsync([new OrthancModality(TestScp.AeTitle, "127.0.0.1", Destination.Port)]);
        var day = 0;
        foreach (var (study, (patient, instances)) in Studies)
            for (var i = 1; i <= instances; i++)
                await Pacs.UploadAsync(DicomSamples.CtImage(patientId: patient, studyDate: $"202603{++day % 28 + 1:00}", study: study, instance: i));
    }

    /// <summary>Our SCU as Orthanc knows it (TRIALFLOW), so it may query and retrieve.</summary>
    public DicomClient Scu() => new("127.0.0.1", Pacs.DicomPort,
        new DicomClientOptions { CallingAeTitle = TestScp.AeTitle, CalledAeTitle = OrthancPeer.AeTitle, ResponseTimeout = TimeSpan.FromSeconds(30) });

    public async Task DisposeAsync()
    {
        await Pacs.DisposeAsync();
        await Destination.DisposeAsync();
    }
}

[Trait("Category", "Peer")]
public sealed class QueryRetrieveOrthancTests(QueryRetrieveOrthancFixture pacs) : IClassFixture<QueryRetrieveOrthancFixture>
{
    [Fact]
    public async Task A_study_level_find_by_patient_id_returns_that_patients_studies_with_their_counts_and_no_one_elses()
    {
        var identifier = DicomQueryRetrieve.Identifier(DicomQueryLevel.Study, new Dictionary<DicomTag, string?> { [DicomTags.PatientID] = QueryRetrieveOrthancFixture.Alpha });

        var matches = await pacs.Scu().FindAsync(DicomQueryRetrieve.StudyRootFind, identifier);
        var nobody = await pacs.Scu().FindAsync(DicomQueryRetrieve.StudyRootFind,
            DicomQueryRetrieve.Identifier(DicomQueryLevel.Study, new Dictionary<DicomTag, string?> { [DicomTags.PatientID] = "P-NOBODY" }));

        Assert.Equal(
            pacs.Studies.Where(s => s.Value.Patient == QueryRetrieveOrthancFixture.Alpha).Select(s => (s.Key, s.Value.Instances.ToString(System.Globalization.CultureInfo.InvariantCulture))).Order(),
            matches.Select(m => (m.GetString(DicomTags.StudyInstanceUID)!, m.GetString(DicomTags.NumberOfStudyRelatedInstances)!)).Order());
        Assert.All(matches, m => Assert.Equal(QueryRetrieveOrthancFixture.Alpha, m.GetString(DicomTags.PatientID)));
        Assert.All(matches, m => Assert.Equal("CT", m.GetString(DicomTags.ModalitiesInStudy)));
        Assert.All(matches, m => Assert.Equal("STUDY", m.GetString(DicomTags.QueryRetrieveLevel)));
        Assert.Empty(nobody);
    }

    [Fact]
    public async Task A_series_level_find_within_a_study_returns_its_series_with_the_instance_count()
    {
        const string study = "1.2.826.0.1.3680043.8.498.71.1";
        var identifier = DicomQueryRetrieve.Identifier(DicomQueryLevel.Series, new Dictionary<DicomTag, string?> { [DicomTags.StudyInstanceUID] = study });

        var series = Assert.Single(await pacs.Scu().FindAsync(DicomQueryRetrieve.StudyRootFind, identifier));

        Assert.Equal(($"{study}.1", "CT", "3"),
            (series.GetString(DicomTags.SeriesInstanceUID), series.GetString(DicomTags.Modality), series.GetString(DicomTags.NumberOfSeriesRelatedInstances)));
    }

    [Fact]
    public async Task A_move_of_one_study_delivers_exactly_its_instances_to_the_destination_and_reports_progress()
    {
        const string study = "1.2.826.0.1.3680043.8.498.72.1";
        var before = pacs.Destination.Handler.Committed.Count;
        var progress = new List<DicomRetrieveProgress>();

        var result = await pacs.Scu().MoveAsync(DicomQueryRetrieve.StudyRootMove,
            DicomQueryRetrieve.RetrieveIdentifier(study),
            TestScp.AeTitle, new SynchronousProgress(progress));

        Assert.True(result.Status.IsSuccess, $"{result.Status} {result.ErrorComment}\n{pacs.Pacs.Log()}");
        Assert.Equal((2, 0, 0), (result.Completed, result.Failed, result.Warning));
        var received = pacs.Destination.Handler.Committed.Skip(before).Select(r => r.Request.SopInstanceUid).Order().ToList();
        Assert.Equal([$"{study}.1.1", $"{study}.1.2"], received);
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.Equal(2, p.Remaining + p.Completed + p.Failed + p.Warning));
    }

    [Fact]
    public async Task A_move_to_a_destination_the_PACS_does_not_know_fails_and_sends_nothing()
    {
        var before = pacs.Destination.Handler.Committed.Count;

        var result = await pacs.Scu().MoveAsync(DicomQueryRetrieve.StudyRootMove,
            DicomQueryRetrieve.RetrieveIdentifier("1.2.826.0.1.3680043.8.498.73.1"),
            "NOWHERE");

        Assert.True(result.Status.IsFailure, $"{result.Status}");
        Assert.Equal(0, result.Completed);
        Assert.Equal(before, pacs.Destination.Handler.Committed.Count);
    }

    [Fact]
    public async Task A_get_of_one_study_brings_exactly_its_instances_back_on_the_same_association_byte_for_byte_as_stored()
    {
        const string study = "1.2.826.0.1.3680043.8.498.71.2";
        var received = new RecordingStoreHandler();
        var progress = new List<DicomRetrieveProgress>();

        var result = await pacs.Scu().GetAsync(DicomQueryRetrieve.StudyRootGet,
            DicomQueryRetrieve.RetrieveIdentifier(study),
            received, progress: new SynchronousProgress(progress));

        Assert.True(result.Status.IsSuccess, $"{result.Status} {result.ErrorComment}\n{pacs.Pacs.Log()}");
        Assert.Equal((2, 0, 0), (result.Completed, result.Failed, result.Warning));
        var instances = received.Committed.OrderBy(r => r.Request.SopInstanceUid).ToList();
        Assert.Equal([$"{study}.1.1", $"{study}.1.2"], instances.Select(r => r.Request.SopInstanceUid));
        // What came back reads as the CT image that was stored: same patient, study and pixel bytes.
        var sent = DicomFileReader.Read(new MemoryStream(DicomSamples.CtImage(patientId: QueryRetrieveOrthancFixture.Alpha, study: study, instance: 1))).Dataset;
        var back = DicomFileReader.Read(new MemoryStream([.. DicomPart10.CreateFileMetaInformation(instances[0].Request.SopClassUid, instances[0].Request.SopInstanceUid,
            instances[0].Request.TransferSyntax.Uid, "ORTHANC"), .. instances[0].DataSet])).Dataset;
        Assert.Equal(sent.GetString(DicomTags.PatientID), back.GetString(DicomTags.PatientID));
        Assert.Equal(((DicomElement)sent[DicomTags.PixelData]!).Buffer.GetBytes().ToArray(), ((DicomElement)back[DicomTags.PixelData]!).Buffer.GetBytes().ToArray());
        Assert.DoesNotContain(pacs.Destination.Handler.Committed, c => c.Request.SopInstanceUid.StartsWith(study, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_get_whose_instances_the_handler_refuses_ends_with_the_failures_counted_and_named()
    {
        const string study = "1.2.826.0.1.3680043.8.498.73.1";
        var refusing = new RecordingStoreHandler { FailOnBegin = _ => new DicomStoreException(DicomStatus.OutOfResources, "disk full (test)") };

        var result = await pacs.Scu().GetAsync(DicomQueryRetrieve.StudyRootGet,
            DicomQueryRetrieve.RetrieveIdentifier(study), refusing);

        Assert.False(result.Status.IsSuccess, $"{result.Status}");
        Assert.Equal((0, 1), (result.Completed, result.Failed));
        Assert.Equal([$"{study}.1.1"], result.FailedInstanceUids);
        Assert.Empty(refusing.Committed);
    }

    [Fact]
    public async Task Stopping_a_find_after_its_first_match_cancels_it_and_the_association_answers_the_next_query()
    {
        var client = pacs.Scu();
        var association = await client.AssociateAsync([new DicomProposedContext(DicomQueryRetrieve.StudyRootFind, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid])]);
        await using (association)
        {
            var all = DicomQueryRetrieve.Identifier(DicomQueryLevel.Study, new Dictionary<DicomTag, string?>());
            var first = new List<string>();
            await foreach (var match in association.FindAsync(DicomQueryRetrieve.StudyRootFind, all))
            {
                first.Add(match.GetString(DicomTags.StudyInstanceUID)!);
                break;
            }

            var again = new List<string>();
            await foreach (var match in association.FindAsync(DicomQueryRetrieve.StudyRootFind, all))
                again.Add(match.GetString(DicomTags.StudyInstanceUID)!);
            await association.ReleaseAsync();

            Assert.Single(first);
            Assert.Equal(pacs.Studies.Keys.Order(), again.Order());
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; a test wants the reports in order, as they came.</summary>
    private sealed class SynchronousProgress(List<DicomRetrieveProgress> reports) : IProgress<DicomRetrieveProgress>
    {
        public void Report(DicomRetrieveProgress value) => reports.Add(value);
    }
}
