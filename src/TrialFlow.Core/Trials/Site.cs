namespace TrialFlow.Core.Trials;

/// <summary>An investigator site: where subjects are enrolled and scanned.</summary>
public sealed class Site : ISiteOwned
{
    private readonly List<SiteAeTitle> _aeTitles = [];

    private Site() { }

    internal Site(Guid trialId, string siteNumber, string name, string country, string timeZone)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        SiteNumber = Guard.Required(siteNumber, nameof(siteNumber));
        Name = Guard.Required(name, nameof(name));
        Country = CountryCode(country);
        TimeZone = TimeZoneId(timeZone);
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    /// <summary>The site number the protocol and the EDC use, e.g. "101".</summary>
    public string SiteNumber { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    public string Country { get; private set; } = "";

    /// <summary>IANA time zone of the site, used to show local acquisition and due times.</summary>
    public string TimeZone { get; private set; } = "";

    /// <summary>The DICOM Application Entity titles the site may send from.</summary>
    public IReadOnlyList<SiteAeTitle> AeTitles => _aeTitles;

    Guid ISiteOwned.SiteId => Id;

    /// <summary>
    /// Registers a sender: its AE title and the networks (CIDR) it may connect from. Without networks only this machine
    /// (loopback) may use the title, so a registration never opens the door to the whole internet by omission.
    /// </summary>
    public SiteAeTitle AllowAeTitle(string aeTitle, params IEnumerable<string> networks)
    {
        var entry = new SiteAeTitle(Id, aeTitle, SenderNetworks.Parse(networks));
        if (_aeTitles.Any(a => a.AeTitle == entry.AeTitle))
            throw new InvalidOperationException($"AE title '{entry.AeTitle}' is already registered for site {SiteNumber}.");
        _aeTitles.Add(entry);
        return entry;
    }

    public void Rename(string name) => Name = Guard.Required(name, nameof(name));

    private static string CountryCode(string country)
    {
        var code = Guard.Required(country, nameof(country)).ToUpperInvariant();
        return code.Length == 2 && code.All(char.IsAsciiLetterUpper)
            ? code
            : throw new ArgumentException($"Country must be an ISO 3166-1 alpha-2 code, got '{country}'.", nameof(country));
    }

    private static string TimeZoneId(string timeZone)
    {
        var id = Guard.Required(timeZone, nameof(timeZone));
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out _)
            ? id
            : throw new ArgumentException($"Unknown time zone '{timeZone}'.", nameof(timeZone));
    }
}

/// <summary>A DICOM AE title registered for a site; unique across the installation so a sender maps to one site.</summary>
public sealed class SiteAeTitle : ISiteOwned
{
    private SiteAeTitle() { }

    internal SiteAeTitle(Guid siteId, string aeTitle, SenderNetworks networks)
    {
        var title = Guard.Required(aeTitle, nameof(aeTitle));
        // PS3.8 9.3.2: an AE title is 1-16 characters of the default repertoire, no backslash or control characters.
        if (title.Length > 16 || title.Any(c => c < 0x20 || c > 0x7E || c == '\\'))
            throw new ArgumentException($"'{aeTitle}' is not a valid AE title (1-16 printable ASCII characters, no backslash).", nameof(aeTitle));
        Id = Guid.NewGuid();
        SiteId = siteId;
        AeTitle = title;
        Networks = networks.ToString();
    }

    public Guid Id { get; private set; }

    public Guid SiteId { get; private set; }

    public string AeTitle { get; private set; } = "";

    /// <summary>The source networks (CIDR, space separated) this sender may connect from.</summary>
    public string Networks { get; private set; } = SenderNetworks.Loopback.ToString();
}
