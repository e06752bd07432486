using System.Net;
using TrialFlow.Dicom.Network;
using TrialFlow.Intake.Channels;
using TrialFlow.Intake.Domain;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Intake.Staging;
using TrialFlow.Retrieval.Domain;
using TrialFlow.Retrieval.Pacs;

namespace TrialFlow.Retrieval.Jobs;

/// <summary>What one attempt at a study brought: objects staged into intake, objects the PACS could not send, and its warning.</summary>
public sealed record StudyRetrieval(int Received, int NotReceived, string? Warning);

/// <summary>A PACS failed a retrieval (refused, unreachable, answered with a failure status); the message says how.</summary>
public sealed class StudyRetrievalException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Retrieves one study from the site's PACS into intake, by C-MOVE, C-GET or WADO-RS. Every object is staged exactly as a
/// pushed one (encrypted, acknowledged only once durable), declared for the cohort's subject, tagged with the study it was
/// asked for (intake holds anything else) and with the pull item in its receipt.
/// </summary>
public sealed class StudyRetriever(IntakeReceiver receiver, RetrieveDeliveries deliveries, PacsClients clients, TimeProvider time)
{
    public async Task<StudyRetrieval> RetrieveAsync(PullJob job, PullItem item, string studyInstanceUid, PacsConnection? registered, TransferLimiter limiter,
        Action<int> onReceived, CancellationToken cancellationToken)
    {
        var endpoint = job.Endpoint;
        var received = 0;
        async Task StageAsync(Stream file, CancellationToken ct)
        {
            await limiter.WaitAsync(file.Length, ct);
            var staged = new StagedObject(IntakeChannel.Retrieval, job.TrialId, job.SiteId, time.GetUtcNow().UtcDateTime, Sender(job), null,
                item.SubjectId, null, file.Length, ClientReference: item.ClientReference, ExpectedStudyInstanceUid: studyInstanceUid);
            await receiver.StageAsync(staged, file, ct);
            onReceived(Interlocked.Increment(ref received));
        }

        try
        {
            switch (job.Method)
            {
                case PullMethod.Move:
                {
                    var addresses = await Dns.GetHostAddressesAsync(endpoint.Host!, cancellationToken);
                    using var expected = deliveries.Expect(new ExpectedDelivery(endpoint.AeTitle!, endpoint.OurAeTitle, addresses, StageAsync));
                    var result = await PacsClients.Dimse(endpoint).MoveAsync(DicomQueryRetrieve.StudyRootMove, DicomQueryRetrieve.RetrieveIdentifier(studyInstanceUid),
                        endpoint.OurAeTitle, cancellationToken: cancellationToken);
                    return Outcome("C-MOVE", result, received);
                }
                case PullMethod.Get:
                {
                    var result = await PacsClients.Dimse(endpoint).GetAsync(DicomQueryRetrieve.StudyRootGet, DicomQueryRetrieve.RetrieveIdentifier(studyInstanceUid),
                        new IntakeStoreHandler(StageAsync), cancellationToken: cancellationToken);
                    return Outcome("C-GET", result, received);
                }
                default:
                {
                    await clients.DicomWeb(endpoint, registered).RetrieveAsync(studyInstanceUid, null,
                        async (bytes, ct) => await StageAsync(new MemoryStream(bytes.ToArray(), writable: false), ct), cancellationToken);
                    return received > 0 ? new StudyRetrieval(received, 0, null) : throw new StudyRetrievalException("WADO-RS returned no instance for the study");
                }
            }
        }
        catch (Exception e) when (e is DicomNetworkException or Dicom.Web.DicomWebException or HttpRequestException or System.Net.Sockets.SocketException or IOException
                                      or IntakeRejectedException)
        {
            throw new StudyRetrievalException($"{Describe(job.Method)} from {job.Pacs} failed after {received} object(s): {e.Message}", e);
        }
    }

    private static string Sender(PullJob job) => $"{Describe(job.Method)} from {job.Pacs}" is var s && s.Length > 128 ? s[..128] : s;

    private static string Describe(PullMethod method) => method switch
    {
        PullMethod.Move => "C-MOVE",
        PullMethod.Get => "C-GET",
        _ => "WADO-RS",
    };

    /// <summary>
    /// A C-MOVE or C-GET answered: failure and cancel statuses are errors; a warning (some sub-operations failed) retrieved
    /// what it could and says how many are missing.
    /// </summary>
    private static StudyRetrieval Outcome(string operation, DicomRetrieveResult result, int received)
    {
        if (result.Status.IsFailure || result.IsCancelled)
            throw new StudyRetrievalException($"{operation} ended with status {result.Status}{(string.IsNullOrWhiteSpace(result.ErrorComment) ? "" : $": {result.ErrorComment}")} " +
                $"({result.Completed} sent, {result.Failed} failed)");
        if (received == 0 && result.Failed == 0)
            throw new StudyRetrievalException($"{operation} succeeded but sent nothing: the PACS holds no instance of the study now, or sent it elsewhere");
        var warning = result.Failed > 0 || result.Status.IsWarning
            ? $"{operation} ended with status {result.Status}: {result.Failed} object(s) could not be sent{(string.IsNullOrWhiteSpace(result.ErrorComment) ? "" : $" ({result.ErrorComment})")}"
            : null;
        return new StudyRetrieval(received, result.Failed, warning);
    }

    /// <summary>C-GET's store sub-operations, staged into intake as they come.</summary>
    private sealed class IntakeStoreHandler(Func<Stream, CancellationToken, Task> stage) : IDicomStoreHandler
    {
        public ValueTask<IDicomStoreSink> BeginStoreAsync(DicomStoreRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IDicomStoreSink>(new Part10StagingSink(request, stage));
    }
}
