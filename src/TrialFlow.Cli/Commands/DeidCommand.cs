using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using TrialFlow.Deid;
using TrialFlow.Deid.Engine;
using TrialFlow.Deid.Profiles;
using TrialFlow.Deid.Pseudonyms;
using TrialFlow.Deid.Subjects;
using TrialFlow.Dicom;
using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Cli.Commands;

/// <summary>
/// <c>trialflow deid --profile rulesets/deid/NAME.yaml [--subject-map FILE.csv] IN_DIR OUT_DIR</c>: de-identifies a folder
/// for retrospective cohorts or to validate a profile on a sample. Files that cannot be de-identified safely (unreadable,
/// unmapped patient, two Patient IDs in one study, burned-in text risk) are listed with the reason and not written.
/// </summary>
internal sealed class DeidCommand : ICliCommand
{
    public IReadOnlyList<string> Verb { get; } = ["deid"];

    public string Usage =>
        "deid --profile FILE.yaml [--subject-map FILE.csv] [--site ID] [--site-name NAME] [--sponsor NAME] [--protocol ID] [--time-point ID] [--data DIR] [--write-flagged] IN_DIR OUT_DIR\n" +
        "                                 de-identify a folder; held-back files are listed with the reason and not written";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        var options = new CliArguments(args,
            ["--profile", "--subject-map", "--site", "--site-name", "--sponsor", "--protocol", "--time-point", "--data"], ["--write-flagged"]);
        if (options["--profile"] is not { } profilePath) throw new CliUsageException("--profile FILE.yaml is required.");
        if (options.Positional.Count != 2) throw new CliUsageException("give IN_DIR and OUT_DIR.");
        var (input, output) = (Path.GetFullPath(options.Positional[0]), Path.GetFullPath(options.Positional[1]));
        if (!Directory.Exists(input))
        {
            await console.Error.WriteLineAsync($"{input}: no such directory");
            return 2;
        }
        if (output.StartsWith(input + Path.DirectorySeparatorChar, StringComparison.Ordinal) || output == input)
            throw new CliUsageException("OUT_DIR must not be inside IN_DIR.");

        DeidProfile profile;
        CsvSubjectMap? subjectMap = null;
        try
        {
            profile = DeidProfileLoader.LoadFile(profilePath);
            if (options["--subject-map"] is { } mapPath) subjectMap = CsvSubjectMap.Load(mapPath);
        }
        catch (DeidException ex)
        {
            await console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        catch (IOException ex)
        {
            await console.Error.WriteLineAsync(ex.Message);
            return 2;
        }

        var siteId = options["--site"] ?? "UNSPECIFIED";
        var trial = new TrialAttributes(options["--sponsor"] ?? "UNSPECIFIED", options["--protocol"] ?? "UNSPECIFIED", siteId,
            options["--site-name"] ?? siteId, TimePointId: options["--time-point"]);

        var settings = new Dictionary<string, string?>();
        if (options["--data"] is { } data) settings["TrialFlow:DataDirectory"] = data;
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(settings).Build();
        await using var store = new PseudonymStore(PseudonymStoreOptions.FromConfiguration(configuration));
        await store.MigrateAsync(cancellationToken);
        var deidentifier = new StoreBackedDeidentifier(profile, store, trial);

        var files = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var held = new List<(string File, string Reason)>();
        var headers = new List<(string Path, string? PatientId, string Study)>();
        var pending = new List<DicomDataset>();
        var guard = new StudyPatientGuard();

        // Pass 1: headers only, so a study with two Patient IDs is held back as a whole.
        foreach (var path in files)
        {
            try
            {
                var header = DicomFileReader.Read(path, DicomReadOptions.HeaderOnlyOptions, cancellationToken).Dataset;
                var study = header.GetString(DicomTags.StudyInstanceUID)?.Trim();
                if (string.IsNullOrEmpty(study)) held.Add((path, "no Study Instance UID"));
                else if (string.IsNullOrEmpty(header.GetString(DicomTags.SOPInstanceUID))) held.Add((path, "no SOP Instance UID"));
                else
                {
                    var patient = header.GetString(DicomTags.PatientID)?.Trim();
                    guard.Observe(study, patient);
                    headers.Add((path, patient, study));
                    pending.Add(header);
                    if (pending.Count == 500)
                    {
                        // Pseudonyms for a batch in one transaction (held-back files may get unused ones: harmless).
                        await deidentifier.PrepareAsync(pending, cancellationToken);
                        pending.Clear();
                    }
                }
            }
            catch (DicomException ex)
            {
                held.Add((path, $"not readable as DICOM ({ex.Message})"));
            }
        }

        await deidentifier.PrepareAsync(pending, cancellationToken);
        Directory.CreateDirectory(output);
        var written = 0;
        await using var records = new StreamWriter(Path.Combine(output, "deid-records.jsonl"), append: true);
        foreach (var (path, patient, study) in headers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (guard.Check(study) is { } mixed)
            {
                held.Add((path, mixed));
                continue;
            }
            string subject;
            if (subjectMap is not null)
            {
                var resolution = await subjectMap.ResolveAsync(siteId, patient, cancellationToken);
                if (!resolution.IsMatched)
                {
                    held.Add((path, resolution.QuarantineReason!));
                    continue;
                }
                subject = resolution.SubjectId!;
            }
            else if (string.IsNullOrEmpty(patient))
            {
                held.Add((path, "the instance has no Patient ID"));
                continue;
            }
            else
            {
                subject = await store.GetOrCreateSubjectPseudonymAsync(siteId, patient, cancellationToken);
            }
            if (await store.LinkAsync(siteId, patient ?? "", subject, study, cancellationToken) is { } conflict)
            {
                held.Add((path, conflict));
                continue;
            }
            try
            {
                var file = DicomFileReader.Read(path, DicomReadOptions.Default, cancellationToken);
                var result = await deidentifier.DeidentifyAsync(file.Dataset, subject, cancellationToken);
                if (result.NeedsBurnedInReview && !options.Has("--write-flagged"))
                {
                    held.Add((path, "burned-in text risk: " + string.Join("; ", result.Record.BurnedInAnnotationRisks)));
                    continue;
                }
                var target = Path.Combine(output, SafeName(subject), SafeName(result.Record.SopInstanceUid) + ".dcm");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                DeidFileWriter.Write(result.Dataset, target, file.TransferSyntax);
                await records.WriteLineAsync(result.Record.ToJson());
                written++;
            }
            catch (DicomException ex)
            {
                held.Add((path, $"not readable as DICOM ({ex.Message})"));
            }
            catch (Exception ex) when (ex is DeidException or IOException)
            {
                held.Add((path, ex.Message));
            }
        }
        SqliteConnection.ClearAllPools();

        await console.Out.WriteLineAsync($"profile {profile.Name} version {profile.Version}");
        await console.Out.WriteLineAsync($"files in: {files.Count}, written: {written}, held back: {held.Count}");
        foreach (var group in held.GroupBy(h => ReasonKind(h.Reason)).OrderByDescending(g => g.Count()))
            await console.Out.WriteLineAsync($"  {group.Count(),6}  {group.Key}");
        foreach (var (file, reason) in held)
            await console.Out.WriteLineAsync($"held back: {Path.GetRelativePath(input, file)}: {reason}");
        return held.Count == 0 ? 0 : 1;
    }

    private static string ReasonKind(string reason)
    {
        var cut = reason.IndexOfAny([':', '(']);
        return (cut > 0 ? reason[..cut] : reason).Trim();
    }

    private static string SafeName(string text)
    {
        var chars = text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray();
        return chars.Length == 0 ? "_" : new string(chars);
    }
}
