using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Web.Tests.Api;

/// <summary>
/// Sites whose names need more than ASCII — Universitätsklinikum Nordstadt, Centrum Onkologii Wisła, and a Japanese
/// scanner writing ISO 2022 — push with dcmtk's storescu, files with no Specific Character Set and with ISO_IR 100,
/// ISO 2022 IR 87 and ISO_IR 192: every acknowledged object is archived, and pydicom reads the trial attributes intake
/// wrote (site name, subject, time point) as the same text.
/// </summary>
[Collection(AppCollection.Name)]
[Trait("Category", "Peer")]
public sealed class InternationalSitesPushTests(TrialFlowApp app) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("trialflow-international-").FullName;

    public static TheoryData<string, string, string, string, string> Pushes => new()
    {
        // calling AE, site, subject, study date in its baseline window, Specific Character Set of the file
        { "NORDSTADT_CT", "101", "101-001", "20260302", "" },
        { "NORDSTADT_PACS", "101", "101-001", "20260301", "ISO_IR 192" },
        { "COW_PACS", "401", "401-001", "20260504", "ISO_IR 100" },
        { "SAKURA_CT", "601", "601-001", "20260713", "\\ISO 2022 IR 87" },
    };

    [Theory]
    [MemberData(nameof(Pushes))]
    public async Task Storescu_to_a_site_with_a_non_ASCII_name_archives_every_object_and_pydicom_decodes_what_intake_wrote(
        string aeTitle, string siteNumber, string subject, string studyDate, string charset)
    {
        // Tests of this collection run one at a time: what arrived since this one started is this one's.
        var since = DateTime.UtcNow;
        var study = $"1.2.826.0.1.3680043.8.{Random.Shared.Next(1, int.MaxValue)}";
        for (var i = 1; i <= 3; i++)
            await File.WriteAllBytesAsync(Path.Combine(_folder, $"ct{i}.dcm"), Image(subject, studyDate, study, i, charset));

        var (exit, output) = await Dcmtk.RunAsync("storescu", "-aet", aeTitle, "-aec", "TRIALFLOW", "127.0.0.1", app.DicomPort.ToString(), _folder, "+sd");

        Assert.True(exit == 0, output);
        var receipts = await app.WaitForReceiptsAsync(r => r.SiteId == app.Sites[siteNumber] && r.Sender!.StartsWith(aeTitle + "@") && r.ReceivedAt >= since, count: 3);
        Assert.All(receipts, r => Assert.True(r.Outcome == IntakeOutcome.Archived, $"{r.Outcome}: {r.Reason}"));

        var siteName = await app.QueryAsync(db => db.Sites.Where(s => s.SiteNumber == siteNumber).Select(s => s.Name).SingleAsync());
        var archived = await app.QueryAsync(db => db.Instances.Where(i => receipts.Select(r => r.InstanceId).Contains(i.Id)).Select(i => i.ArchiveSha256).ToListAsync());
        Assert.Equal(3, archived.Count);
        foreach (var hash in archived)
        {
            var text = await PydicomAsync(hash);
            Assert.Equal(siteName, text["ClinicalTrialSiteName"]);
            Assert.Equal(subject, text["PatientName"]);
            Assert.Equal(subject, text["ClinicalTrialSubjectID"]);
            Assert.Equal("Baseline", text["ClinicalTrialTimePointDescription"]);
            Assert.DoesNotContain("Canary", text["All"]);
            if (!siteName.All(char.IsAscii))
                Assert.Equal("ISO_IR 192", text["SpecificCharacterSet"]);
        }
    }

    /// <summary>A CT image as a site's scanner writes it: Patient ID = the subject, names in the file's own character set.</summary>
    private static byte[] Image(string subject, string studyDate, string study, int instance, string charset)
    {
        var file = DicomFileReader.Read(new MemoryStream(DicomSamples.CtImage(patientId: subject, studyDate: studyDate, study: study, instance: instance)));
        var ds = file.Dataset;
        ds.Remove(DicomTags.SpecificCharacterSet);
        switch (charset)
        {
            case "":
                ds.AddOrUpdate(DicomTags.PatientName, "Canary^Jane");
                break;
            case "ISO_IR 100":
                ds.AddOrUpdate(DicomTags.SpecificCharacterSet, charset);
                ds.AddOrUpdate(DicomTags.PatientName, "Kowalska-Müller^Agnès Canary");
                ds.AddOrUpdate(DicomTags.InstitutionName, "Szpital Onkologiczny Canary");
                break;
            case "ISO_IR 192":
                ds.AddOrUpdate(DicomTags.SpecificCharacterSet, charset);
                ds.AddOrUpdate(DicomTags.PatientName, "Wiśniewska^Zofia Canary");
                break;
            default:
                ds.AddOrUpdate(DicomTags.SpecificCharacterSet, charset.Split('\\'));
                // PS3.5 H.3.1 "Yamada^Tarou=山田^太郎=やまだ^たろう" as a Japanese scanner writes it (escapes; no "Canary" to find)
                ds.AddOrUpdate(new DicomElement(DicomTags.PatientName, DicomVR.PN, Convert.FromHexString(
                    "59616d6164615e5461726f753d1b24423b3345441b28425e1b244242404f3a1b28423d1b24422464245e24401b28425e1b2442243f246d24261b2842")));
                break;
        }
        using var bytes = new MemoryStream();
        DicomFileWriter.Write(file, bytes);
        return bytes.ToArray();
    }

    private async Task<Dictionary<string, string>> PydicomAsync(string hash)
    {
        var path = Path.Combine(_folder, hash + ".dcm");
        await using (var archived = app.Services.GetRequiredService<IntakeStores>().Archive.OpenRead(hash))
        await using (var copy = File.Create(path))
            await archived.CopyToAsync(copy);
        const string script = """
            import json, sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            keys = ['SpecificCharacterSet', 'ClinicalTrialSiteName', 'PatientName', 'ClinicalTrialSubjectID', 'ClinicalTrialTimePointDescription']
            out = {k: str(ds.get(k, '')) for k in keys}
            out['All'] = ' '.join(str(e.value) for e in ds.iterall() if e.VR in ('PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC'))
            print(json.dumps(out))
            """;
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", script, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("/usr/bin/python3 is missing (Debian python3-pydicom)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "pydicom could not read the archived object: " + await stderr);
        return JsonSerializer.Deserialize<Dictionary<string, string>>(await stdout)!;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
