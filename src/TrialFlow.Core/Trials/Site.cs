namespace TrialFlow.Core.Trials;

/// <summary>An investigator site: where subjects are enrolled and scanned.</summary>
public sealed class Site : ISiteOwned
{
    private readonly List<SiteAeTitle> _aeTitles = [];
    private readonly List<SiteStatusChange> _statusChanges = [];

    /// <summary>
    /// The lifecycle: Planned → Qualifying → Active ⇄ Suspended, and Closed from anywhere. Qualifying may go back to
    /// Planned (the site paused its start-up); Closed is the end. Whether a site is ready to become Active (its checklist)
    /// is the activation module's question; this is only which steps exist.
    /// </summary>
    private static readonly Dictionary<SiteStatus, SiteStatus[]> Allowed = new()
    {
        [SiteStatus.Planned] = [SiteStatus.Qualifying, SiteStatus.Closed],
        [SiteStatus.Qualifying] = [SiteStatus.Active, SiteStatus.Planned, SiteStatus.Closed],
        [SiteStatus.Active] = [SiteStatus.Suspended, SiteStatus.Closed],
        [SiteStatus.Suspended] = [SiteStatus.Active, SiteStatus.Closed],
        [SiteStatus.Closed] = [],
    };

    private Site() { }

    internal Site(Guid trialId, string siteNumber, string name, string country, string timeZone)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        SiteNumber = Guard.Required(siteNumber, nameof(siteNumber));
        Name = Guard.Required(name, nameof(name));
        Country = CountryCode(country);
        TimeZone = TimeZoneId(timeZone);
        Status = SiteStatus.Planned;
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

    /// <summary>Where the site is in its lifecycle; only an Active site's data is archived.</summary>
    public SiteStatus Status { get; private set; }

    /// <summary>The site's status changes, oldest first: the dates of its activation, suspensions and closure.</summary>
    public IReadOnlyList<SiteStatusChange> StatusChanges => _statusChanges;

    /// <summary>
    /// The de-identification profile (by name, from rulesets/deid/) its data-sharing agreement requires; null: the trial's.
    /// Chosen at onboarding, before the site sends anything, so one site's data is never de-identified two ways.
    /// </summary>
    public string? DeidProfile { get; private set; }

    /// <summary>
    /// SHA-256 fingerprint (lower-case hex) of the TLS client certificate the site's senders must present, or null: then
    /// the site is recognised by AE title and network alone. Pinned, so a site's own or self-signed certificate works.
    /// </summary>
    public string? ClientCertificateSha256 { get; private set; }

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

    /// <summary>
    /// Pins the TLS client certificate the site's senders must present, by its SHA-256 fingerprint as
    /// <c>openssl x509 -noout -fingerprint -sha256</c> prints it (colons, spaces and case do not matter); null or empty
    /// unpins it.
    /// </summary>
    public void PinClientCertificate(string? sha256)
    {
        var hex = string.Concat((sha256 ?? "").Where(c => c is not (':' or ' ' or '-'))).ToLowerInvariant();
        if (hex.StartsWith("sha256fingerprint=", StringComparison.Ordinal))
            hex = hex["sha256fingerprint=".Length..];
        if (hex.Length > 0 && (hex.Length != 64 || !hex.All(char.IsAsciiHexDigitLower)))
            throw new ArgumentException($"'{sha256}' is not a SHA-256 certificate fingerprint (64 hexadecimal digits, as `openssl x509 -noout -fingerprint -sha256` prints it).", nameof(sha256));
        ClientCertificateSha256 = hex.Length == 0 ? null : hex;
    }

    /// <summary>
    /// Replaces the site's senders: exactly <paramref name="aeTitles"/>, each allowed from <paramref name="networks"/>
    /// (none: this machine only). Titles kept keep their registration and take the new networks; titles left out are
    /// removed. Everything is checked before anything changes.
    /// </summary>
    public void ReplaceSenders(IReadOnlyCollection<string> aeTitles, IEnumerable<string> networks)
    {
        var allowed = SenderNetworks.Parse(networks);
        var wanted = aeTitles.Select(t => new SiteAeTitle(Id, t, allowed)).ToList();
        if (wanted.GroupBy(w => w.AeTitle).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"AE title {twice.Key} is listed twice.", nameof(aeTitles));
        _aeTitles.RemoveAll(existing => wanted.All(w => w.AeTitle != existing.AeTitle));
        foreach (var entry in wanted)
            if (_aeTitles.SingleOrDefault(a => a.AeTitle == entry.AeTitle) is { } kept)
                kept.AllowFrom(allowed);
            else
                _aeTitles.Add(entry);
    }

    /// <summary>Moves the site to <paramref name="to"/> for <paramref name="reason"/> (audited with the save), if its lifecycle allows.</summary>
    public SiteStatusChange ChangeStatus(SiteStatus to, string reason, DateTime at)
    {
        var why = Guard.Required(reason, nameof(reason));
        if (!Allowed[Status].Contains(to))
            throw new SiteStatusException(Allowed[Status].Length == 0
                ? $"Site {SiteNumber} is {Status}: its status cannot change any more."
                : $"Site {SiteNumber} cannot go from {Status} to {to}; from {Status} it can go to {string.Join(" or ", Allowed[Status])}.");
        var change = new SiteStatusChange(Id, Status, to, why, at);
        _statusChanges.Add(change);
        Status = to;
        return change;
    }

    /// <summary>
    /// Takes a new (Planned) site to <paramref name="target"/> step by step, each step recorded: for a trial loaded from a
    /// file, which describes its sites as they already are (the demo's Harbourside is Qualifying).
    /// </summary>
    public void WalkTo(SiteStatus target, string reason, DateTime at)
    {
        if (Status != SiteStatus.Planned)
            throw new SiteStatusException($"Site {SiteNumber} is {Status}: only a new site is walked to the status it is described with.");
        foreach (var step in PathFromPlanned[target])
            ChangeStatus(step, reason, at);
    }

    private static readonly Dictionary<SiteStatus, SiteStatus[]> PathFromPlanned = new()
    {
        [SiteStatus.Planned] = [],
        [SiteStatus.Qualifying] = [SiteStatus.Qualifying],
        [SiteStatus.Active] = [SiteStatus.Qualifying, SiteStatus.Active],
        [SiteStatus.Suspended] = [SiteStatus.Qualifying, SiteStatus.Active, SiteStatus.Suspended],
        [SiteStatus.Closed] = [SiteStatus.Closed],
    };

    /// <summary>The statuses the site can be moved to from where it is.</summary>
    public IReadOnlyList<SiteStatus> NextStatuses => Allowed[Status];

    /// <summary>Sets the profile the site's data is de-identified with; only before it is Active, since data of an Active site was de-identified already.</summary>
    public void UseDeidProfile(string? profile)
    {
        if (Status is not (SiteStatus.Planned or SiteStatus.Qualifying))
            throw new SiteStatusException($"Site {SiteNumber} is {Status}: its de-identification profile was fixed when it became Active.");
        DeidProfile = string.IsNullOrWhiteSpace(profile) ? null : profile.Trim();
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

    internal void AllowFrom(SenderNetworks networks) => Networks = networks.ToString();
}
