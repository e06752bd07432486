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
public sealed class DeidBenchmark : IBenchmark
{
    public string Name => "deid";

    public string Description => "de-identify N CT files (512x512x16) file to file: TrialFlow in-process vs gdcmanon -e (instances/s, MB/s)";

    public async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var count = args.Count > 0 && args[0] != "-" ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        // Second argument: the folder to work in (default the temp folder). On this shared machine the disk is the
        // bottleneck for both tools; /dev/shm (tmpfs) measures the de-identification itself.
        var baseDir = args.Count > 1 ? args[1] : Path.GetTempPath();
        var root = Path.Combine(baseDir, $"trialflow-bench-deid-{Guid.NewGuid():N}");
        var input = Path.Combine(root, "in");
        var ours = Path.Combine(root, "ours");
        var gdcm = Path.Combine(root, "gdcm");
        try
        {
            Directory.CreateDirectory(ours);
            Directory.CreateDirectory(gdcm);
            Console.WriteLine($"generating {count} CT files in {input} ...");
            // Order: TrialFlow single-threaded, gdcmanon, TrialFlow with workers; each writes a fresh folder.
            var files = DeidCtGenerator.Write(input, count);
            var bytes = files.Sum(f => new FileInfo(f).Length);

            var profile = DeidProfileLoader.LoadFile(FindProfile());
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["TrialFlow:DataDirectory"] = Path.Combine(root, "data") }).Build();
            await using var store = new PseudonymStore(PseudonymStoreOptions.FromConfiguration(configuration));
            await store.MigrateAsync(cancellationToken);
            var trial = new TrialAttributes("Acme Oncology", "ACME-301", "101", "Site 101");
            var deidentifier = new StoreBackedDeidentifier(profile, store, trial);

            // Warm-up (JIT tiers, SQLite pages) on another study of 200 files, so no pseudonym of the measured files is known.
            var warmIn = Path.Combine(root, "warm-in");
            var warm = Path.Combine(root, "warm");
            Directory.CreateDirectory(warm);
            var warmFiles = DeidCtGenerator.Write(warmIn, 200, study: 2);
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
            Console.WriteLine("| tool | files written | seconds | instances/s | MB/s |");
            Console.WriteLine("|---|---|---|---|---|");
            Console.WriteLine($"| TrialFlow.Deid (in-process, header pass + file pass, SQLite pseudonym store) | {oursWritten} | {oursWatch.Elapsed.TotalSeconds:F2} | {count / oursWatch.Elapsed.TotalSeconds:N0} | {mb / oursWatch.Elapsed.TotalSeconds:N0} |");
            Console.WriteLine($"| TrialFlow.Deid, same files again (pseudonyms known) | {Directory.GetFiles(againOut).Length} | {againWatch.Elapsed.TotalSeconds:F2} | {count / againWatch.Elapsed.TotalSeconds:N0} | {mb / againWatch.Elapsed.TotalSeconds:N0} |");
            Console.WriteLine($"| TrialFlow.Deid, {workers} workers (same store, third pass: pseudonyms known) | {parallelWritten} | {parallelWatch.Elapsed.TotalSeconds:F2} | {count / parallelWatch.Elapsed.TotalSeconds:N0} | {mb / parallelWatch.Elapsed.TotalSeconds:N0} |");
            Console.WriteLine($"| gdcmanon -e (GDCM 3.0.21, one process, directory mode) | {gdcmWritten} | {gdcmWatch.Elapsed.TotalSeconds:F2} | {count / gdcmWatch.Elapsed.TotalSeconds:N0} | {mb / gdcmWatch.Elapsed.TotalSeconds:N0} |");
            Console.WriteLine($"| ratio (TrialFlow single-threaded / gdcmanon; with workers) | | | {gdcmWatch.Elapsed.TotalSeconds / oursWatch.Elapsed.TotalSeconds:F2}x; {gdcmWatch.Elapsed.TotalSeconds / parallelWatch.Elapsed.TotalSeconds:F2}x | |");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
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

    private static string FindProfile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "rulesets", "deid", "trial-default.yaml");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("rulesets/deid/trial-default.yaml not found above the benchmark binary");
    }
}

/// <summary>A synthetic CT series with the identifying header a site would send (names, dates, institution, private tags).</summary>
internal static class DeidCtGenerator
{
    public static IReadOnlyList<string> Write(string directory, int count, int study = 1)
    {
        Directory.CreateDirectory(directory);
        var rng = new Random(7);
        var pixels = new byte[512 * 512 * 2];
        rng.NextBytes(pixels);
        var studyUid = $"1.2.826.0.1.3680043.8.498.100000{study}";
        var series = studyUid + ".2";
        var paths = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var ds = new DicomDataset
            {
                { DicomTags.SpecificCharacterSet, "ISO_IR 100" },
                { DicomTags.ImageType, "ORIGINAL", "PRIMARY", "AXIAL" },
                { DicomTags.InstanceCreationDate, "20260102" },
                { DicomTags.InstanceCreationTime, "101633" },
                { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2" },
                { DicomTags.SOPInstanceUID, $"{series}.{i + 1}" },
                { DicomTags.StudyDate, "20260102" },
                { DicomTags.SeriesDate, "20260102" },
                { DicomTags.AcquisitionDate, "20260102" },
                { DicomTags.ContentDate, "20260102" },
                { DicomTags.StudyTime, "101500" },
                { DicomTags.AccessionNumber, "ACC20260102-17" },
                { DicomTags.Modality, "CT" },
                { DicomTags.Manufacturer, "TrialFlow Synthetic" },
                { DicomTags.InstitutionName, "St. Example Hospital" },
                { DicomTags.InstitutionAddress, "1 Example Street, Exampleton" },
                { DicomTags.ReferringPhysicianName, "Doe^Jane" },
                { DicomTags.StationName, "CT-ROOM-2" },
                { DicomTags.StudyDescription, "CT CHEST ABDOMEN PELVIS WITH CONTRAST" },
                { DicomTags.SeriesDescription, "AXIAL 1.0 B30F" },
                { DicomTags.OperatorsName, "Smith^Ann" },
                { DicomTags.ManufacturerModelName, "Synthetic 64" },
                { DicomTags.PatientName, "Müller^Jürgen" },
                { DicomTags.PatientID, "MRN-0042-7781" },
                { DicomTags.PatientBirthDate, "19600101" },
                { DicomTags.PatientSex, "M" },
                { DicomTags.PatientAge, "066Y" },
                { DicomTags.PatientWeight, 81.5 },
                { DicomTags.SliceThickness, 1.0 },
                { DicomTags.KVP, 120.0 },
                { DicomTags.DeviceSerialNumber, "SN-448812" },
                { DicomTags.ProtocolName, "CHEST ABDOMEN PELVIS" },
                { DicomTags.StudyInstanceUID, studyUid },
                { DicomTags.SeriesInstanceUID, series },
                { DicomTags.StudyID, "4711" },
                { DicomTags.SeriesNumber, 2 },
                { DicomTags.InstanceNumber, i + 1 },
                { DicomTags.ImagePositionPatient, -250.0, -250.0, -1.0 * i },
                { DicomTags.ImageOrientationPatient, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0 },
                { DicomTags.FrameOfReferenceUID, studyUid + ".9" },
                { DicomTags.SliceLocation, -1.0 * i },
                { DicomTags.SamplesPerPixel, (ushort)1 },
                { DicomTags.PhotometricInterpretation, "MONOCHROME2" },
                { DicomTags.Rows, (ushort)512 },
                { DicomTags.Columns, (ushort)512 },
                { DicomTags.PixelSpacing, 0.9765625, 0.9765625 },
                { DicomTags.BitsAllocated, (ushort)16 },
                { DicomTags.BitsStored, (ushort)12 },
                { DicomTags.HighBit, (ushort)11 },
                { DicomTags.PixelRepresentation, (ushort)1 },
                { DicomTags.WindowCenter, 40.0 },
                { DicomTags.WindowWidth, 400.0 },
                { DicomTags.RescaleIntercept, -1024.0 },
                { DicomTags.RescaleSlope, 1.0 },
                { DicomTags.PixelData, DicomVR.OW, pixels },
            };
            ds.AddOrUpdate(new DicomTag(0x00090010), DicomVR.LO, "ACME_PRIVATE");
            ds.AddOrUpdate(new DicomTag(0x00091001), DicomVR.LO, "Müller^Jürgen");
            ds.AddOrUpdate(DicomTags.ReferencedImageSequence, new DicomDataset
            {
                { DicomTags.ReferencedSOPClassUID, "1.2.840.10008.5.1.4.1.1.2" },
                { DicomTags.ReferencedSOPInstanceUID, $"{series}.{Math.Max(1, i)}" },
            });
            var path = Path.Combine(directory, $"CT{i + 1:D5}.dcm");
            DicomFileWriter.Write(ds, path);
            paths.Add(path);
        }
        return paths;
    }
}
