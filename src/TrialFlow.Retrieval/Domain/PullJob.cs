using TrialFlow.Core.Trials;
using TrialFlow.Retrieval.Pacs;

namespace TrialFlow.Retrieval.Domain;

/// <summary>
/// A retrospective pull of one cohort file from one site's PACS: its plan (one <see cref="PullItem"/> per study, or per
/// cohort row that brings none), its state, and the limits that keep a hospital PACS from being flooded. The cohort file
/// itself is not kept (it holds MRNs): only its name and hash, and per study what the plan needs.
/// </summary>
public sealed class PullJob : ISiteOwned
{
    private readonly List<PullItem> _items = [];

    private PullJob() { }

    public PullJob(Guid trialId, Guid siteId, PullMethod method, PacsEndpoint pacs, string cohortFileName, string cohortSha256, string createdBy, DateTime createdAt,
        int maxConcurrentStudies, long? maxBytesPerSecond)
    {
        Id = Guid.NewGuid();
        (PacsAeTitle, PacsHost, PacsPort, OurAeTitle, DicomWebUrl) = (pacs.AeTitle, pacs.Host, pacs.Port, pacs.OurAeTitle, pacs.DicomWebUrl);
        (TrialId, SiteId, Method, Pacs, CohortFileName, CohortSha256, CreatedBy, CreatedAt) = (trialId, siteId, method, pacs.Describe(method), cohortFileName, cohortSha256, createdBy, createdAt);
        if (maxConcurrentStudies is < 1 or > MaxConcurrency)
            throw new ArgumentOutOfRangeException(nameof(maxConcurrentStudies), $"studies at once must be 1 to {MaxConcurrency}");
        if (maxBytesPerSecond is < MinBytesPerSecond)
            throw new ArgumentOutOfRangeException(nameof(maxBytesPerSecond), $"a bandwidth limit must be at least {MinBytesPerSecond:N0} bytes/s");
        // The PACS's C-MOVE stores are told apart by its AE title, so a move job retrieves one study at a time.
        MaxConcurrentStudies = method == PullMethod.Move ? 1 : maxConcurrentStudies;
        MaxBytesPerSecond = maxBytesPerSecond;
        State = PullJobState.Planned;
    }

    public const int MaxConcurrency = 8;
    public const long MinBytesPerSecond = 64 * 1024;

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public PullMethod Method { get; private set; }

    /// <summary>The PACS as a person reads it (AE@host:port or the DICOMweb root), fixed when the job is planned.</summary>
    public string Pacs { get; private set; } = "";

    public string? PacsAeTitle { get; private set; }

    public string? PacsHost { get; private set; }

    public int? PacsPort { get; private set; }

    public string OurAeTitle { get; private set; } = PacsEndpoint.DefaultOurAeTitle;

    public string? DicomWebUrl { get; private set; }

    /// <summary>Where this job reaches the PACS: the site's registered connection or the one given for the job, as planned.</summary>
    public PacsEndpoint Endpoint => new(PacsAeTitle, PacsHost, PacsPort, OurAeTitle, DicomWebUrl);

    public string CohortFileName { get; private set; } = "";

    public string CohortSha256 { get; private set; } = "";

    public string CreatedBy { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    public PullJobState State { get; private set; }

    public DateTime? StartedAt { get; private set; }

    public DateTime? FinishedAt { get; private set; }

    public int MaxConcurrentStudies { get; private set; }

    public long? MaxBytesPerSecond { get; private set; }

    /// <summary>The node running the job and until when its claim holds; another node takes over only after it lapsed.</summary>
    public string? LeaseOwner { get; private set; }

    public DateTime? LeaseUntil { get; private set; }

    public IReadOnlyList<PullItem> Items => _items;

    public void Add(PullItem item) => _items.Add(item);

    public bool IsFinished => State is PullJobState.Completed or PullJobState.Cancelled;

    public void Start(DateTime now)
    {
        Require(State == PullJobState.Planned, "start", "it is planned");
        if (!_items.Any(i => i.State == PullItemState.Pending))
            throw new PullJobStateException("nothing to retrieve: no row of the cohort found a study it can pull");
        (State, StartedAt) = (PullJobState.Running, now);
    }

    public void Pause()
    {
        Require(State == PullJobState.Running, "pause", "it is running");
        State = PullJobState.Paused;
    }

    public void Resume()
    {
        Require(State == PullJobState.Paused, "resume", "it is paused");
        State = PullJobState.Running;
    }

    public void Cancel(DateTime now)
    {
        Require(!IsFinished, "cancel", "it has not finished");
        foreach (var item in _items.Where(i => i.State is PullItemState.Pending or PullItemState.Retrieving))
            item.Cancel();
        (State, FinishedAt) = (PullJobState.Cancelled, now);
    }

    /// <summary>Tries every failed study again (after a PACS outage was fixed), reopening a completed job.</summary>
    public int RetryFailed()
    {
        Require(State is PullJobState.Completed or PullJobState.Running or PullJobState.Paused, "retry", "it is not cancelled");
        var failed = _items.Where(i => i.State == PullItemState.Failed).ToList();
        if (failed.Count == 0)
            throw new PullJobStateException("no study of this job failed");
        foreach (var item in failed)
            item.Reopen();
        if (State == PullJobState.Completed)
            (State, FinishedAt) = (PullJobState.Running, null);
        return failed.Count;
    }

    /// <summary>Ends a running job once nothing is left to retrieve.</summary>
    public bool CompleteIfDone(DateTime now)
    {
        if (State != PullJobState.Running || _items.Any(i => i.State is PullItemState.Pending or PullItemState.Retrieving))
            return false;
        (State, FinishedAt) = (PullJobState.Completed, now);
        return true;
    }

    private void Require(bool allowed, string action, string condition)
    {
        if (!allowed)
            throw new PullJobStateException($"cannot {action} a {State.ToString().ToLowerInvariant()} pull: only while {condition}");
    }
}

/// <summary>A pull job was asked for a change its state does not allow (409).</summary>
public sealed class PullJobStateException(string message) : InvalidOperationException(message);
