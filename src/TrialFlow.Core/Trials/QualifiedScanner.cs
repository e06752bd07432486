namespace TrialFlow.Core.Trials;

/// <summary>
/// A scanner qualified at a site for one modality: a qualification scan from it passed QC against the protocol (or the
/// study team registered it, e.g. from the seed file), with the evidence. Intake holds images from scanners a site has
/// not qualified; QC's rule QC-SCANNER reads the list.
/// </summary>
public sealed class QualifiedScanner : ISiteOwned
{
    private QualifiedScanner() { }

    public QualifiedScanner(Guid trialId, Guid siteId, ScannerIdentity scanner, string protocol, string evidence, string qualifiedBy, DateTime qualifiedAt, Guid? qualificationScanId)
    {
        if (!scanner.IsNamed)
            throw new ArgumentException($"A scanner is qualified by manufacturer and model; this one is '{scanner}'.", nameof(scanner));
        Id = Guid.NewGuid();
        TrialId = trialId;
        SiteId = siteId;
        Modality = Guard.Required(scanner.Modality, nameof(scanner)).ToUpperInvariant();
        Manufacturer = scanner.Manufacturer!.Trim();
        Model = scanner.Model!.Trim();
        StationName = scanner.StationName;
        DeviceSerialNumber = scanner.DeviceSerialNumber;
        SoftwareVersions = scanner.SoftwareVersions;
        Requalify(protocol, evidence, qualifiedBy, qualifiedAt, qualificationScanId, scanner.SoftwareVersions);
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public string Modality { get; private set; } = "";

    public string Manufacturer { get; private set; } = "";

    public string Model { get; private set; } = "";

    public string? StationName { get; private set; }

    /// <summary>When known, only this unit of the model is qualified; objects naming another serial number are not from it.</summary>
    public string? DeviceSerialNumber { get; private set; }

    /// <summary>The software the qualification scan was made with.</summary>
    public string? SoftwareVersions { get; private set; }

    /// <summary>The protocol (name of the protocol requirements) it was qualified against: a new protocol version asks for re-qualification.</summary>
    public string Protocol { get; private set; } = "";

    /// <summary>What qualified it, e.g. the QC result of the qualification scan.</summary>
    public string Evidence { get; private set; } = "";

    public string QualifiedBy { get; private set; } = "";

    public DateTime QualifiedAt { get; private set; }

    public Guid? QualificationScanId { get; private set; }

    /// <summary>Software versions seen in images since qualification that differ from <see cref="SoftwareVersions"/>: flagged for the study team's review.</summary>
    public string? SoftwareChangedTo { get; private set; }

    public DateTime? SoftwareChangedAt { get; private set; }

    public string Label => $"{Manufacturer} {Model}";

    /// <summary>Whether an object from <paramref name="scanner"/> comes from this qualified scanner: same modality, manufacturer and model, and the same serial number where both are known.</summary>
    public bool Matches(ScannerIdentity scanner) =>
        string.Equals(Modality, scanner.Modality?.Trim(), StringComparison.OrdinalIgnoreCase)
        && string.Equals(Manufacturer, scanner.Manufacturer?.Trim(), StringComparison.OrdinalIgnoreCase)
        && string.Equals(Model, scanner.Model?.Trim(), StringComparison.OrdinalIgnoreCase)
        && (DeviceSerialNumber is null || scanner.DeviceSerialNumber is null || string.Equals(DeviceSerialNumber, scanner.DeviceSerialNumber.Trim(), StringComparison.Ordinal));

    /// <summary>A new passing qualification scan (a new protocol version, a changed scanner) renews the qualification and clears a software flag.</summary>
    public void Requalify(string protocol, string evidence, string qualifiedBy, DateTime qualifiedAt, Guid? qualificationScanId, string? softwareVersions)
    {
        Protocol = Guard.Required(protocol, nameof(protocol));
        Evidence = Guard.Required(evidence, nameof(evidence));
        QualifiedBy = Guard.Required(qualifiedBy, nameof(qualifiedBy));
        QualifiedAt = qualifiedAt;
        QualificationScanId = qualificationScanId;
        SoftwareVersions = softwareVersions ?? SoftwareVersions;
        SoftwareChangedTo = null;
        SoftwareChangedAt = null;
    }

    /// <summary>
    /// Notes the software versions of an image from this scanner. A change is flagged once (returns true) for the study
    /// team to review, not held: the scanner is the same, and a software update rarely changes what the protocol checks.
    /// </summary>
    public bool NoteSoftware(string? softwareVersions, DateTime at)
    {
        if (string.IsNullOrWhiteSpace(softwareVersions) || SoftwareVersions is null
            || string.Equals(softwareVersions.Trim(), SoftwareVersions, StringComparison.Ordinal)
            || string.Equals(softwareVersions.Trim(), SoftwareChangedTo, StringComparison.Ordinal))
            return false;
        SoftwareChangedTo = softwareVersions.Trim();
        SoftwareChangedAt = at;
        return true;
    }
}
