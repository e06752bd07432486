using TrialFlow.Intake.Archive;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Intake.Pipeline;

/// <summary>The three places an object can be: encrypted staging, encrypted quarantine, or the de-identified archive.</summary>
public sealed class IntakeStores(IntakeOptions options) : IDisposable
{
    public StagingArea Staging { get; } = new(options.StagingDirectory, options.StagingKey);

    public EncryptedBlobStore Quarantine { get; } = new(options.QuarantineDirectory, options.StagingKey);

    public ContentAddressedArchive Archive { get; } = new(options.ArchiveDirectory);

    public QuarantineGrouping Grouping { get; } = new(options.StagingKey);

    /// <summary>Failed attempts and what was in flight when the host stopped (<see cref="IntakeAttempts"/>).</summary>
    public IntakeAttempts Attempts { get; } = new(options.StagingDirectory);

    public void Dispose() => Staging.Dispose();
}
