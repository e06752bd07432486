using TrialFlow.Benchmarks.Dicom;
using TrialFlow.Deid.Engine;
using TrialFlow.Deid.Profiles;
using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Benchmarks.Deid;

/// <summary>
/// De-identification file to file (header + pixel passthrough) of a synthetic CT series: TrialFlow in-process with
/// rulesets/deid/trial-default.yaml and its SQLite pseudonym store, versus gdcmanon (-e with a self-signed certificate,
/// directory mode, one process) on the same files in the same run. Both single-threaded.
/// </summary>
public sealed class DeidBenchmark() : Benchmark("deid", "de-identify N CT files (512x512x16) file to file: TrialFlow in-process vs gdcmanon -e (instances/s, MB/s)")
{
    public override async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var count = BenchmarkArgs.Int(args, 0, 2000);
        // Second argument: the folder to work in (default the temp folder). On this shared machine the disk is the
        // bottleneck for both tools; /dev/shm (tmpfs) measures the de-identification itself.
        var baseDir = args.Count > 1 ? args[1] : Path.GetTempPath();
        using var folder = new BenchmarkFolder("deid", parent: baseDir);
        var root = folder.Path;
        var input = Path.Combine(root, "in");
        var ours = Path.Combine(root, "ours");
        var gdcm = Path.Combine(root, "gdcm");
        Directory.CreateDirectory(ours);
        Directory.CreateDirectory(gdcm);
        Console.WriteLine($"generating {count} CT files in {input} ...");
        // Order: TrialFlow single-threaded, gdcmanon, TrialFlow with workers; each writes a fresh folder.
        var files = CtSeriesGenerator.Write(input, count, IdentifiedStudy(1), AddIdentifyingHeader);
        var bytes = files.Sum(f => new FileInfo(f).Length);

        var profile = DeidProfileLoader.LoadFile(Repository.Path("rulesets", "deid", "trial-default.yaml"));
        await using var store = new PseudonymStore(PseudonymStoreOptions.FromConfiguration(folder.Configuration));
        await store.MigrateAsync(cancellationToken);
        var trial = new TrialAttributes("Acme Oncology", "ACME-301", "101", "Site 101");
        var deidentifier = new StoreBackedDeidentifier(profile, store, trial);

        // Warm-up (JIT tiers, SQLite pages) on another study of 200 files, so no pseudonym of the measured files is known.
        var warmIn = Path.Combine(root, "warm-in");
        var warm = Path.Combine(root, "warm");
        Directory.CreateDirectory(warm);
        var warmFiles = CtSeriesGenerator.Write(warmIn, 200, IdentifiedStudy(2), AddIdentifyingHeader);
        for (var round = 0; round < 2; round++)
        {
            await deidentifier.PrepareAsync(warmFiles.Select(f => DicomFileReader.Read(f, DicomReadOptions.HeaderOnlyOptions, cancellationToken).Dataset), cancellationToken);
            foreach (var f in warmFiles) await DeidentifyFileAsync(deidentifier, f, Path.Combine(warm, $"{round}-{Path.GetFileName(f)}"), cancellationToken);
        }

        var cert = CreateCertificate(root);

        // As `trialflow deid` does: headers first (pseudonyms assigned per batch of 500 in one transaction), then file to file.
        var oursWatch = Stopwatch.StartNew();
        foreach (var batch in files.Chunk(500))
            await deidentifier.PrepareAsync(batch.Select(f => DicomFileReader.Read(f, DicomReadOptions.HeaderOnlyOptions, cancellationToken).Dataset), cancellationToken);
        var prepared = oursWatch.Elapsed;
        foreach (var f in files) await DeidentifyFileAsync(deidentifier, f, Path.Combine(ours, Path.GetFileName(f)), cancellationToken);
        oursWatch.Stop();
        var oursWritten = Directory.GetFiles(ours).Length;

        var gdcmWatch = Stopwatch.StartNew();
        Run("gdcmanon", ["-e", "-c", cert, "--continue", "-i", input, "-o", gdcm]);
        gdcmWatch.Stop();
        var gdcmWritten = Directory.GetFiles(gdcm).Length;


        // The same files again, single-threaded: every pseudonym is known (a study sent twice / by a second channel).
        var againOut = Path.Combine(root, "ours-again");
        Directory.CreateDirectory(againOut);
        var againWatch = Stopwatch.StartNew();
        foreach (var f in files) await DeidentifyFileAsync(deidentifier, f, Path.Combine(againOut, Path.GetFileName(f)), cancellationToken);
        againWatch.Stop();

        // The same work spread over the machine's cores (intake de-identifies instances concurrently); fresh output folder.
        var parallelOut = Path.Combine(root, "ours-parallel");
        Directory.CreateDirectory(parallelOut);
        var workers = Math.Max(2, Environment.ProcessorCount);
        var parallelWatch = Stopwatch.StartNew();
        // One output folder per worker: files created in one folder serialize on its directory lock.
        for (var w = 0; w < workers; w++) Directory.CreateDirectory(Path.Combine(parallelOut, w.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await Parallel.ForEachAsync(files.Select((f, i) => (f, i)), new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (x, ct) => await DeidentifyFileAsync(deidentifier, x.f,
                Path.Combine(parallelOut, (x.i % workers).ToString(System.Globalization.CultureInfo.InvariantCulture), Path.GetFileName(x.f)), ct));
        parallelWatch.Stop();
        var parallelWritten = Directory.GetFiles(parallelOut, "*", SearchOption.AllDirectories).Length;

        var mb = bytes / 1e6;
        Console.WriteLine();
        Console.WriteLine($"deid benchmark in {baseDir}: {count} CT files, 512x512 16-bit, {mb:N0} MB in; profile {profile.Name} ({profile.Version[..12]}); gdcmanon and the first TrialFlow row single-threaded, same run");
        Console.WriteLine();
        Console.WriteLine($"(first TrialFlow row: header pass + pseudonym assignment {prepared.TotalSeconds:F2} s of {oursWatch.Elapsed.TotalSeconds:F2} s)");
        Console.WriteLine();
        MarkdownTable.Header("tool", "files written", "seconds", "instances/s", "MB/s");
        void Row(string tool, int written, TimeSpan elapsed) =>
            Console.WriteLine($"| {tool} | {written} | {elapsed.TotalSeconds:F2} | {count / elapsed.TotalSeconds:N0} | {mb / elapsed.TotalSeconds:N0} |");
        Row("TrialFlow.Deid (in-process, header pass + file pass, SQLite pseudonym store)", oursWritten, oursWatch.Elapsed);
        Row("TrialFlow.Deid, same files again (pseudonyms known)", Directory.GetFiles(againOut).Length, againWatch.Elapsed);
        Row($"TrialFlow.Deid, {workers} workers (same store, third pass: pseudonyms known)", parallelWritten, parallelWatch.Elapsed);
        Row("gdcmanon -e (GDCM 3.0.21, one process, directory mode)", gdcmWritten, gdcmWatch.Elapsed);
        Console.WriteLine($"| ratio (TrialFlow single-threaded / gdcmanon; with workers) | | | {gdcmWatch.Elapsed.TotalSeconds / oursWatch.Elapsed.TotalSeconds:F2}x; {gdcmWatch.Elapsed.TotalSeconds / parallelWatch.Elapsed.TotalSeconds:F2}x | |");
    }

    private static async Task DeidentifyFileAsync(StoreBackedDeidentifier deidentifier, string source, string target, CancellationToken cancellationToken)
    {
        var file = DicomFileReader.Read(source, DicomReadOptions.Default, cancellationToken);
        var result = await deidentifier.DeidentifyAsync(file.Dataset, "101-0003", cancellationToken);
        DeidFileWriter.Write(result.Dataset, target, file.TransferSyntax);
    }

    private static string CreateCertificate(string root)
    {
        var cert = Path.Combine(root, "cert.pem");
        Run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-keyout", Path.Combine(root, "key.pem"), "-out", cert, "-days", "2", "-nodes", "-subj", "/CN=TrialFlow benchmark"]);
        return cert;
    }

    private static void Run(string tool, string[] args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} exited {p.ExitCode}: {stderr} {stdout.Result}");
    }

    private static string IdentifiedStudy(int study) => $"1.2.826.0.1.3680043.8.498.100000{study}";

    /// <summary>What a site's CT carries beyond the plain series and the profile must clean: dates, people, places, devices, a private block.</summary>
    private static void AddIdentifyingHeader(DicomDataset dataset) => dataset
        .AddOrUpdate(DicomTags.InstanceCreationDate, "20260102")
        .AddOrUpdate(DicomTags.InstanceCreationTime, "101633")
        .AddOrUpdate(DicomTags.SeriesDate, "20260102")
        .AddOrUpdate(DicomTags.AcquisitionDate, "20260102")
        .AddOrUpdate(DicomTags.ContentDate, "20260102")
        .AddOrUpdate(DicomTags.InstitutionName, "St. Example Hospital")
        .AddOrUpdate(DicomTags.InstitutionAddress, "1 Example Street, Exampleton")
        .AddOrUpdate(DicomTags.StationName, "CT-ROOM-2")
        .AddOrUpdate(DicomTags.OperatorsName, "Smith^Ann")
        .AddOrUpdate(DicomTags.ManufacturerModelName, "Synthetic 64")
        .AddOrUpdate(DicomTags.PatientID, "MRN-0042-7781")
        .AddOrUpdate(DicomTags.PatientAge, "066Y")
        .AddOrUpdate(DicomTags.PatientWeight, 81.5)
        .AddOrUpdate(DicomTags.DeviceSerialNumber, "SN-448812")
        .AddOrUpdate(DicomTags.ProtocolName, "CHEST ABDOMEN PELVIS")
        .AddOrUpdate(new DicomTag(0x00090010), DicomVR.LO, "ACME_PRIVATE")
        .AddOrUpdate(new DicomTag(0x00091001), DicomVR.LO, "Müller^Jürgen");
}
