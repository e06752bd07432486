using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TrialFlow.Core.Access;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Dicom.Network;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Intake.Channels;

/// <summary>
/// DICOM push (C-STORE) as an intake channel: only AE titles registered for a site may associate, and only from the
/// networks registered with the title; each instance is acknowledged only after it is durably staged, encrypted.
/// </summary>
public sealed class DicomPushChannel(
    IntakeReceiver receiver, IntakeOptions options, DatabaseOptions database, TimeProvider time, ILogger<DicomPushChannel> logger, RetrieveDeliveries? deliveries = null)
    : IDicomAssociationPolicy, IDicomStoreHandler, IDicomAssociationObserver
{
    private static readonly Actor ChannelActor = Actor.System("dicom-push");

    /// <summary>
    /// How long a sender looked up stays cached. Short, because the database is the truth and may change under us: a
    /// study manager edits a site's AE titles or networks, or another node does. Unknown titles are never cached, so a
    /// new site is accepted at once.
    /// </summary>
    public static readonly TimeSpan SenderCacheLifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (SiteSender Sender, DateTimeOffset Until)> _senders = new(StringComparer.Ordinal);

    public async ValueTask<DicomAssociationDecision> EvaluateAsync(DicomAssociationRequest request, CancellationToken cancellationToken)
    {
        // A site's PACS delivering a study a pull on this node asked for (and only from the PACS's own address).
        if (deliveries?.Expects(request.CallingAeTitle, request.RemoteEndPoint.Address) == true)
            return DicomAssociationDecision.Accept;
        var sender = await FindSenderAsync(request.CallingAeTitle, cancellationToken);
        if (sender is null)
            return DicomAssociationDecision.RejectCallingAeTitle;
        if (sender.ClientCertificateSha256 is { } pinned && !string.Equals(pinned, request.ClientCertificateSha256, StringComparison.OrdinalIgnoreCase))
        {
            // The site's senders prove who they are with its certificate; a title and address alone are not enough.
            logger.LogWarning("Refused DICOM association: AE title {AeTitle} of site {Site} presented {Presented}, not the site's pinned client certificate",
                request.CallingAeTitle, sender.SiteNumber, request.ClientCertificateSha256 is null ? "no TLS client certificate" : $"certificate {request.ClientCertificateSha256}");
            return DicomAssociationDecision.RejectCallingAeTitle;
        }
        if (sender.Networks.Contains(request.RemoteEndPoint.Address))
            return DicomAssociationDecision.Accept;
        // A registered title from an unregistered address is someone else using the site's name: refuse it the same way.
        logger.LogWarning("Refused DICOM association: AE title {AeTitle} of site {Site} called from {Address}, outside {Networks}",
            request.CallingAeTitle, sender.SiteNumber, request.RemoteEndPoint.Address, sender.Networks);
        return DicomAssociationDecision.RejectCallingAeTitle;
    }

    public async ValueTask<IDicomStoreSink> BeginStoreAsync(DicomStoreRequest request, CancellationToken cancellationToken)
    {
        if (deliveries?.Find(request.CallingAeTitle, request.RemoteEndPoint.Address, request.MoveOriginatorAeTitle) is { } delivery)
            return new Part10StagingSink(request, delivery.StageAsync);
        // The PACS a pull is waiting for, storing something that is not that pull's C-MOVE: refused, and counted as a
        // failed sub-operation the pull reports, rather than taken in under a guess.
        if (deliveries?.Expects(request.CallingAeTitle, request.RemoteEndPoint.Address) == true)
            throw new DicomStoreException(DicomStatus.ProcessingFailure,
                $"this C-STORE names {(string.IsNullOrWhiteSpace(request.MoveOriginatorAeTitle) ? "no move originator" : $"move originator {request.MoveOriginatorAeTitle.Trim()}")}: " +
                "TrialFlow takes from a PACS only the objects of the C-MOVE it asked for");
        var sender = await FindSenderAsync(request.CallingAeTitle, cancellationToken)
            ?? throw new DicomStoreException(DicomStatus.ProcessingFailure, $"calling AE title {request.CallingAeTitle} is no longer registered for a site");
        return new Part10StagingSink(request, (file, ct) => StageAsync(request, sender, file, ct));
    }

    public async ValueTask OnAssociationEndedAsync(DicomAssociationSummary summary, CancellationToken cancellationToken)
    {
        // Refused or broken connections are what a study team needs to see: wrong credentials, garbage, slow clients.
        if (summary.Outcome is DicomAssociationOutcome.Released)
            return;
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, ChannelActor, time);
        var site = await FindSenderAsync(summary.CallingAeTitle, cancellationToken);
        db.RecordEvent($"DicomAssociation{summary.Outcome}", "DicomAssociation", summary.AssociationId.ToString(), site?.SiteId,
            System.Text.Json.JsonSerializer.Serialize(new { summary.CallingAeTitle, remote = summary.RemoteEndPoint.ToString(), summary.Detail, summary.InstancesStored, summary.InstancesFailed }));
        await db.SaveChangesAsync(cancellationToken);
    }

    private async ValueTask<SiteSender?> FindSenderAsync(string callingAeTitle, CancellationToken cancellationToken)
    {
        var title = callingAeTitle.Trim();
        if (_senders.TryGetValue(title, out var known) && known.Until > time.GetUtcNow())
            return known.Sender;
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, ChannelActor, time);
        var sender = await db.SiteAeTitles.AsNoTracking().Where(a => a.AeTitle == title)
            .Join(db.Sites, a => a.SiteId, s => s.Id, (a, s) => new { s.TrialId, SiteId = s.Id, s.SiteNumber, a.Networks, s.ClientCertificateSha256 })
            .AsAsyncEnumerable()
            .Select(r => new SiteSender(r.TrialId, r.SiteId, r.SiteNumber, SenderNetworks.Parse(r.Networks), r.ClientCertificateSha256))
            .SingleOrDefaultAsync(cancellationToken);
        if (sender is not null)
            _senders[title] = (sender, time.GetUtcNow() + SenderCacheLifetime);
        else
        {
            _senders.TryRemove(title, out _);
            logger.LogWarning("Refused DICOM association from unregistered calling AE title {AeTitle}", title);
        }
        return sender;
    }

    private async Task StageAsync(DicomStoreRequest request, SiteSender sender, Stream file, CancellationToken cancellationToken)
    {
        var purpose = string.Equals(request.CalledAeTitle.Trim(), options.QualificationAeTitle, StringComparison.Ordinal) ? IntakePurpose.Qualification : IntakePurpose.Subject;
        var staged = new StagedObject(IntakeChannel.DicomPush, sender.TrialId, sender.SiteId, time.GetUtcNow().UtcDateTime,
            $"{request.CallingAeTitle}@{request.RemoteEndPoint.Address}", null, null, null, file.Length, Purpose: purpose);
        await receiver.StageAsync(staged, file, cancellationToken);
    }

    private sealed record SiteSender(Guid TrialId, Guid SiteId, string SiteNumber, SenderNetworks Networks, string? ClientCertificateSha256);
}
