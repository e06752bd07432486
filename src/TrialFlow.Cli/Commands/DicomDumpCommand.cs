using TrialFlow.Dicom;
using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Dicom.Json;
using TrialFlow.Dicom.Text;

namespace TrialFlow.Cli.Commands;

/// <summary><c>trialflow dicom dump [--json] [--no-bulk] FILE</c>: prints a DICOM file as text or as DICOM JSON (PS3.18 F).</summary>
internal sealed class DicomDumpCommand : ICliCommand
{
    public IReadOnlyList<string> Verb { get; } = ["dicom", "dump"];

    public string Usage => "dicom dump [--json] [--no-bulk] FILE   print a DICOM file (text, or DICOM JSON with bulk data as BulkDataURI / omitted)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        var options = new CliArguments(args, [], ["--json", "--no-bulk"]);
        if (options.Positional.Count != 1) throw new CliUsageException("give exactly one FILE.");
        var path = options.Positional[0];
        if (!File.Exists(path))
        {
            await console.Error.WriteLineAsync($"{path}: no such file");
            return 1;
        }
        try
        {
            var file = await DicomFileReader.ReadAsync(path, DicomReadOptions.Default, cancellationToken);
            if (!options.Has("--json"))
            {
                await console.Out.WriteAsync(DicomTextDump.Write(file));
                return 0;
            }
            var json = new DicomJsonOptions
            {
                BulkData = options.Has("--no-bulk") ? DicomJsonBulkData.Omit : DicomJsonBulkData.BulkDataUri,
                BulkDataThreshold = 1024,
                Indented = true,
            };
            await console.Out.WriteLineAsync(DicomJsonWriter.Write(file.Dataset, json));
            foreach (var warning in file.Warnings) await console.Error.WriteLineAsync($"warning: {warning}");
            return 0;
        }
        catch (DicomParseException ex)
        {
            await console.Error.WriteLineAsync($"{path}: {ex.Message}");
            return 1;
        }
    }
}
