using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using TrialFlow.Dicom.Network;
using TrialFlow.Intake.Channels;

namespace TrialFlow.Intake.Tests.Channels;

/// <summary>
/// A site's PACS delivering a C-MOVE a pull asked for: let in only while expected and from its own address, and only the
/// stores that name the pull's move originator; what it stages is declared for the pull's subject and study.
/// </summary>
public sealed class PacsDeliveryTests : IAsyncLifetime
{
    private IntakeHarness _harness = null!;
    private DicomPushChannel _channel = null!;
    private readonly RetrieveDeliveries _deliveries = new();
    private readonly List<byte[]> _staged = [];

    public async Task InitializeAsync()
    {
        _harness = await IntakeHarness.CreateAsync();
        _channel = new DicomPushChannel(_harness.Receiver, _harness.Options, _harness.Database, _harness.Clock, NullLogger<DicomPushChannel>.Instance, _deliveries);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private ExpectedDelivery Delivery() => new("SITEPACS", "TRIALFLOW", [IPAddress.Parse("10.9.9.9")], async (file, ct) =>
    {
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy, ct);
        _staged.Add(copy.ToArray());
    });

    [Fact]
    public async Task The_pacs_is_let_in_only_while_a_pull_expects_it_and_only_from_its_own_address()
    {
        Assert.Equal(DicomAssociationDecision.RejectCallingAeTitle, await _channel.EvaluateAsync(Association("10.9.9.9"), CancellationToken.None));
        using (_deliveries.Expect(Delivery()))
        {
            Assert.True((await _channel.EvaluateAsync(Association("10.9.9.9"), CancellationToken.None)).IsAccepted);
            Assert.True((await _channel.EvaluateAsync(Association("::ffff:10.9.9.9"), CancellationToken.None)).IsAccepted);
            Assert.Equal(DicomAssociationDecision.RejectCallingAeTitle, await _channel.EvaluateAsync(Association("10.9.9.8"), CancellationToken.None));
            Assert.Throws<InvalidOperationException>(() => _deliveries.Expect(Delivery()));
        }
        Assert.Equal(DicomAssociationDecision.RejectCallingAeTitle, await _channel.EvaluateAsync(Association("10.9.9.9"), CancellationToken.None));
    }

    [Fact]
    public async Task Only_stores_naming_the_pulls_move_originator_are_taken_in_as_part_10_files()
    {
        using var expected = _deliveries.Expect(Delivery());

        await using (var sink = await _channel.BeginStoreAsync(Store("TRIALFLOW"), CancellationToken.None))
        {
            await sink.WriteAsync(new byte[] { 0x08, 0x00, 0x16, 0x00 }, CancellationToken.None);
            await sink.CommitAsync(CancellationToken.None);
        }
        var refused = await Assert.ThrowsAsync<DicomStoreException>(async () => await _channel.BeginStoreAsync(Store(null), CancellationToken.None));
        var other = await Assert.ThrowsAsync<DicomStoreException>(async () => await _channel.BeginStoreAsync(Store("SOMEONE_ELSE"), CancellationToken.None));

        var file = Assert.Single(_staged);
        Assert.Equal("DICM"u8.ToArray(), file[128..132]);
        Assert.Equal(DicomStatus.ProcessingFailure, refused.Status);
        Assert.Contains("names no move originator", refused.Message);
        Assert.Contains("move originator SOMEONE_ELSE", other.Message);
    }

    [Fact]
    public async Task A_pulled_object_of_another_study_than_asked_for_is_held_not_put_on_the_subject()
    {
        Guid subject;
        await using (var db = _harness.Db())
            subject = await db.Subjects.Where(s => s.SiteId == _harness.SiteId).Select(s => s.Id).FirstAsync();
        var bytes = DicomSamples.CtImage(patientId: "MRN-1", study: "1.2.826.0.1.3680043.8.498.5.2");
        var name = await _harness.Receiver.StageAsync(new StagedObject(IntakeChannel.Retrieval, _harness.TrialId, _harness.SiteId, _harness.Clock.GetUtcNow().UtcDateTime,
            "C-MOVE from SITEPACS@10.9.9.9:104", null, subject, null, bytes.Length, ClientReference: "pull:1", ExpectedStudyInstanceUid: "1.2.826.0.1.3680043.8.498.5.1"),
            new MemoryStream(bytes), CancellationToken.None);

        Assert.Equal(IntakeOutcome.Quarantined, await _harness.Pipeline.ProcessAsync(name, CancellationToken.None));
        await using var check = _harness.Db();
        var held = await check.QuarantineItems.SingleAsync();
        Assert.Equal(QuarantineReason.UnknownSubject, held.Reason);
        Assert.Contains("belongs to another study than the one asked for", held.Detail);
        Assert.Equal(0, await check.Instances.CountAsync());
    }

    private static DicomAssociationRequest Association(string address) =>
        new(Guid.NewGuid(), "SITEPACS", "TRIALFLOW", new IPEndPoint(IPAddress.Parse(address), 40000));

    private static DicomStoreRequest Store(string? moveOriginator) =>
        new(Guid.NewGuid(), "SITEPACS", "TRIALFLOW", new IPEndPoint(IPAddress.Parse("10.9.9.9"), 40000), 1, "1.2.840.10008.5.1.4.1.1.2",
            "1.2.826.0.1.3680043.8.498.5.1.1", DicomTransferSyntax.ExplicitVRLittleEndian, moveOriginator, moveOriginator is null ? null : (ushort)1);
}
