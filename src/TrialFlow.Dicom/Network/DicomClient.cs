using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TrialFlow.Dicom.Network;

/// <summary>
/// A DICOM SCU for Verification and Storage: C-ECHO, and C-STORE of Part 10 files with presentation contexts derived
/// from the files themselves (their SOP class in their own transfer syntax, plus Implicit VR Little Endian as fallback).
/// </summary>
public sealed class DicomClient
{
    private const int MaxContextsPerAssociation = 128; // PS3.8 9.3.2.2: odd context IDs 1..255

    private readonly string _host;
    private readonly int _port;
    private readonly DicomClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public DicomClient(string host, int port, DicomClientOptions? options = null, ILogger<DicomClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        _host = host;
        _port = port;
        _options = options ?? new DicomClientOptions();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Opens an association proposing <paramref name="contexts"/> (at most 128).</summary>
    /// <exception cref="DicomAssociationRejectedException">The peer rejected the association.</exception>
    /// <exception cref="DicomNetworkException">No connection, no answer in time, or an invalid answer.</exception>
    public Task<DicomClientAssociation> AssociateAsync(IReadOnlyList<DicomProposedContext> contexts, CancellationToken cancellationToken = default) =>
        DicomClientAssociation.OpenAsync(_host, _port, contexts, _options, _logger, _time, cancellationToken);

    /// <summary>Associates, sends one C-ECHO, releases; returns the C-ECHO status.</summary>
    public async Task<DicomStatus> EchoAsync(CancellationToken cancellationToken = default)
    {
        var association = await AssociateAsync(
            [new DicomProposedContext(DicomServerDefaults.VerificationSopClassUid, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid, DicomTransferSyntax.ExplicitVRLittleEndian.Uid])],
            cancellationToken).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            var status = await association.EchoAsync(cancellationToken).ConfigureAwait(false);
            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            return status;
        }
    }

    /// <summary>Associates, sends one C-FIND (<paramref name="sopClassUid"/>, e.g. Study Root), collects the matches, releases.</summary>
    /// <exception cref="DicomQueryException">The peer answered with a failure status.</exception>
    public async Task<IReadOnlyList<DicomDataset>> FindAsync(string sopClassUid, DicomDataset identifier, CancellationToken cancellationToken = default)
    {
        var association = await AssociateAsync([QueryContext(sopClassUid)], cancellationToken).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            var matches = new List<DicomDataset>();
            await foreach (var match in association.FindAsync(sopClassUid, identifier, cancellationToken).ConfigureAwait(false))
                matches.Add(match);
            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            return matches;
        }
    }

    /// <summary>Associates, sends one C-MOVE to <paramref name="destinationAeTitle"/>, waits for its end, releases.</summary>
    public async Task<DicomRetrieveResult> MoveAsync(string sopClassUid, DicomDataset identifier, string destinationAeTitle,
        IProgress<DicomRetrieveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var association = await AssociateAsync([QueryContext(sopClassUid)], cancellationToken).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            var result = await association.MoveAsync(sopClassUid, identifier, destinationAeTitle, progress, cancellationToken).ConfigureAwait(false);
            await association.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
    }

    /// <summary>
    /// Associates proposing the C-GET class and, with the SCP role, each storage class in <paramref name="storageSopClasses"/>
    /// (default <see cref="DicomQueryRetrieve.TrialStorageSopClasses"/>) in native and common lossless syntaxes; sends one
    /// C-GET; the instances go to <paramref name="store"/>; releases.
    /// </summary>
    public async Task<DicomRetrieveResult> GetAsync(string sopClassUid, DicomDataset identifier, IDicomStoreHandler store,
        IReadOnlyList<string>? storageSopClasses = null, IProgress<DicomRetrieveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var contexts = new List<DicomProposedContext> { QueryContext(sopClassUid) };
        foreach (var storage in storageSopClasses ?? DicomQueryRetrieve.TrialStorageSopClasses)
        {
            contexts.Add(new DicomProposedContext(storage, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid], ProposeScpRole: true));
            contexts.Add(new DicomProposedContext(storage, LosslessSyntaxes, ProposeScpRole: true));
        }
        if (contexts.Count > MaxContextsPerAssociation)
            throw new ArgumentException($"{storageSopClasses!.Count} storage classes need {contexts.Count} presentation contexts; an association holds {MaxContextsPerAssociation}.", nameof(storageSopClasses));
        var association = await AssociateAsync(contexts, cancellationToken).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            var result = await association.GetAsync(sopClassUid, identifier, store, progress, cancellationToken).ConfigureAwait(false);
            await association.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }
    }

    // What a PACS most often stores compressed without loss: JPEG Lossless SV1, JPEG 2000 lossless, RLE.
    private static readonly string[] LosslessSyntaxes = ["1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.5"];

    private static DicomProposedContext QueryContext(string sopClassUid) =>
        new(sopClassUid, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid]);

    /// <summary>
    /// Sends Part 10 files with C-STORE, in order, over as few associations as the 128-context limit allows, and
    /// returns one result per file (files that are unreadable or whose syntax the peer refused are reported, not sent).
    /// </summary>
    public async Task<IReadOnlyList<DicomStoreResult>> StoreFilesAsync(IEnumerable<string> paths, CancellationToken cancellationToken = default)
    {
        var results = new List<DicomStoreResult>();
        var batch = new List<string>();
        var contexts = new List<DicomProposedContext>();
        var keys = new HashSet<(string, string)>();
        foreach (var path in paths)
        {
            DicomPart10Header header;
            try
            {
                header = DicomPart10.ReadHeader(path);
            }
            catch (Exception ex) when (ex is DicomParseException or IOException or UnauthorizedAccessException)
            {
                results.Add(new DicomStoreResult(path, null, null, ex.Message));
                continue;
            }
            var needed = new List<(string SopClass, string Ts)> { (header.SopClassUid, header.TransferSyntaxUid) };
            if (header.TransferSyntaxUid != DicomTransferSyntax.ImplicitVRLittleEndian.Uid)
                needed.Add((header.SopClassUid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid));
            var added = needed.Count(k => !keys.Contains(k));
            if (contexts.Count + added > MaxContextsPerAssociation)
            {
                results.AddRange(await SendBatchAsync(batch, contexts, cancellationToken).ConfigureAwait(false));
                batch.Clear();
                contexts.Clear();
                keys.Clear();
            }
            foreach (var k in needed)
                if (keys.Add(k)) contexts.Add(new DicomProposedContext(k.SopClass, [k.Ts]));
            batch.Add(path);
        }
        if (batch.Count > 0) results.AddRange(await SendBatchAsync(batch, contexts, cancellationToken).ConfigureAwait(false));
        return results;
    }

    private async Task<List<DicomStoreResult>> SendBatchAsync(List<string> paths, List<DicomProposedContext> contexts, CancellationToken cancellationToken)
    {
        var results = new List<DicomStoreResult>(paths.Count);
        var association = await AssociateAsync([.. contexts], cancellationToken).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            foreach (var path in paths)
                results.Add(await association.StoreFileAsync(path, cancellationToken).ConfigureAwait(false));
            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
        return results;
    }
}
