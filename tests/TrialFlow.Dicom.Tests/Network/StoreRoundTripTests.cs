using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TrialFlow.Dicom.Tests.Network;

/// <summary>Our SCU against our SCP.</summary>
public sealed class StoreRoundTripTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("trialflow-net-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Echo_from_our_SCU_succeeds()
    {
        await using var scp = await TestScp.StartAsync(output);
        var status = await scp.Client().EchoAsync();
        Assert.Equal(DicomStatus.Success, status);
    }

    [Fact]
    public async Task Echo_from_an_unregistered_site_is_rejected_with_calling_AE_title_not_recognized()
    {
        await using var scp = await TestScp.StartAsync(output);
        var ex = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => scp.Client(o => o.CallingAeTitle = "STRANGER").EchoAsync());
        Assert.Equal(DicomRejectResult.Permanent, ex.Result);
        Assert.Equal(DicomRejectSource.ServiceUser, ex.RejectSource);
        Assert.Equal(DicomRejectReason.CallingAeTitleNotRecognized, ex.Reason);
    }

    [Theory]
    [InlineData(4096u)]
    [InlineData(16384u)]
    [InlineData(0u)]
    public async Task A_large_multiframe_instance_arrives_intact_over_many_PDUs(uint maxSendPdu)
    {
        var path = WriteMultiframe(frames: 24, rows: 256, columns: 256); // ~3 MiB of pixel data
        await using var scp = await TestScp.StartAsync(output, o => o.MaxPduLength = maxSendPdu == 4096 ? 4096u : 256u * 1024);
        var results = await scp.Client(o => o.MaxSendPduLength = maxSendPdu).StoreFilesAsync([path]);
        var result = Assert.Single(results);
        Assert.True(result.IsSuccess, $"{result.Status} {result.ErrorComment}");
        var received = Assert.Single(scp.Handler.Committed);
        Assert.Equal(NetworkCorpus.DataSetBytes(path), received.DataSet);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, received.Request.TransferSyntax);
    }

    [Fact]
    public async Task The_corpus_goes_through_our_SCU_to_our_SCP_byte_for_byte_in_each_files_syntax()
    {
        await using var scp = await TestScp.StartAsync(output, o => o.MaxPduLength = 4096);
        var files = NetworkCorpus.StorableFiles();
        var results = await scp.Client().StoreFilesAsync(files);
        Assert.All(results, r => Assert.True(r.IsSuccess, $"{r.Path}: {r.Status} {r.ErrorComment}"));
        var received = scp.Handler.Committed.ToList();
        Assert.Equal(files.Count, received.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var header = DicomPart10.ReadHeader(files[i]);
            Assert.Equal(header.SopInstanceUid, received[i].Request.SopInstanceUid);
            Assert.Equal(header.TransferSyntaxUid, received[i].Request.TransferSyntax.Uid);
            Assert.True(NetworkCorpus.DataSetBytes(files[i]).AsSpan().SequenceEqual(received[i].DataSet), files[i]);
        }
    }

    [Fact]
    public async Task A_file_is_re_encoded_in_implicit_VR_when_the_SCP_accepts_nothing_else()
    {
        await using var scp = await TestScp.StartAsync(output, o => o.TransferSyntaxes = [DicomTransferSyntax.ImplicitVRLittleEndian.Uid]);
        var path = Path.Combine(NetworkCorpus.Folder, "CT_small.dcm");
        var results = await scp.Client().StoreFilesAsync([path, Path.Combine(NetworkCorpus.Folder, "JPEG2000.dcm")]);
        Assert.True(results[0].IsSuccess, $"{results[0].Status} {results[0].ErrorComment}");
        Assert.Null(results[1].Status); // encapsulated data cannot be re-encoded: reported, not sent
        Assert.Contains("no accepted presentation context", results[1].ErrorComment, StringComparison.Ordinal);
        var received = Assert.Single(scp.Handler.Committed);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, received.Request.TransferSyntax);
        var meta = DicomPart10.CreateFileMetaInformation(received.Request.SopClassUid, received.Request.SopInstanceUid, received.Request.TransferSyntax.Uid);
        var copy = TrialFlow.Dicom.IO.Reading.DicomFileReader.Read(new MemoryStream([.. meta, .. received.DataSet]));
        Assert.Equal("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", copy.Dataset.GetString(DicomTags.SOPInstanceUID));
    }

    [Fact]
    public async Task A_failing_store_handler_answers_a_failure_status_and_the_association_goes_on()
    {
        var handler = new RecordingStoreHandler
        {
            FailOnBegin = r => r.SopInstanceUid.EndsWith(".1", StringComparison.Ordinal) ? new DicomStoreException(DicomStatus.DataSetDoesNotMatchSopClass, "not a CT") : null,
            FailOnCommit = r => r.SopInstanceUid.EndsWith(".2", StringComparison.Ordinal) ? new IOException("disk full") : null,
        };
        var paths = Enumerable.Range(1, 4).Select(i => WriteSmall($"1.2.826.0.1.3680043.10.1.{i}")).ToList();
        await using var scp = await TestScp.StartAsync(output, handler: handler);
        var results = await scp.Client().StoreFilesAsync(paths);
        Assert.Equal(DicomStatus.DataSetDoesNotMatchSopClass, results[0].Status);
        Assert.Equal("not a CT", results[0].ErrorComment);
        Assert.Equal(DicomStatus.OutOfResources, results[1].Status);
        Assert.Contains("disk full", results[1].ErrorComment, StringComparison.Ordinal);
        Assert.True(results[2].IsSuccess);
        Assert.True(results[3].IsSuccess);
        Assert.Equal(2, handler.Committed.Count);
        Assert.Equal(1, handler.Discarded); // the sink whose commit failed was disposed without being kept
        var summary = Assert.Single(await scp.Observer.WaitForAsync(1));
        Assert.Equal((DicomAssociationOutcome.Released, 2, 2), (summary.Outcome, summary.InstancesStored, summary.InstancesFailed));
    }

    [Fact]
    public async Task A_handler_throwing_an_unexpected_exception_answers_processing_failure()
    {
        var handler = new RecordingStoreHandler { FailOnBegin = _ => new InvalidOperationException("bug") };
        await using var scp = await TestScp.StartAsync(output, handler: handler);
        var results = await scp.Client().StoreFilesAsync([WriteSmall("1.2.826.0.1.3680043.10.1.9"), WriteSmall("1.2.826.0.1.3680043.10.1.10")]);
        Assert.All(results, r => Assert.Equal(DicomStatus.ProcessingFailure, r.Status));
    }

    [Fact]
    public async Task An_unknown_SOP_class_is_not_accepted_and_the_file_is_reported_not_sent()
    {
        var ds = SmallDataset("1.2.826.0.1.3680043.10.1.20");
        ds.AddOrUpdate(DicomTags.SOPClassUID, "1.2.826.0.1.3680043.10.999");
        var path = Path.Combine(_dir.FullName, "unknown.dcm");
        DicomFileWriter.Write(ds, path);
        await using var scp = await TestScp.StartAsync(output);
        var result = Assert.Single(await scp.Client().StoreFilesAsync([path]));
        Assert.Null(result.Status);
        Assert.Empty(scp.Handler.Committed);
    }

    [Fact]
    public async Task Only_max_associations_are_served_at_once_and_the_next_is_rejected_as_transient()
    {
        await using var scp = await TestScp.StartAsync(output, o => o.MaxAssociations = 1);
        var echo = new DicomProposedContext(DicomServerDefaults.VerificationSopClassUid, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid]);
        var first = await scp.Client().AssociateAsync([echo]);
        await using (first)
        {
            var ex = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => scp.Client().AssociateAsync([echo]));
            Assert.Equal(DicomRejectResult.Transient, ex.Result);
            Assert.Equal(DicomRejectSource.ServiceProviderPresentation, ex.RejectSource);
            Assert.Equal(DicomStatus.Success, await first.EchoAsync());
            await first.ReleaseAsync();
        }
    }

    [Fact]
    public async Task Negotiation_accepts_compressed_syntaxes_as_is_and_rejects_what_it_cannot_take()
    {
        await using var scp = await TestScp.StartAsync(output);
        const string ct = "1.2.840.10008.5.1.4.1.1.2";
        var association = await scp.Client().AssociateAsync(
        [
            new DicomProposedContext(ct, ["1.2.840.10008.1.2", "1.2.840.10008.1.2.4.90"]),
            new DicomProposedContext(ct, ["1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1"]),
            new DicomProposedContext(ct, ["1.2.840.10008.1.2.4.100"]),               // MPEG2: not accepted
            new DicomProposedContext("1.2.826.0.1.3680043.10.999", ["1.2.840.10008.1.2"]), // unknown SOP class
        ]);
        await using (association)
        {
            Assert.Equal(2, association.AcceptedContexts.Count);
            Assert.Equal("1.2.840.10008.1.2.4.90", association.AcceptedContexts[0].TransferSyntax);
            Assert.Equal("1.2.840.10008.1.2.1", association.AcceptedContexts[1].TransferSyntax);
            await association.ReleaseAsync();
        }
    }

    [Fact]
    public async Task TLS_association_with_a_self_signed_certificate_stores_a_file()
    {
        using var certificate = TestCertificates.SelfSigned("localhost");
        await using var scp = await TestScp.StartAsync(output, o => o.Tls = new DicomTlsOptions { Certificate = certificate });
        var client = scp.Client(o => o.Tls = new DicomClientTlsOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidation = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString(),
        });
        Assert.Equal(DicomStatus.Success, await client.EchoAsync());
        var result = Assert.Single(await client.StoreFilesAsync([Path.Combine(NetworkCorpus.Folder, "CT_small.dcm")]));
        Assert.True(result.IsSuccess);
        Assert.Single(scp.Handler.Committed);
    }

    [Fact]
    public async Task A_client_certificate_the_validation_callback_accepts_reaches_the_association_policy_as_its_SHA256()
    {
        using var server = TestCertificates.SelfSigned("localhost");
        using var site = TestCertificates.SelfSigned("site01-pacs");
        var shown = new List<string?>();
        await using var scp = await TestScp.StartAsync(output, o => o.Tls = new DicomTlsOptions
        {
            Certificate = server,
            // A self-signed certificate fails the platform's chain policy: the callback (the host pins per site) decides.
            ClientCertificateValidation = (_, cert, _, _) =>
            {
                lock (shown)
                    shown.Add(cert?.Subject);
                return cert is null || cert.GetCertHashString() == site.GetCertHashString();
            },
        });
        DicomClientTlsOptions Tls(X509Certificate2? client) => new()
        {
            TargetHost = "localhost",
            RemoteCertificateValidation = (_, cert, _, _) => cert?.GetCertHashString() == server.GetCertHashString(),
            ClientCertificate = client,
        };

        Assert.Equal(DicomStatus.Success, await scp.Client(o => o.Tls = Tls(site)).EchoAsync());
        Assert.Equal(DicomStatus.Success, await scp.Client(o => o.Tls = Tls(null)).EchoAsync());
        using var stranger = TestCertificates.SelfSigned("someone-else");
        await Assert.ThrowsAnyAsync<DicomNetworkException>(() => scp.Client(o => { o.Tls = Tls(stranger); o.ResponseTimeout = TimeSpan.FromSeconds(10); }).EchoAsync());

        var requests = scp.Policy.Seen.Select(s => s.Request.ClientCertificateSha256).ToList();
        Assert.Equal([Convert.ToHexStringLower(SHA256.HashData(site.RawData)), null], requests);
        Assert.Contains("CN=site01-pacs", shown);
    }

    [Fact]
    public async Task A_plain_client_cannot_talk_to_a_TLS_server()
    {
        using var certificate = TestCertificates.SelfSigned("localhost");
        await using var scp = await TestScp.StartAsync(output, o =>
        {
            o.Tls = new DicomTlsOptions { Certificate = certificate };
            o.ArtimTimeout = TimeSpan.FromSeconds(2);
        });
        await Assert.ThrowsAnyAsync<DicomNetworkException>(() => scp.Client(o => o.ResponseTimeout = TimeSpan.FromSeconds(10)).EchoAsync());
    }

    private string WriteMultiframe(int frames, int rows, int columns)
    {
        var pixels = new byte[frames * rows * columns * 2];
        new Random(42).NextBytes(pixels);
        var ds = SmallDataset("1.2.826.0.1.3680043.10.1.100");
        ds.AddOrUpdate(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.4.1"); // Enhanced MR
        ds.Add(DicomTags.SamplesPerPixel, (ushort)1);
        ds.Add(DicomTags.PhotometricInterpretation, "MONOCHROME2");
        ds.Add(DicomTags.NumberOfFrames, frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ds.Add(DicomTags.Rows, (ushort)rows);
        ds.Add(DicomTags.Columns, (ushort)columns);
        ds.Add(DicomTags.BitsAllocated, (ushort)16);
        ds.Add(DicomTags.BitsStored, (ushort)16);
        ds.Add(DicomTags.HighBit, (ushort)15);
        ds.Add(DicomTags.PixelRepresentation, (ushort)0);
        ds.Add(new DicomElement(DicomTags.PixelData, DicomVR.OW, pixels));
        var path = Path.Combine(_dir.FullName, "multiframe.dcm");
        DicomFileWriter.Write(ds, path);
        return path;
    }

    private string WriteSmall(string sopInstanceUid)
    {
        var path = Path.Combine(_dir.FullName, sopInstanceUid + ".dcm");
        DicomFileWriter.Write(SmallDataset(sopInstanceUid), path);
        return path;
    }

    private static DicomDataset SmallDataset(string sopInstanceUid) => new()
    {
        { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2" },
        { DicomTags.SOPInstanceUID, sopInstanceUid },
        { DicomTags.PatientID, "SUBJ-001" },
        { DicomTags.StudyInstanceUID, "1.2.826.0.1.3680043.10.2.1" },
    };
}
