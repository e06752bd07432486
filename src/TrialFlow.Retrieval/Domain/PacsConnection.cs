using TrialFlow.Core.Trials;
using TrialFlow.Retrieval.Pacs;

namespace TrialFlow.Retrieval.Domain;

/// <summary>
/// A site's PACS as TrialFlow reaches it for retrospective pulls: by DIMSE (AE title, host, port) and/or DICOMweb (service
/// root, credentials). <see cref="OurAeTitle"/> is the name the PACS knows TrialFlow by: the calling AE title of queries and
/// the destination of C-MOVE, which the PACS must have configured with the address of TrialFlow's DICOM port.
/// </summary>
public sealed class PacsConnection : ISiteOwned
{
    private PacsConnection() { }

    public PacsConnection(Guid siteId) => (Id, SiteId) = (Guid.NewGuid(), siteId);

    public Guid Id { get; private set; }

    public Guid SiteId { get; private set; }

    public string? AeTitle { get; private set; }

    public string? Host { get; private set; }

    public int? Port { get; private set; }

    public string OurAeTitle { get; private set; } = PacsEndpoint.DefaultOurAeTitle;

    public string? DicomWebUrl { get; private set; }

    public string? DicomWebUser { get; private set; }

    /// <summary>The DICOMweb password, protected by the host's data-protection keys; never returned by the API.</summary>
    public string? DicomWebSecret { get; private set; }

    public bool HasDimse => AeTitle is not null && Host is not null && Port is not null;

    public bool HasDicomWeb => DicomWebUrl is not null;

    public PacsEndpoint Endpoint => new(AeTitle, Host, Port, OurAeTitle, DicomWebUrl);

    /// <summary>Sets the DIMSE side; all three or none.</summary>
    public void SetDimse(string? aeTitle, string? host, int? port, string ourAeTitle)
    {
        (AeTitle, Host, Port) = (aeTitle, host, port);
        OurAeTitle = ourAeTitle;
    }

    /// <summary>Sets the DICOMweb side; a null <paramref name="protectedSecret"/> keeps the stored one when the user is unchanged.</summary>
    public void SetDicomWeb(string? url, string? user, string? protectedSecret, bool clearSecret)
    {
        DicomWebUrl = url;
        if (clearSecret || user != DicomWebUser)
            DicomWebSecret = null;
        DicomWebUser = user;
        if (protectedSecret is not null)
            DicomWebSecret = protectedSecret;
    }
}
