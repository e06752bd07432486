using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Intake.Channels;

/// <summary>
/// The TLS handshake's half of per-site client certificates: a certificate is accepted when the platform's chain policy
/// trusts it, or when its SHA-256 is pinned to some site (a site's own CA or a self-signed certificate); the association
/// policy then checks that it is the calling site's (<see cref="DicomPushChannel"/>). A peer without a certificate passes
/// the handshake unless <paramref name="requireCertificate"/>: sites without a pinned certificate may send without one.
/// </summary>
public sealed class PinnedClientCertificates(DatabaseOptions database, TimeProvider time, bool requireCertificate)
{
    private static readonly Actor ChannelActor = Actor.System("dicom-push");
    private readonly Lock _gate = new();
    private (HashSet<string> Pins, DateTimeOffset Until) _cache = ([], DateTimeOffset.MinValue);

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is null
            ? !requireCertificate
            : errors == SslPolicyErrors.None || IsPinned(Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData())));

    /// <summary>Whether a site pins this fingerprint; read from the database at most every few seconds (the handshake callback is synchronous).</summary>
    public bool IsPinned(string sha256)
    {
        lock (_gate)
        {
            if (_cache.Until <= time.GetUtcNow())
            {
                using var db = DatabaseServiceCollectionExtensions.CreateContext(database, ChannelActor, time);
                var pins = db.Sites.AsNoTracking().Where(s => s.ClientCertificateSha256 != null).Select(s => s.ClientCertificateSha256!).ToList();
                _cache = (pins.ToHashSet(StringComparer.Ordinal), time.GetUtcNow() + DicomPushChannel.SenderCacheLifetime);
            }
            return _cache.Pins.Contains(sha256);
        }
    }
}
