using System.Diagnostics;
using TrialFlow.Cli.Upload;

namespace TrialFlow.Cli.Commands;

/// <summary>
/// <c>trialflow upload DIR --site N [--subject ID --visit ID | --qualification]</c>: sends every file under DIR through the same HTTP API
/// as the browser, in resumable chunks, retrying failed files, then submits the session and prints what intake did.
/// </summary>
internal sealed class UploadCommand : ICliCommand
{
    private const int ChunkSize = 4 << 20;
    private const int Attempts = 4;

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long intake may settle none of the remaining files before the command stops waiting.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromMinutes(5);

    public IReadOnlyList<string> Verb { get; } = ["upload"];

    public string Usage => "upload DIR --site N [--subject ID] [--visit ID | --qualification] [--server URL] [--user NAME]   password from TRIALFLOW_PASSWORD";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        var options = new CliArguments(args, ["--site", "--subject", "--visit", "--server", "--user"], ["--qualification"]);
        // A qualification scan (a phantom qualifying the site's scanner) belongs to no subject.
        var qualification = options.Has("--qualification");
        if (qualification && (options["--subject"] is not null || options["--visit"] is not null))
            throw new CliUsageException("--qualification uploads a scanner's qualification scan, which names no --subject or --visit.");
        if (options.Positional.Count != 1)
            throw new CliUsageException("give exactly one folder to upload.");
        var directory = options.Positional[0];
        if (!Directory.Exists(directory))
            throw new CliUsageException($"folder {directory} does not exist.");
        var site = options["--site"] ?? throw new CliUsageException("--site is required (the site number, e.g. 101).");
        var server = options["--server"] ?? Environment.GetEnvironmentVariable("TRIALFLOW_SERVER") ?? "http://localhost:5000";
        var user = options["--user"] ?? Environment.GetEnvironmentVariable("TRIALFLOW_USER") ?? throw new CliUsageException("--user (or TRIALFLOW_USER) is required.");
        var password = Environment.GetEnvironmentVariable("TRIALFLOW_PASSWORD") ?? throw new CliUsageException("set TRIALFLOW_PASSWORD (never on the command line, where other users can read it).");

        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new CliUsageException($"folder {directory} holds no files.");

        var signedIn = new BearerSessionHandler(TimeProvider.System, new HttpClientHandler());
        using var api = new TrialFlowApiClient(new HttpClient(signedIn) { BaseAddress = new Uri(server), Timeout = TimeSpan.FromMinutes(5) }, signedIn);
        await api.SignInAsync(user, password, cancellationToken);
        var (siteId, subjectId, visitId) = await api.ResolveAsync(site, options["--subject"], options["--visit"], cancellationToken);
        var session = await api.OpenSessionAsync(siteId, subjectId, visitId, qualification, cancellationToken);

        var total = files.Sum(f => new FileInfo(f).Length);
        var progress = new ProgressBar(console.Out, files.Count, total);
        var failed = new List<(string File, string Reason)>();
        for (var i = 0; i < files.Count; i++)
        {
            // The file's position in the upload is its id: never its name, which may identify a patient.
            var fileId = $"f{i + 1:D6}";
            var error = await UploadWithRetriesAsync(api, session, fileId, files[i], progress, cancellationToken);
            if (error is not null)
                failed.Add((Path.GetRelativePath(directory, files[i]), error));
            progress.FileDone();
        }

        progress.Finish();
        var summary = await SubmitWhenSettledAsync(api, session, console.Out, cancellationToken);
        if (summary is null)
        {
            console.Error.WriteLine($"session {session}: intake settled none of the remaining files for {StallLimit.TotalMinutes:N0} minutes. They are received and will be processed; "
                + $"submit the session later (POST /api/uploads/{session}/submit).");
            return 1;
        }

        console.Out.WriteLine($"session {summary.Id}: {summary.FilesReceived} files received, {summary.Archived} archived, {summary.Duplicates} already archived, {summary.Held} held for review, {failed.Count} not accepted");
        foreach (var held in summary.Files.Where(f => f.Outcome is "Quarantined" or "Rejected"))
        {
            var index = int.Parse(held.FileId![1..], System.Globalization.CultureInfo.InvariantCulture) - 1;
            console.Out.WriteLine($"  held: {Path.GetRelativePath(directory, files[index])}: {held.Reason}");
        }

        foreach (var (file, reason) in failed)
            console.Error.WriteLine($"  not accepted: {file}: {reason}");
        return failed.Count == 0 && summary.Held == 0 ? 0 : 1;
    }

    private static async Task<string?> UploadWithRetriesAsync(TrialFlowApiClient api, Guid session, string fileId, string path, ProgressBar progress, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await api.UploadFileAsync(session, fileId, path, ChunkSize, progress.Bytes, cancellationToken);
                return null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TrialFlowApiException && !cancellationToken.IsCancellationRequested)
            {
                // A refusal that says something about the file (its chunks, its size, its content) does not change on a retry.
                if (attempt == Attempts || e is TrialFlowApiException { Status: System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Conflict
                        or System.Net.HttpStatusCode.RequestEntityTooLarge or System.Net.HttpStatusCode.UnprocessableEntity or System.Net.HttpStatusCode.Forbidden })
                    return e.Message;
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Submits the session once intake has settled every file: the server answers 202 until then, so the command polls
    /// the session, showing how many files are settled, and submits again. Returns null if intake settles none of the
    /// remaining files for <see cref="StallLimit"/> (an object intake could not process waits for the next start).
    /// </summary>
    private static async Task<TrialFlowApiClient.SessionDto?> SubmitWhenSettledAsync(TrialFlowApiClient api, Guid session, TextWriter output, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (summary, settled) = await api.SubmitAsync(session, cancellationToken);
            if (settled)
                return summary;
            var remaining = summary.Processing;
            var quiet = Stopwatch.StartNew();
            while (summary.Processing > 0)
            {
                if (summary.Processing < remaining)
                    (remaining, quiet) = (summary.Processing, Stopwatch.StartNew());
                else if (quiet.Elapsed > StallLimit)
                    return null;
                output.Write($"\rintake: {summary.FilesReceived - summary.Processing}/{summary.FilesReceived} files settled");
                await Task.Delay(PollInterval, cancellationToken);
                summary = await api.GetSessionAsync(session, cancellationToken);
            }

            output.WriteLine($"\rintake: {summary.FilesReceived}/{summary.FilesReceived} files settled");
        }
    }

    /// <summary>A one-line progress bar redrawn in place: files, bytes, throughput.</summary>
    private sealed class ProgressBar(TextWriter output, int files, long bytes)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _sent;
        private int _done;

        public void Bytes(long count)
        {
            _sent += count;
            Draw();
        }

        public void FileDone()
        {
            _done++;
            Draw();
        }

        public void Finish() => output.WriteLine();

        private void Draw()
        {
            const int width = 30;
            var fraction = bytes == 0 ? 1 : (double)_sent / bytes;
            var filled = (int)(fraction * width);
            var rate = _sent / Math.Max(_clock.Elapsed.TotalSeconds, 0.001) / (1 << 20);
            output.Write($"\r[{new string('#', filled)}{new string(' ', width - filled)}] {_done}/{files} files {_sent / (1 << 20):N1}/{bytes / (1 << 20):N1} MiB {rate:N1} MiB/s");
        }
    }
}
