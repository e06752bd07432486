using System.Net;

namespace TrialFlow.Core.Trials;

/// <summary>
/// The networks a DICOM sender may connect from, in CIDR notation ("10.20.0.0/16", "2001:db8::/32", "192.0.2.7/32").
/// An AE title alone is a name anyone can type; pairing it with the site's address range is what PS3.15's
/// "AE title + address" node authentication amounts to when TLS client certificates are not in use.
/// </summary>
public sealed class SenderNetworks
{
    public static readonly SenderNetworks Loopback = new([IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")]);

    private readonly IReadOnlyList<IPNetwork> _networks;

    private SenderNetworks(IReadOnlyList<IPNetwork> networks) => _networks = networks;

    /// <summary>Parses CIDR networks; none means loopback only.</summary>
    public static SenderNetworks Parse(IEnumerable<string> networks)
    {
        var parsed = new List<IPNetwork>();
        foreach (var text in networks.Select(n => n.Trim()).Where(n => n.Length > 0))
        {
            if (!IPNetwork.TryParse(text, out var network) || IsShortIPv4(text))
                throw new ArgumentException($"'{text}' is not a network in CIDR notation (e.g. 10.20.0.0/16 or 192.0.2.7/32).", nameof(networks));
            parsed.Add(network);
        }
        return parsed.Count == 0 ? Loopback : new SenderNetworks(parsed);
    }

    /// <summary>
    /// "10.80.0/16" or "10.1/32": .NET reads IPv4 with fewer than four parts the way inet_aton does ("10.1" is 10.0.0.1),
    /// so a typo would open the door to a network nobody meant. Only the four-part dotted form is a network here.
    /// </summary>
    private static bool IsShortIPv4(string text)
    {
        var address = text.Split('/')[0];
        return !address.Contains(':') && address.Count(c => c == '.') != 3;
    }

    /// <summary>Parses the stored form: networks separated by white space.</summary>
    public static SenderNetworks Parse(string stored) => Parse(stored.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public bool Contains(IPAddress address)
    {
        // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; compare them as the IPv4 address they are.
        var peer = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(peer));
    }

    public override string ToString() => string.Join(' ', _networks);
}
