using System.Collections.Concurrent;
using System.Net;

namespace TrialFlow.Intake.Channels;

/// <summary>
/// A C-MOVE in flight: the site's PACS (calling as <see cref="PacsAeTitle"/> from one of <see cref="PacsAddresses"/>)
/// will open its own association to TrialFlow's SCP and send the study, each C-STORE naming TrialFlow's
/// <see cref="OriginatorAeTitle"/> as move originator. <see cref="StageAsync"/> stages one such object for the pull.
/// </summary>
public sealed record ExpectedDelivery(
    string PacsAeTitle, string OriginatorAeTitle, IReadOnlyCollection<IPAddress> PacsAddresses, Func<Stream, CancellationToken, Task> StageAsync);

/// <summary>
/// The C-MOVE deliveries this node is waiting for. A PACS is not a site's sender (its AE title is not registered for
/// pushing), so its association is accepted only while a pull on this node expects it, only from the PACS's own
/// addresses, and its objects go to the pull that asked for them rather than through the usual Patient ID matching.
/// One C-MOVE per PACS at a time: the PACS's stores are told apart by its AE title and the move originator.
/// </summary>
public sealed class RetrieveDeliveries
{
    private readonly ConcurrentDictionary<string, ExpectedDelivery> _expected = new(StringComparer.Ordinal);

    /// <summary>Expects a delivery until the returned handle is disposed; throws when this PACS already has one in flight.</summary>
    public IDisposable Expect(ExpectedDelivery delivery)
    {
        var key = delivery.PacsAeTitle.Trim();
        if (!_expected.TryAdd(key, delivery))
            throw new InvalidOperationException($"a C-MOVE from {key} is already in flight on this node; one at a time per PACS");
        return new Expectation(() => _expected.TryRemove(new KeyValuePair<string, ExpectedDelivery>(key, delivery)));
    }

    /// <summary>Whether an association from this AE title and address is a PACS delivering a study this node asked for.</summary>
    public bool Expects(string callingAeTitle, IPAddress from) =>
        _expected.TryGetValue(callingAeTitle.Trim(), out var delivery) && delivery.PacsAddresses.Any(a => Same(a, from));

    /// <summary>The delivery a C-STORE belongs to: from the expected PACS and naming the expected move originator.</summary>
    public ExpectedDelivery? Find(string callingAeTitle, IPAddress from, string? moveOriginatorAeTitle) =>
        _expected.TryGetValue(callingAeTitle.Trim(), out var delivery)
        && delivery.PacsAddresses.Any(a => Same(a, from))
        && string.Equals(moveOriginatorAeTitle?.Trim(), delivery.OriginatorAeTitle, StringComparison.Ordinal)
            ? delivery
            : null;

    private static bool Same(IPAddress a, IPAddress b) =>
        (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b);

    private sealed class Expectation(Action end) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
                end();
        }
    }
}
