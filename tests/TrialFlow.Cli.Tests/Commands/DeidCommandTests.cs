using Microsoft.Data.Sqlite;
using TrialFlow.Dicom;
using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Cli.Tests.Commands;

public sealed class DeidCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "trialflow-cli-tests", Guid.NewGuid().ToString("N"));

    private string In => Path.Combine(_root, "in");
    private string Out => Path.Combine(_root, "out");

    public DeidCommandTests()
    {
        Directory.CreateDirectory(In);
        Write("mapped-1.dcm", "MRN-1", "1.2.826.0.9.1", 1);
        Write("mapped-2.dcm", "MRN-1", "1.2.826.0.9.1", 2);
        Write("unmapped.dcm", "MRN-3", "1.2.826.0.9.3", 1);
        Write("mixed-a.dcm", "MRN-1", "1.2.826.0.9.4", 1);
        Write("mixed-b.dcm", "MRN-2", "1.2.826.0.9.4", 2);
        File.WriteAllText(Path.Combine(In, "notes.txt"), "not DICOM");
        File.WriteAllText(Path.Combine(_root, "map.csv"), "patient_id,subject_id\nMRN-1,101-0001\nMRN-2,101-0002\n");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private void Write(string name, string patientId, string study, int n) => DicomFileWriter.Write(new DicomDataset
    {
        { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2" },
        { DicomTags.SOPInstanceUID, $"{study}.1.{n}" },
        { DicomTags.StudyDate, "20240105" },
        { DicomTags.Modality, "CT" },
        { DicomTags.PatientName, "Doe^John" },
        { DicomTags.PatientID, patientId },
        { DicomTags.StudyInstanceUID, study },
        { DicomTags.SeriesInstanceUID, $"{study}.1" },
    }, Path.Combine(In, name));

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CommandDispatcher.RunAsync(args, new CliConsole(output, error), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private static string Profile => Path.Combine(FindRoot(), "rulesets", "deid", "trial-default.yaml");

    [Fact]
    public async Task Deid_writes_mapped_patients_and_lists_held_back_files_with_reasons()
    {
        var (exit, output, _) = await RunAsync("deid", "--profile", Profile, "--subject-map", Path.Combine(_root, "map.csv"),
            "--site", "101", "--data", Path.Combine(_root, "data"), In, Out);

        Assert.Equal(1, exit);
        Assert.Contains("files in: 6, written: 2, held back: 4", output);
        Assert.Contains("held back: unmapped.dcm: Patient ID not in the subject map", output);
        Assert.Contains("held back: mixed-a.dcm: the study carries 2 different Patient IDs", output);
        Assert.Contains("held back: mixed-b.dcm: the study carries 2 different Patient IDs", output);
        Assert.Contains("held back: notes.txt: not readable as DICOM", output);

        var written = Directory.GetFiles(Path.Combine(Out, "101-0001"), "*.dcm");
        Assert.Equal(2, written.Length);
        foreach (var path in written)
        {
            var ds = DicomFileReader.Read(path).Dataset;
            Assert.Equal("101-0001", ds.GetString(DicomTags.PatientID));
            Assert.StartsWith("2.25.", ds.GetString(DicomTags.StudyInstanceUID), StringComparison.Ordinal);
            Assert.DoesNotContain("Doe", File.ReadAllText(path), StringComparison.Ordinal);
        }
        Assert.Equal(2, File.ReadAllLines(Path.Combine(Out, "deid-records.jsonl")).Length);
    }

    [Fact]
    public async Task Deid_rejects_a_broken_profile_with_file_and_line_and_writes_nothing()
    {
        var profile = Path.Combine(_root, "broken.yaml");
        File.WriteAllText(profile, "name: broken\noptions:\n  keepEverything: true\n");

        var (exit, _, error) = await RunAsync("deid", "--profile", profile, "--data", Path.Combine(_root, "data"), In, Out);

        Assert.Equal(2, exit);
        Assert.Contains("broken.yaml:3: unknown option 'keepEverything'", error);
        Assert.False(Directory.Exists(Out));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TrialFlow.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}
