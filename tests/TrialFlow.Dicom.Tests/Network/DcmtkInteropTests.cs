using System.Net;

namespace TrialFlow.Dicom.Tests.Network;

/// <summary>dcmtk 3.6.7's echoscu, storescu and storescp against our SCP and SCU.</summary>
[Trait("Category", "Peer")]
public sealed class DcmtkInteropTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Echoscu_from_a_registered_site_gets_a_successful_echo()
    {
        await using var scp = await TestScp.StartAsync(output);
        var result = await Dcmtk.RunAsync("echoscu", ["-aet", TestScp.SiteAeTitle, "-aec", TestScp.AeTitle, "127.0.0.1", scp.Port.ToString()]);
        output.WriteLine(result.Output);
        Assert.Equal(0, result.ExitCode);
        var (request, decision) = Assert.Single(scp.Policy.Seen);
        Assert.Equal(TestScp.SiteAeTitle, request.CallingAeTitle);
        Assert.Equal(TestScp.AeTitle, request.CalledAeTitle);
        Assert.True(IPAddress.IsLoopback(request.RemoteEndPoint.Address));
        Assert.True(decision.IsAccepted);
    }

    [Fact]
    public async Task Echoscu_with_an_unregistered_calling_AE_title_is_rejected_by_the_site_policy()
    {
        await using var scp = await TestScp.StartAsync(output);
        var result = await Dcmtk.RunAsync("echoscu", ["-aet", "INTRUDER", "-aec", TestScp.AeTitle, "127.0.0.1", scp.Port.ToString()]);
        output.WriteLine(result.Output);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Calling AE Title Not Recognized", result.Output, StringComparison.OrdinalIgnoreCase);
        var (request, decision) = Assert.Single(scp.Policy.Seen);
        Assert.Equal("INTRUDER", request.CallingAeTitle);
        Assert.False(decision.IsAccepted);
        var summary = Assert.Single(await scp.Observer.WaitForAsync(1));
        Assert.Equal(DicomAssociationOutcome.Rejected, summary.Outcome);
        Assert.Equal("INTRUDER", summary.CallingAeTitle);
        Assert.Contains("CallingAeTitleNotRecognized", summary.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Echoscu_calling_the_wrong_AE_title_is_rejected_before_the_policy()
    {
        await using var scp = await TestScp.StartAsync(output);
        var result = await Dcmtk.RunAsync("echoscu", ["-aet", TestScp.SiteAeTitle, "-aec", "OTHER", "127.0.0.1", scp.Port.ToString()]);
        output.WriteLine(result.Output);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Called AE Title Not Recognized", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(scp.Policy.Seen);
    }

    [Fact]
    public async Task Storescu_sends_the_pydicom_corpus_and_every_acknowledged_dataset_arrives_byte_for_byte_as_sent()
    {
        await using var scp = await TestScp.StartAsync(output);
        var files = NetworkCorpus.StorableFiles();
        Assert.True(files.Count >= 50, $"only {files.Count} corpus files found");
        foreach (var (name, reason) in NetworkCorpus.Excluded) output.WriteLine($"excluded {name}: {reason}");

        // The oracle for "what dcmtk sent": the same storescu runs against dcmtk's storescp in bit-preserving mode (+B),
        // which writes each dataset exactly as it came off the wire.
        var oracleDir = Directory.CreateTempSubdirectory("trialflow-oracle-");
        var oraclePort = Dcmtk.FreeLoopbackPort();
        using var storescp = Dcmtk.Start("storescp", ["-aet", "ORACLE", "+xa", "+B", "+uf", "-od", oracleDir.FullName, oraclePort.ToString()], oracleDir.FullName);
        try
        {
            // storescu 3.6.7 proposes a compressed syntax only when told to (-x?): one run per transfer syntax, with -R
            // (only the contexts the files need), so dcmtk sends every dataset in the syntax it is stored in.
            foreach (var group in files.GroupBy(f => DicomPart10.ReadHeader(f).TransferSyntaxUid))
            {
                string[] common = ["-aet", TestScp.SiteAeTitle, "-R", .. Dcmtk.ProposeOption(group.Key), "-nh"];
                var ours = await Dcmtk.RunAsync("storescu", [.. common, "-aec", TestScp.AeTitle, "127.0.0.1", scp.Port.ToString(), .. group], TimeSpan.FromMinutes(3));
                output.WriteLine($"{group.Key}: {group.Count()} files, exit {ours.ExitCode} {ours.Output}");
                Assert.Equal(0, ours.ExitCode);
                Dcmtk.Result theirs = new(-1, "");
                for (var attempt = 0; attempt < 50 && theirs.ExitCode != 0; attempt++)
                {
                    if (attempt > 0) await Task.Delay(100); // storescp may still be starting
                    theirs = await Dcmtk.RunAsync("storescu", [.. common, "-aec", "ORACLE", "127.0.0.1", oraclePort.ToString(), .. group], TimeSpan.FromMinutes(3));
                }
                Assert.True(theirs.ExitCode == 0, theirs.Output);
            }

            var received = scp.Handler.Committed.ToList();
            var missing = files.Where(f => !received.Any(r => r.Request.SopInstanceUid == NetworkCorpus.DataSetSopInstanceUid(f))).Select(Path.GetFileName);
            Assert.True(files.Count == received.Count, $"received {received.Count} of {files.Count}; missing: {string.Join(", ", missing)}");

            var oracle = Directory.GetFiles(oracleDir.FullName).Select(f => (Header: DicomPart10.ReadHeader(f), Path: f)).ToList();
            Assert.Equal(files.Count, oracle.Count);
            foreach (var r in received)
            {
                var sent = oracle.Where(o => o.Header.SopInstanceUid == r.Request.SopInstanceUid && o.Header.TransferSyntaxUid == r.Request.TransferSyntax.Uid)
                    .Select(o => NetworkCorpus.DataSetBytes(o.Path)).ToList();
                Assert.True(sent.Count > 0, $"{r.Request.SopInstanceUid} in {r.Request.TransferSyntax.Uid}: storescp got no such instance");
                Assert.True(sent.Any(b => b.AsSpan().SequenceEqual(r.DataSet)),
                    $"{r.Request.SopInstanceUid} in {r.Request.TransferSyntax.Uid}: our {r.DataSet.Length} bytes differ from what storescp received");
                Assert.Equal(TestScp.SiteAeTitle, r.Request.CallingAeTitle);
            }

            // Every file went out in its own transfer syntax (no conversion by storescu).
            foreach (var path in files)
            {
                var header = DicomPart10.ReadHeader(path);
                Assert.Contains(received, r => r.Request.SopInstanceUid == NetworkCorpus.DataSetSopInstanceUid(path)
                    && r.Request.TransferSyntax.Uid == header.TransferSyntaxUid && r.Request.SopClassUid == header.SopClassUid);
            }
            var identicalToSource = files.Count(f => received.Any(r => r.DataSet.AsSpan().SequenceEqual(NetworkCorpus.DataSetBytes(f))));
            output.WriteLine($"{received.Count} datasets identical to what dcmtk sent; {identicalToSource} also identical to the source file's dataset section");
        }
        finally
        {
            storescp.Kill();
            await storescp.WaitForExitAsync();
            oracleDir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// What survives a faithful re-encoding: dataset trailing padding (PS3.10 7.2) and group lengths may be dropped, and
    /// dcmtk writes encapsulated pixel data as OB even where a file said OW (PS3.5 A.4 requires OB).
    /// </summary>
    private static DicomDataset Comparable(DicomDataset ds) => new(ds
        .Where(i => !i.Tag.IsGroupLength && i.Tag != new DicomTag(0xFFFCFFFC))
        .Select(i => i is DicomFragmentSequence f ? new DicomFragmentSequence(f.Tag, DicomVR.OB, f.OffsetTable, f.Fragments) : i));

    [Fact]
    public async Task Four_storescu_processes_at_once_are_all_served()
    {
        await using var scp = await TestScp.StartAsync(output);
        var files = NetworkCorpus.StorableFiles().Where(f => DicomPart10.ReadHeader(f).TransferSyntaxUid == DicomTransferSyntax.ExplicitVRLittleEndian.Uid)
            .Take(10).ToArray();
        var runs = Enumerable.Range(0, 4).Select(_ => Dcmtk.RunAsync("storescu",
            ["-aet", TestScp.SiteAeTitle, "-aec", TestScp.AeTitle, "-R", "127.0.0.1", scp.Port.ToString(), .. files], TimeSpan.FromMinutes(3)));
        var results = await Task.WhenAll(runs);
        foreach (var r in results) output.WriteLine(r.Output);
        Assert.All(results, r => Assert.Equal(0, r.ExitCode));
        Assert.Equal(4 * files.Length, scp.Handler.Committed.Count);
        Assert.Equal(4, scp.Handler.Committed.Select(r => r.Request.AssociationId).Distinct().Count());
        var summaries = await scp.Observer.WaitForAsync(4);
        Assert.All(summaries, s => Assert.Equal((DicomAssociationOutcome.Released, files.Length, 0), (s.Outcome, s.InstancesStored, s.InstancesFailed)));
    }

    [Fact]
    public async Task Storescu_over_TLS_verifying_our_self_signed_certificate_stores_a_file()
    {
        using var certificate = TestCertificates.SelfSigned("localhost");
        var pem = Path.Combine(Path.GetTempPath(), $"trialflow-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem());
        try
        {
            await using var scp = await TestScp.StartAsync(output, o => o.Tls = new DicomTlsOptions { Certificate = certificate });
            // +tla: TLS without a client certificate; -rc (default) verifies our certificate against +cf.
            var result = await Dcmtk.RunAsync("storescu", ["+tla", "+cf", pem, "-aet", TestScp.SiteAeTitle, "-aec", TestScp.AeTitle,
                "127.0.0.1", scp.Port.ToString(), Path.Combine(NetworkCorpus.Folder, "CT_small.dcm")]);
            output.WriteLine(result.Output);
            Assert.Equal(0, result.ExitCode);
            var received = Assert.Single(scp.Handler.Committed);
            Assert.Equal(DicomPart10.ReadHeader(Path.Combine(NetworkCorpus.Folder, "CT_small.dcm")).SopInstanceUid, received.Request.SopInstanceUid);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public async Task Received_files_staged_with_the_Part10_helper_are_read_by_dcmdump()
    {
        var dir = Directory.CreateTempSubdirectory("trialflow-scp-");
        try
        {
            var options = new DicomServerOptions { BindAddress = "127.0.0.1", Port = 0, ArtimTimeout = TimeSpan.FromSeconds(10) };
            await using var server = new DicomServer(options, new DicomFileStoreHandler(dir.FullName));
            await server.StartAsync();
            string[] files = [Path.Combine(NetworkCorpus.Folder, "CT_small.dcm"), Path.Combine(NetworkCorpus.Folder, "MR_small_jpeg_ls_lossless.dcm"),
                Path.Combine(NetworkCorpus.Folder, "rtplan.dcm")];
            var result = await Dcmtk.RunAsync("storescu", ["-aec", "TRIALFLOW", "-R", "-xt", "127.0.0.1", server.LocalEndPoint!.Port.ToString(), .. files]);
            output.WriteLine(result.Output);
            Assert.Equal(0, result.ExitCode);
            foreach (var source in files)
            {
                var header = DicomPart10.ReadHeader(source);
                var uid = NetworkCorpus.DataSetSopInstanceUid(source);
                var staged = Path.Combine(dir.FullName, uid + ".dcm");
                Assert.True(File.Exists(staged), $"{staged} missing");
                var dump = await Dcmtk.RunAsync("dcmdump", ["-q", "+P", "0008,0018", staged]);
                Assert.Equal(0, dump.ExitCode);
                Assert.Contains(uid, dump.Output, StringComparison.Ordinal);
                Assert.Equal(uid, DicomFileReader.Read(staged).Dataset.GetString(DicomTags.SOPInstanceUID));
            }
            Assert.Empty(Directory.GetFiles(dir.FullName, "*.partial"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Our_SCU_sends_to_storescp_and_dcmdump_reads_what_it_wrote()
    {
        var dir = Directory.CreateTempSubdirectory("trialflow-storescp-");
        var port = Dcmtk.FreeLoopbackPort();
        // storescp binds 0.0.0.0 (no option to bind loopback only): accepted for tests on a random port.
        using var storescp = Dcmtk.Start("storescp", ["-aet", "STORESCP", "+xa", "-od", dir.FullName, port.ToString()], dir.FullName);
        try
        {
            string[] files = [.. new[] { "CT_small.dcm", "SC_rgb_small_odd.dcm", "MR_small_implicit.dcm", "JPEG2000.dcm", "SC_rgb_rle.dcm", "reportsi.dcm",
                "liver_1frame.dcm", "waveform_ecg.dcm" }.Select(f => Path.Combine(NetworkCorpus.Folder, f))];
            var client = new DicomClient("127.0.0.1", port, new DicomClientOptions { CallingAeTitle = "TRIALFLOW", CalledAeTitle = "STORESCP" });
            IReadOnlyList<DicomStoreResult> results = [];
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    results = await client.StoreFilesAsync(files);
                    break;
                }
                catch (DicomNetworkException) when (attempt < 50)
                {
                    await Task.Delay(100); // storescp still starting up
                }
            }
            Assert.All(results, r => Assert.True(r.IsSuccess, $"{r.Path}: {r.Status} {r.ErrorComment}"));
            var written = Directory.GetFiles(dir.FullName);
            Assert.Equal(files.Length, written.Length);
            foreach (var source in files)
            {
                var header = DicomPart10.ReadHeader(source);
                var match = written.Single(w => DicomPart10.ReadHeader(w).SopInstanceUid == header.SopInstanceUid);
                var dump = await Dcmtk.RunAsync("dcmdump", ["-q", "+P", "0008,0018", match]);
                output.WriteLine(dump.Output);
                Assert.Equal(0, dump.ExitCode);
                Assert.Contains(header.SopInstanceUid, dump.Output, StringComparison.Ordinal);
            }
        }
        finally
        {
            storescp.Kill();
            await storescp.WaitForExitAsync();
            dir.Delete(recursive: true);
        }
    }
}
