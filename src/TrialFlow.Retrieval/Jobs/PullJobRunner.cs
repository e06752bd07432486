using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Retrieval.Domain;

namespace TrialFlow.Retrieval.Jobs;

/// <summary>
/// Runs the pull jobs people started, on whichever node holds a job's lease: a claim in the database (owner and expiry,
/// set by a conditional update, so two nodes never both win) that the node renews while it works and another node may
/// take only after it lapsed. Everything a job needs to go on is in the database, so after a restart (or on another node)
/// it resumes: a study cut off mid-transfer is retrieved again from its start, and what already arrived is recognized by
/// intake as a duplicate, never archived twice.
/// </summary>
public sealed class PullJobRunner(
    DatabaseOptions database, StudyRetriever retriever, IdentifierSeal seal, RetrievalOptions options, TimeProvider time, ILogger<PullJobRunner> logger)
    : BackgroundService
{
    private static readonly Actor RunnerActor = Actor.System("retrieval");

    private readonly ConcurrentDictionary<Guid, Task> _running = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    /// <summary>Looks for work now instead of at the next poll (a job was started or resumed on this node).</summary>
    public void Wake() => _wake.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ClaimJobsAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Pull jobs: looking for jobs to run failed; trying again in {Interval}", options.PollInterval);
            }
            try
            {
                await _wake.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(_running.Values);
    }

    private async Task ClaimJobsAsync(CancellationToken stopping)
    {
        await using var db = CreateContext();
        var now = Now;
        var candidates = await db.PullJobs.AsNoTracking()
            .Where(j => j.State == PullJobState.Running && (j.LeaseUntil == null || j.LeaseUntil < now || j.LeaseOwner == options.NodeId))
            .Select(j => j.Id).ToListAsync(stopping);
        foreach (var id in candidates.Where(id => !_running.ContainsKey(id)))
        {
            if (await LeaseAsync(id, stopping))
                _running[id] = Task.Run(() => RunJobAsync(id, stopping), CancellationToken.None);
        }
    }

    /// <summary>Claims or renews this node's lease on a job; false when another node holds it.</summary>
    private async Task<bool> LeaseAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = CreateContext();
        var (now, node) = (Now, options.NodeId);
        var until = now + options.Lease;
        return await db.PullJobs.Where(j => j.Id == jobId && (j.LeaseOwner == node || j.LeaseUntil == null || j.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseOwner, node).SetProperty(j => j.LeaseUntil, until), cancellationToken) == 1;
    }

    private async Task RunJobAsync(Guid jobId, CancellationToken stopping)
    {
        try
        {
            await ResumeInterruptedAsync(jobId, stopping);
            TransferLimiter? limiter = null;
            while (!stopping.IsCancellationRequested)
            {
                if (!await LeaseAsync(jobId, stopping))
                {
                    logger.LogWarning("Pull job {Job}: another node took it over; this node stops running it", jobId);
                    return;
                }
                await using var db = CreateContext();
                // The job's row and the next studies only: a cohort of thousands is not loaded again for every study.
                var job = await db.PullJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, stopping);
                if (job.State != PullJobState.Running)
                    return;
                limiter ??= new TransferLimiter(job.MaxBytesPerSecond, time);
                var now = Now;
                var open = db.PullItems.AsNoTracking().Where(i => i.JobId == jobId && (i.State == PullItemState.Pending || i.State == PullItemState.Retrieving));
                var ready = await open.Where(i => i.State == PullItemState.Pending && (i.NextAttemptAt == null || i.NextAttemptAt <= now))
                    .OrderBy(i => i.Attempts).ThenBy(i => i.Line).ThenBy(i => i.StudyDate)
                    .Take(job.MaxConcurrentStudies).Select(i => i.Id).ToListAsync(stopping);
                if (ready.Count == 0)
                {
                    if (!await open.AnyAsync(stopping))
                    {
                        await CompleteAsync(db, jobId, stopping);
                        return;
                    }
                    // Only studies waiting for their retry: sleep until the first is due (renewing the lease meanwhile).
                    var due = await open.MinAsync(i => i.NextAttemptAt, stopping) ?? now;
                    await Task.Delay(TimeSpan.FromTicks(Math.Clamp((due - now).Ticks, TimeSpan.FromMilliseconds(50).Ticks, options.PollInterval.Ticks)), time, stopping);
                    continue;
                }
                await Task.WhenAll(ready.Select(itemId => RunItemAsync(job, itemId, limiter, stopping)));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The lease lapses and the next poll (here or on another node) takes the job up again.
            logger.LogError(e, "Pull job {Job} stopped on an error; it is taken up again at the next poll", jobId);
        }
        finally
        {
            _running.TryRemove(jobId, out _);
            await ReleaseAsync(jobId);
        }
    }

    private async Task CompleteAsync(TrialFlowDbContext db, Guid jobId, CancellationToken cancellationToken)
    {
        var job = await db.PullJobs.Include(j => j.Items).SingleAsync(j => j.Id == jobId, cancellationToken);
        if (!job.CompleteIfDone(Now))
            return;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Pull job {Job} from {Pacs} completed: {Retrieved} of {Studies} studies retrieved, {Failed} failed", jobId, job.Pacs,
            job.Items.Count(i => i.State == PullItemState.Retrieved), job.Items.Count(i => i.State != PullItemState.NotPlanned),
            job.Items.Count(i => i.State == PullItemState.Failed));
    }

    /// <summary>Studies left mid-transfer by a restart, a crash or a lost lease run again from their start.</summary>
    private async Task ResumeInterruptedAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = CreateContext();
        var interrupted = await db.PullItems.Where(i => i.JobId == jobId && i.State == PullItemState.Retrieving).ToListAsync(cancellationToken);
        if (interrupted.Count == 0)
            return;
        foreach (var item in interrupted)
            item.Interrupted();
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Pull job {Job}: {Count} studies interrupted before are retrieved again", jobId, interrupted.Count);
    }

    private async Task RunItemAsync(PullJob job, Guid itemId, TransferLimiter limiter, CancellationToken stopping)
    {
        await using var db = CreateContext();
        var item = await db.PullItems.SingleAsync(i => i.Id == itemId, stopping);
        // The registered connection matters only for its DICOMweb credentials.
        var registered = job.Method == PullMethod.DicomWeb ? await db.PacsConnections.AsNoTracking().SingleOrDefaultAsync(p => p.SiteId == job.SiteId, stopping) : null;
        item.Begin();
        await db.SaveChangesAsync(stopping);

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var watching = new CancellationTokenSource();
        var received = 0;
        var watcher = WatchAsync(job.Id, itemId, () => Volatile.Read(ref received), attempt, watching.Token);
        try
        {
            var study = seal.Open(item.SourceStudySealed!);
            var outcome = await retriever.RetrieveAsync(job, item, study, registered, limiter, n => Volatile.Write(ref received, n), attempt.Token);
            item.Retrieved(outcome.Received, outcome.NotReceived, outcome.Warning, Now);
            logger.LogInformation("Pull job {Job}: line {Line} (subject {Subject}) retrieved, {Count} objects into intake", job.Id, item.Line, item.SubjectKey, outcome.Received);
        }
        catch (OperationCanceledException) when (attempt.IsCancellationRequested)
        {
            // Paused, cancelled, or the host is stopping: not a failure of the PACS.
            var state = await db.PullJobs.AsNoTracking().Where(j => j.Id == job.Id).Select(j => j.State).SingleAsync(CancellationToken.None);
            if (state == PullJobState.Cancelled)
                item.Cancel();
            else
                item.Interrupted();
        }
        catch (Exception e)
        {
            var retryAt = item.Attempts < options.MaxAttempts ? Now + options.RetryDelayAfter(item.Attempts) : (DateTime?)null;
            item.Failed(e.Message, retryAt);
            logger.LogWarning("Pull job {Job}: line {Line} (subject {Subject}) attempt {Attempt} of {Max} failed{Retry}: {Error}", job.Id, item.Line, item.SubjectKey,
                item.Attempts, options.MaxAttempts, retryAt is null ? "; given up" : $"; retried at {retryAt:HH:mm:ss} UTC", e.Message);
        }
        finally
        {
            await watching.CancelAsync();
            await watcher;
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// While a study transfers: renews the job's lease, writes its progress for the progress bars, and ends the attempt when
    /// the job is paused or cancelled (from any node).
    /// </summary>
    private async Task WatchAsync(Guid jobId, Guid itemId, Func<int> received, CancellationTokenSource attempt, CancellationToken done)
    {
        var written = 0;
        while (!done.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.PollInterval, time, done);
                await using var db = CreateContext();
                if (received() is var count && count != written)
                {
                    await db.PullItems.Where(i => i.Id == itemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Received, count), done);
                    written = count;
                }
                // A long study must not let the lease lapse under it; a lease lost to another node ends the attempt here.
                if (!await LeaseAsync(jobId, done)
                    || await db.PullJobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.State).SingleAsync(done) != PullJobState.Running)
                {
                    await attempt.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Pull job {Job}: recording progress failed; the transfer goes on", jobId);
            }
        }
    }

    private async Task ReleaseAsync(Guid jobId)
    {
        try
        {
            await using var db = CreateContext();
            var node = options.NodeId;
            await db.PullJobs.Where(j => j.Id == jobId && j.LeaseOwner == node)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseOwner, (string?)null).SetProperty(j => j.LeaseUntil, (DateTime?)null));
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Pull job {Job}: releasing the lease failed; it lapses by itself", jobId);
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private TrialFlowDbContext CreateContext() => DatabaseServiceCollectionExtensions.CreateContext(database, RunnerActor, time);
}
