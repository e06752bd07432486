using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Deid.Pseudonyms;
using TrialFlow.Dicom;
using TrialFlow.Retrieval.Cohorts;
using TrialFlow.Retrieval.Domain;
using TrialFlow.Retrieval.Pacs;
using TrialFlow.Retrieval.Planning;

namespace TrialFlow.Retrieval.Jobs;

/// <summary>What a person asks for when planning a pull: how, from where (null: the site's registered PACS), and how gently.</summary>
public sealed record PullRequest(PullMethod Method, PacsEndpoint? Pacs = null, int MaxConcurrentStudies = 1, long? MaxBytesPerSecond = null);

public enum PullCommand
{
    Start,
    Pause,
    Resume,
    Cancel,
    RetryFailed,
}

/// <summary>A pull request names something that does not work; <see cref="Field"/> is the request field (400).</summary>
public sealed class PullRequestException(string field, string message) : ArgumentException(message)
{
    public string Field { get; } = field;
}

/// <summary>The site's PACS could not be asked (unreachable, refused, failed the query): 502 with what it said.</summary>
public sealed class PacsUnavailableException(string message, Exception inner) : Exception(message, inner);

public sealed class PullJobNotFoundException(Guid jobId) : Exception($"no pull job {jobId} among your sites' jobs");

/// <summary>
/// Plans pull jobs from a cohort file and changes their state on people's behalf; the caller's context applies their site
/// scope, so a data manager plans and sees only their sites' jobs. The <see cref="PullJobRunner"/> does the retrieving.
/// </summary>
public sealed class PullJobs(PacsClients clients, IdentifierSeal seal, PseudonymStore pseudonyms, PullJobRunner runner, TimeProvider time)
{
    /// <summary>Cohort files are lists of rows, not images: anything larger is a mistake.</summary>
    public const int MaxCohortBytes = 5 << 20;

    /// <summary>
    /// Reads the cohort, asks the PACS what it holds for each row (one query at a time) and saves the job as Planned with one
    /// item per study, or per row that brings nothing and why. Nothing is retrieved until the job is started.
    /// </summary>
    public async Task<PullJob> PlanAsync(TrialFlowDbContext db, Site site, PullRequest request, string fileName, Stream cohortCsv, CancellationToken cancellationToken)
    {
        var bytes = await ReadCohortAsync(cohortCsv, fileName, cancellationToken);
        var cohort = CohortFile.Read(new StringReader(Encoding.UTF8.GetString(bytes)), fileName);
        var registered = await db.PacsConnections.AsNoTracking().SingleOrDefaultAsync(p => p.SiteId == site.Id, cancellationToken);
        var endpoint = request.Pacs ?? registered?.Endpoint
            ?? throw new PullRequestException("pacs", $"site {site.SiteNumber} has no PACS registered: register its PACS connection, or give the PACS for this pull");
        if (endpoint.ProblemFor(request.Method) is { } problem)
            throw new PullRequestException("method", $"{problem}{(request.Pacs is null ? $"; site {site.SiteNumber}'s registered PACS has none" : "")}");
        PullJob job;
        try
        {
            job = new PullJob(site.TrialId, site.Id, request.Method, endpoint, Path.GetFileName(fileName), Convert.ToHexStringLower(SHA256.HashData(bytes)),
                db.Actor.UserName, time.GetUtcNow().UtcDateTime, request.MaxConcurrentStudies, request.MaxBytesPerSecond);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new PullRequestException(e.ParamName ?? "limits", e.Message.Split(" (Parameter")[0]);
        }

        RetrievalPlan plan;
        try
        {
            plan = await RetrievalPlanner.PlanAsync(clients.Source(endpoint, request.Method, registered), cohort, cancellationToken);
        }
        catch (Exception e) when (e is DicomException or HttpRequestException or IOException or System.Net.Sockets.SocketException or TaskCanceledException
                                      && !cancellationToken.IsCancellationRequested)
        {
            throw new PacsUnavailableException($"the PACS {endpoint.Describe(request.Method)} could not be queried: {e.Message}", e);
        }

        var subjects = await db.Subjects.AsNoTracking().Where(s => s.SiteId == site.Id).ToDictionaryAsync(s => s.SubjectKey, s => s.Id, StringComparer.Ordinal, cancellationToken);
        foreach (var row in plan.Rows)
            AddRow(job, site, row, subjects.TryGetValue(row.Entry.SubjectKey, out var subjectId) ? subjectId : null);
        db.PullJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        return job;
    }

    private void AddRow(PullJob job, Site site, SubjectPlan row, Guid? subjectId)
    {
        var entry = row.Entry;
        var matchedBy = entry.Match switch
        {
            CohortMatch.PatientId => "patient_id",
            CohortMatch.AccessionNumber => "accession_number",
            _ => "study_instance_uid",
        };
        // The MRN is kept only as the keyed hash intake's link table uses; the study UID only sealed.
        var patientKey = entry.Match == CohortMatch.PatientId ? pseudonyms.PatientKey(site.SiteNumber, entry.Value) : null;
        var problem = subjectId is null
            ? $"line {entry.Line}: subject {entry.SubjectKey} is not registered at site {site.SiteNumber}: register the subject first, then plan again"
            : row.Problem;
        if (problem is not null)
        {
            job.Add(PullItem.NotPlanned(job.Id, site.Id, entry.Line, entry.SubjectKey, subjectId, matchedBy, patientKey, problem));
            return;
        }
        foreach (var study in row.Studies)
            job.Add(PullItem.Study(job.Id, site.Id, entry.Line, entry.SubjectKey, subjectId!.Value, matchedBy, patientKey, seal.Seal(study.StudyInstanceUid),
                study.StudyDate, string.Join('\\', study.Modalities), study.Series, study.Instances));
    }

    /// <summary>Starts, pauses, resumes, cancels or retries the failed studies of a job; each change is audited.</summary>
    /// <exception cref="PullJobStateException">The job's state does not allow it (409).</exception>
    public async Task<PullJob> ChangeAsync(TrialFlowDbContext db, Guid jobId, PullCommand command, CancellationToken cancellationToken)
    {
        var job = await db.PullJobs.Include(j => j.Items).SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken) ?? throw new PullJobNotFoundException(jobId);
        var now = time.GetUtcNow().UtcDateTime;
        switch (command)
        {
            case PullCommand.Start:
                // Like a push, a pull brings subject data, which is archived only from an Active site.
                var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == job.SiteId, cancellationToken);
                if (site.Status != SiteStatus.Active)
                    throw new PullJobStateException($"site {site.SiteNumber} is {site.Status}: subject data is pulled only into an Active site; activate it first");
                job.Start(now);
                break;
            case PullCommand.Pause:
                job.Pause();
                break;
            case PullCommand.Resume:
                job.Resume();
                break;
            case PullCommand.Cancel:
                job.Cancel(now);
                break;
            case PullCommand.RetryFailed:
                job.RetryFailed();
                break;
        }
        await db.SaveChangesAsync(cancellationToken);
        runner.Wake();
        return job;
    }

    private static async Task<byte[]> ReadCohortAsync(Stream csv, string fileName, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await csv.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxCohortBytes)
                throw new CohortFileException(fileName, [$"the file is larger than {MaxCohortBytes / (1 << 20)} MiB; a cohort file lists rows, one per subject and key"]);
        }
        return buffer.ToArray();
    }
}
