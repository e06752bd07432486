using System.Globalization;
using TrialFlow.Cli.Pull;
using TrialFlow.Cli.Upload;

namespace TrialFlow.Cli.Commands;

/// <summary>
/// <c>trialflow pull --site N --cohort FILE [--pacs AE@HOST:PORT | --dicomweb URL] [--method move|get|dicomweb] [--plan-only]</c>: plans a
/// retrospective pull of a cohort from the site's PACS through the server's API, prints what the PACS holds per subject,
/// then (unless --plan-only) runs it with a progress bar and prints what was archived, held and why. Exit 0 only when every
/// study of the cohort was retrieved and intake archived or held each object with a reason.
/// </summary>
internal sealed class PullCommand : ICliCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public IReadOnlyList<string> Verb { get; } = ["pull"];

    public string Usage => "pull --site N --cohort FILE [--pacs AE@HOST:PORT | --dicomweb URL] [--method move|get|dicomweb] [--our-ae TITLE] [--concurrency N] " +
                           "[--bandwidth-kib N] [--plan-only] [--server URL] [--user NAME]   password from TRIALFLOW_PASSWORD";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        var options = new CliArguments(args, ["--site", "--cohort", "--pacs", "--dicomweb", "--method", "--our-ae", "--concurrency", "--bandwidth-kib", "--server", "--user"], ["--plan-only"]);
        if (options.Positional.Count != 0)
            throw new CliUsageException($"unexpected argument {options.Positional[0]}.");
        var site = options["--site"] ?? throw new CliUsageException("--site is required (the site number, e.g. 101).");
        var cohort = options["--cohort"] ?? throw new CliUsageException("--cohort is required (the cohort CSV: subject_id and one of patient_id, accession_number, study_instance_uid).");
        if (!File.Exists(cohort))
            throw new CliUsageException($"cohort file {cohort} does not exist.");
        var fields = Fields(options);
        var server = options["--server"] ?? Environment.GetEnvironmentVariable("TRIALFLOW_SERVER") ?? "http://localhost:5000";
        var user = options["--user"] ?? Environment.GetEnvironmentVariable("TRIALFLOW_USER") ?? throw new CliUsageException("--user (or TRIALFLOW_USER) is required.");
        var password = Environment.GetEnvironmentVariable("TRIALFLOW_PASSWORD") ?? throw new CliUsageException("set TRIALFLOW_PASSWORD (never on the command line, where other users can read it).");

        var signedIn = new BearerSessionHandler(TimeProvider.System, new HttpClientHandler());
        // Planning asks the PACS once per cohort row: a long cohort takes minutes.
        using var api = new TrialFlowApiClient(new HttpClient(signedIn) { BaseAddress = new Uri(server), Timeout = TimeSpan.FromMinutes(30) }, signedIn);
        try
        {
            await api.SignInAsync(user, password, cancellationToken);
            var (siteId, _, _) = await api.ResolveAsync(site, null, null, cancellationToken);
            var pulls = new PullApiClient(api.Http);
            var plan = await pulls.PlanAsync(siteId, cohort, fields, cancellationToken);
            PrintPlan(plan, console.Out);
            if (options.Has("--plan-only"))
            {
                console.Out.WriteLine($"pull {plan.Id} planned, not started: start it on the Retrospective pulls page or with POST /api/pulls/{plan.Id}/start");
                return 0;
            }
            if (plan.Studies == 0)
            {
                console.Error.WriteLine("nothing to retrieve: no row of the cohort found a study it can pull.");
                return 1;
            }

            var summary = await pulls.CommandAsync(plan.Id, "start", cancellationToken);
            while (!summary.Settled)
            {
                Draw(summary, console.Out);
                await Task.Delay(PollInterval, cancellationToken);
                summary = await pulls.GetAsync(plan.Id, cancellationToken);
            }
            Draw(summary, console.Out);
            console.Out.WriteLine();
            PrintSummary(summary, console);
            return summary.Succeeded ? 0 : 1;
        }
        catch (TrialFlowApiException e)
        {
            console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static Dictionary<string, string> Fields(CliArguments options)
    {
        var (pacs, dicomWeb, method) = (options["--pacs"], options["--dicomweb"], options["--method"]);
        if (pacs is not null && dicomWeb is not null)
            throw new CliUsageException("give --pacs or --dicomweb, not both.");
        if (dicomWeb is not null && method is not null && method != "dicomweb")
            throw new CliUsageException($"--dicomweb retrieves by WADO-RS; --method {method} needs --pacs AE@HOST:PORT (or the site's registered PACS).");
        if (method is not null and not ("move" or "get" or "dicomweb"))
            throw new CliUsageException($"--method {method}: choose move, get or dicomweb.");
        var fields = new Dictionary<string, string> { ["method"] = method ?? (dicomWeb is not null ? "dicomweb" : "move") };
        if (pacs is not null)
            fields["pacs"] = pacs;
        if (dicomWeb is not null)
            fields["dicomWebUrl"] = dicomWeb;
        if (options["--our-ae"] is { } ours)
            fields["ourAeTitle"] = ours;
        if (options["--concurrency"] is { } concurrency)
            fields["maxConcurrentStudies"] = int.TryParse(concurrency, out var n) && n > 0 ? n.ToString(CultureInfo.InvariantCulture)
                : throw new CliUsageException($"--concurrency {concurrency}: give the number of studies retrieved at once (1 to 8).");
        if (options["--bandwidth-kib"] is { } bandwidth)
            fields["maxBytesPerSecond"] = long.TryParse(bandwidth, out var kib) && kib > 0 ? (kib * 1024).ToString(CultureInfo.InvariantCulture)
                : throw new CliUsageException($"--bandwidth-kib {bandwidth}: give the limit in KiB per second (at least 64).");
        return fields;
    }

    private static void PrintPlan(PullApiClient.PullSummaryDto plan, TextWriter output)
    {
        output.WriteLine($"pull {plan.Id} from {plan.Pacs} by {MethodName(plan.Method)} into site {plan.SiteNumber}: {Count(plan.Studies, "study", "studies")}, " +
                         $"{Count(plan.ExpectedInstances, "object", "objects")} for {Count(plan.Subjects.Count(s => s.Studies > 0), "subject", "subjects")}; " +
                         $"{Count(plan.RowsNotPlanned, "row brings", "rows bring")} nothing");
        foreach (var item in plan.Items)
            output.WriteLine(item.Problem is { } problem
                ? $"  not planned: {problem}"
                : $"  line {item.Line}: {item.SubjectKey}: study of {item.StudyDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "unknown date"} " +
                  $"{item.Modalities.Replace('\\', '/')}, {item.ExpectedInstances?.ToString(CultureInfo.InvariantCulture) ?? "?"} objects");
    }

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    private static string MethodName(string method) => method switch
    {
        "Move" => "C-MOVE",
        "Get" => "C-GET",
        _ => "WADO-RS",
    };

    private static void Draw(PullApiClient.PullSummaryDto s, TextWriter output)
    {
        const int width = 30;
        var fraction = s.ExpectedInstances == 0 ? (s.Studies == 0 ? 1 : (double)s.StudiesRetrieved / s.Studies) : Math.Min(1, (double)s.Received / s.ExpectedInstances);
        var filled = (int)(fraction * width);
        output.Write($"\r[{new string('#', filled)}{new string(' ', width - filled)}] {s.StudiesRetrieved}/{s.Studies} studies, {s.Received}/{s.ExpectedInstances} objects, " +
                     $"{s.Archived} archived, {s.Held} held, {s.StudiesFailed} failed  {s.State.ToLowerInvariant()}");
    }

    private static void PrintSummary(PullApiClient.PullSummaryDto s, CliConsole console)
    {
        console.Out.WriteLine($"pull {s.Id} {s.State.ToLowerInvariant()}: {s.StudiesRetrieved} of {s.Studies} studies retrieved, {s.Received} objects received, " +
                              $"{s.Archived} archived, {s.Duplicates} already archived, {s.Held} held for review, {s.StudiesFailed} studies failed");
        foreach (var subject in s.Subjects)
            console.Out.WriteLine($"  {subject.SubjectKey}: {subject.Retrieved}/{subject.Studies} studies, {subject.Archived} archived, {subject.Held} held" +
                                  (subject.NotPlanned > 0 ? $", {subject.NotPlanned} rows not planned" : ""));
        foreach (var hold in s.Holds)
            console.Out.WriteLine($"  held: {hold.Objects} objects: {hold.Reason} (see the quarantine)");
        foreach (var item in s.Items.Where(i => i.Problem is not null))
            console.Out.WriteLine($"  not planned: {item.Problem}");
        foreach (var item in s.Items.Where(i => i.State == "Failed"))
            console.Error.WriteLine($"  failed: line {item.Line} ({item.SubjectKey}) after {item.Attempts} attempts: {item.LastError}");
    }
}
