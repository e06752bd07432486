using System.Text.Json;

namespace TrialFlow.Dicom.Tests.CharacterSets;

/// <summary>
/// Text the declared Specific Character Set cannot hold moves the dataset to UTF-8 (PS3.5 6.1.2.3) instead of failing:
/// the new value and every value already there read the same afterwards, in our reader and in pydicom's.
/// </summary>
public sealed class UnicodeConversionTests
{
    public static TheoryData<string> SiteNames => new()
    {
        "Universitätsklinikum Nordstadt", "Klinikum am See", "Hôpital Saint-Éloi du Parc", "Hospital Universitario del Río",
        "Centrum Onkologii Wisła", "Lakeshore Cancer Center", "Sakura Medical University Hospital", "Harbourside Oncology Institute",
        "東京がん研究センター病院",
    };

    /// <summary>The Specific Character Set a file arrives with, and a Patient's Name and Study Description written in it.</summary>
    public static TheoryData<string, string, string> Arrivals => new()
    {
        { "", "Doe^John", "CT CHEST" },
        { "ISO_IR 100", "Müller^Jürgen", "Thorax nativ Größe" },
        { "ISO_IR 192", "Wiśniewska^Zofia", "Tomografia klatki piersiowej" },
        { "\\ISO 2022 IR 87", "Yamada^Tarou=山田^太郎=やまだ^たろう", "胸部ＣＴ" },
    };

    [Theory]
    [MemberData(nameof(SiteNames))]
    public void Every_demo_site_name_and_a_Japanese_one_can_be_written_into_a_file_that_declares_no_character_set(string siteName)
    {
        var dataset = new DicomDataset { { DicomTags.PatientID, "101-001" } };

        dataset.AddOrUpdate(DicomTags.ClinicalTrialSiteName, siteName);

        Assert.Equal(siteName, dataset.GetString(DicomTags.ClinicalTrialSiteName));
        Assert.Equal("101-001", dataset.GetString(DicomTags.PatientID));
        var ascii = siteName.All(char.IsAscii);
        Assert.Equal(ascii ? null : "ISO_IR 192", dataset.GetString(DicomTags.SpecificCharacterSet));
    }

    [Trait("Category", "Peer")]
    [Theory]
    [MemberData(nameof(Arrivals))]
    public void Existing_values_read_the_same_after_a_site_name_forces_UTF8_in_our_reader_and_in_pydicom(string charset, string patientName, string description)
    {
        var dataset = Arrived(charset, patientName, description);

        dataset.AddOrUpdate(DicomTags.ClinicalTrialSiteName, "Centrum Onkologii Wisła");
        dataset.AddOrUpdate(DicomTags.ClinicalTrialSponsorName, "東京がん研究センター病院");

        var file = WriteAndRead(dataset);
        Assert.Equal("ISO_IR 192", file.GetString(DicomTags.SpecificCharacterSet));
        var expected = new Dictionary<string, string>
        {
            ["PatientName"] = patientName,
            ["StudyDescription"] = description,
            ["ClinicalTrialSiteName"] = "Centrum Onkologii Wisła",
            ["ClinicalTrialSponsorName"] = "東京がん研究センター病院",
            ["CodeMeaning"] = "Leber",
        };
        Assert.Equal(expected["PatientName"], file.GetString(DicomTags.PatientName));
        Assert.Equal(expected["StudyDescription"], file.GetString(DicomTags.StudyDescription));
        Assert.Equal(expected["CodeMeaning"], file.GetSequence(DicomTags.AnatomicRegionSequence)!.Items[0].GetString(DicomTags.CodeMeaning));
        Assert.Equal(expected, PydicomText(WriteToTemp(dataset)));
    }

    [Fact]
    public void An_item_that_declared_its_own_character_set_is_re_encoded_and_inherits_UTF8()
    {
        var item = new DicomDataset { { DicomTags.SpecificCharacterSet, "ISO_IR 100" }, { DicomTags.CodeMeaning, "Bauchspeicheldrüse" } };
        var dataset = new DicomDataset { { DicomTags.PatientID, "101-001" } };
        dataset.AddOrUpdate(DicomTags.AnatomicRegionSequence, item);

        dataset.AddOrUpdate(DicomTags.ClinicalTrialSiteName, "Centrum Onkologii Wisła");

        var read = WriteAndRead(dataset).GetSequence(DicomTags.AnatomicRegionSequence)!.Items[0];
        Assert.False(read.Contains(DicomTags.SpecificCharacterSet));
        Assert.Equal("Bauchspeicheldrüse", read.GetString(DicomTags.CodeMeaning));
    }

    [Fact]
    public void Text_the_declared_set_holds_leaves_the_declaration_alone()
    {
        var dataset = Arrived("ISO_IR 100", "Müller^Jürgen", "Thorax");

        dataset.AddOrUpdate(DicomTags.ClinicalTrialSiteName, "Universitätsklinikum Nordstadt");

        Assert.Equal("ISO_IR 100", dataset.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("Universitätsklinikum Nordstadt", WriteAndRead(dataset).GetString(DicomTags.ClinicalTrialSiteName));
    }

    private static DicomDataset Arrived(string charset, string patientName, string description)
    {
        var dataset = new DicomDataset();
        if (charset.Length > 0)
            dataset.AddOrUpdate(DicomTags.SpecificCharacterSet, charset.Split('\\'));
        dataset.AddOrUpdate(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
        dataset.AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.826.0.1.3680043.2.1.1.1");
        dataset.AddOrUpdate(DicomTags.StudyInstanceUID, "1.2.826.0.1.3680043.2.1.1");
        dataset.AddOrUpdate(DicomTags.SeriesInstanceUID, "1.2.826.0.1.3680043.2.1.1.2");
        dataset.AddOrUpdate(DicomTags.Modality, "CT");
        dataset.AddOrUpdate(DicomTags.PatientID, "101-001");
        if (charset.Contains("2022", StringComparison.Ordinal))
        {
            // Written the way Japanese scanners do (PS3.5 H.3.1): ISO 2022 escapes; our encoder writes no escapes itself.
            dataset.AddOrUpdate(new DicomElement(DicomTags.PatientName, DicomVR.PN, Convert.FromHexString(
                "59616d6164615e5461726f753d1b24423b3345441b28425e1b244242404f3a1b28423d1b2442246424" + "5e24401b28425e1b2442243f246d24261b2842")));
            dataset.AddOrUpdate(new DicomElement(DicomTags.StudyDescription, DicomVR.LO, Convert.FromHexString("1b2442363b4974234323541b2842")));
        }
        else
        {
            dataset.AddOrUpdate(DicomTags.PatientName, patientName);
            dataset.AddOrUpdate(DicomTags.StudyDescription, description);
        }
        var region = new DicomDataset();
        dataset.AddOrUpdate(DicomTags.AnatomicRegionSequence, region);
        region.AddOrUpdate(DicomTags.CodeValue, "10200004");
        region.AddOrUpdate(DicomTags.CodeMeaning, "Leber");
        return dataset;
    }

    private static DicomDataset WriteAndRead(DicomDataset dataset)
    {
        using var stream = new MemoryStream();
        DicomFileWriter.Write(dataset, stream);
        stream.Position = 0;
        return DicomFileReader.Read(stream).Dataset;
    }

    private static string WriteToTemp(DicomDataset dataset)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tf-unicode-{Guid.NewGuid():N}.dcm");
        DicomFileWriter.Write(dataset, path);
        return path;
    }

    /// <summary>The text values pydicom decodes from the written file.</summary>
    private static Dictionary<string, string> PydicomText(string path)
    {
        const string script = """
            import json, sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            out = {k: str(ds.get(k, '')) for k in ['PatientName', 'StudyDescription', 'ClinicalTrialSiteName', 'ClinicalTrialSponsorName']}
            out['CodeMeaning'] = str(ds.AnatomicRegionSequence[0].CodeMeaning)
            print(json.dumps(out))
            """;
        try
        {
            var psi = new ProcessStartInfo(PydicomOracle.Python, ["-c", script, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(psi)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "pydicom failed: " + error);
            return JsonSerializer.Deserialize<Dictionary<string, string>>(output)!;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
