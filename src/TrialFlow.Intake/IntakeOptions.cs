using Microsoft.Extensions.Configuration;
using TrialFlow.Core.Persistence;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Intake;

/// <summary>
/// Intake settings, bound from <c>TrialFlow:Intake</c>: the staging key, how long a pushed study must be quiet to count
/// as complete, the de-identification profile for the trial and per site, and the largest object accepted.
/// </summary>
public sealed record IntakeOptions
{
    public required string DataDirectory { get; init; }

    public required byte[] StagingKey { get; init; }

    /// <summary>A DICOM-pushed study is complete when no instance arrived for this long (default 60 s).</summary>
    public TimeSpan StableStudyAge { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The trial's de-identification profile (default <c>rulesets/deid/trial-default.yaml</c>).</summary>
    public required string DefaultProfile { get; init; }

    /// <summary>Profiles that override the trial's for a site (site number → file), e.g. for a data-sharing agreement.</summary>
    public IReadOnlyDictionary<string, string> SiteProfiles { get; init; } = new Dictionary<string, string>();

    /// <summary>Objects larger than this are refused at the door (default 2 GiB).</summary>
    public long MaxObjectBytes { get; init; } = 2L << 30;

    /// <summary>Failed attempts after which a staged object is held in quarantine as ProcessingFailed (default 3).</summary>
    public int MaxProcessingAttempts { get; init; } = 3;

    /// <summary>Wait before the first retry of a failed object; each further retry waits four times longer (default 2 s).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A staged object older than this makes <c>/health</c> report Degraded (default 10 minutes).</summary>
    public TimeSpan StagedAgeLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The called AE title sites push qualification scans to (<c>TrialFlow:Dicom:QualificationAeTitle</c>, default
    /// TRIALFLOW_QUAL): same port and calling AE titles, but what arrives qualifies a scanner instead of feeding a subject.
    /// </summary>
    public string QualificationAeTitle { get; init; } = "TRIALFLOW_QUAL";

    public string StagingDirectory => Path.Combine(DataDirectory, "staging");

    public string QuarantineDirectory => Path.Combine(DataDirectory, "quarantine");

    public string ArchiveDirectory => Path.Combine(DataDirectory, "archive");

    public static IntakeOptions FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var dataDirectory = DatabaseOptions.FromConfiguration(configuration).DataDirectory;
        var section = configuration.GetSection("TrialFlow:Intake");
        string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path);
        return new IntakeOptions
        {
            DataDirectory = dataDirectory,
            StagingKey = Staging.StagingKey.Resolve(section["StagingKey"], dataDirectory),
            StableStudyAge = TimeSpan.FromSeconds(section.GetValue("StableStudySeconds", 60)),
            DefaultProfile = Resolve(section["DeidProfile"] is { Length: > 0 } p ? p : Path.Combine("rulesets", "deid", "trial-default.yaml")),
            SiteProfiles = section.GetSection("SiteProfiles").GetChildren().ToDictionary(c => c.Key, c => Resolve(c.Value!)),
            MaxObjectBytes = section.GetValue("MaxObjectBytes", 2L << 30),
            MaxProcessingAttempts = Math.Max(1, section.GetValue("MaxProcessingAttempts", 3)),
            RetryDelay = TimeSpan.FromSeconds(section.GetValue("RetryDelaySeconds", 2.0)),
            StagedAgeLimit = TimeSpan.FromMinutes(section.GetValue("StagedAgeLimitMinutes", 10.0)),
            QualificationAeTitle = configuration["TrialFlow:Dicom:QualificationAeTitle"] is { Length: > 0 } qual ? qual.Trim() : "TRIALFLOW_QUAL",
        };
    }
}
