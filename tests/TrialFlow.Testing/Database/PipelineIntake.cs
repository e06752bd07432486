using Microsoft.Extensions.Logging.Abstractions;
using TrialFlow.Intake;
using TrialFlow.Intake.Domain;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Testing;

/// <summary>
/// The real intake over a <see cref="PipelineFolder"/>, wired as the host wires it (stores, receiver, pipeline), and the
/// way the pipeline harnesses feed it: one object staged as a DICOM push to the trial's site, then processed.
/// </summary>
public sealed class PipelineIntake
{
    private readonly TimeProvider _clock;

    public PipelineIntake(PipelineFolder folder, TimeProvider clock)
    {
        _clock = clock;
        Stores = new IntakeStores(folder.Intake);
        Receiver = new IntakeReceiver(Stores, folder.Intake);
        Pipeline = new IntakePipeline(Stores, new DeidProfileCatalog(folder.Intake), folder.Pseudonyms, folder.Database, clock, NullLogger<IntakePipeline>.Instance);
    }

    public IntakeStores Stores { get; }

    public IntakeReceiver Receiver { get; }

    public IntakePipeline Pipeline { get; }

    /// <summary>
    /// Stages <paramref name="bytes"/> as pushed by <paramref name="sender"/> (AE title@address) to the site, now on the
    /// clock, and runs the pipeline on it. With <paramref name="subjectId"/> and <paramref name="visitId"/> the object
    /// names its subject and visit, as an upload does; with <paramref name="purpose"/> Qualification it is a qualification scan.
    /// The outcome is the pipeline's (null: nothing was left staged).
    /// </summary>
    public async Task<IntakeOutcome?> PushAsync(byte[] bytes, Guid trialId, Guid siteId, string sender, Guid? subjectId = null, Guid? visitId = null,
        IntakePurpose purpose = IntakePurpose.Subject)
    {
        var staged = await Receiver.StageAsync(
            new StagedObject(IntakeChannel.DicomPush, trialId, siteId, _clock.GetUtcNow().UtcDateTime, sender, null, subjectId, visitId, bytes.Length, Purpose: purpose),
            new MemoryStream(bytes), CancellationToken.None);
        return await Pipeline.ProcessAsync(staged, CancellationToken.None);
    }
}
