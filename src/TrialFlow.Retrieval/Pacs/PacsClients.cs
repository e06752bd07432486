using System.Net.Http.Headers;
using System.Text;
using TrialFlow.Dicom.Network;
using TrialFlow.Dicom.Web;
using TrialFlow.Retrieval.Domain;
using TrialFlow.Retrieval.Planning;

namespace TrialFlow.Retrieval.Pacs;

/// <summary>Protects the DICOMweb password a site's PACS connection keeps (the host's data-protection keys).</summary>
public interface IPacsSecrets
{
    string Protect(string secret);

    string Unprotect(string protectedSecret);
}

/// <summary>DIMSE and DICOMweb clients for a site's PACS, with the credentials its registered connection holds.</summary>
public sealed class PacsClients(IPacsSecrets secrets)
{
    // One handler for every DICOMweb PACS: connections are pooled and DNS changes are picked up.
    private static readonly SocketsHttpHandler Handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    public static DicomClient Dimse(PacsEndpoint endpoint) =>
        new(endpoint.Host!, endpoint.Port!.Value, new DicomClientOptions { CallingAeTitle = endpoint.OurAeTitle, CalledAeTitle = endpoint.AeTitle! });

    /// <summary>
    /// A DICOMweb client for the endpoint; the registered connection's user and password go with it only when it names the
    /// same service root (a URL given for one job never receives the site's credentials).
    /// </summary>
    public DicomWebClient DicomWeb(PacsEndpoint endpoint, PacsConnection? registered)
    {
        var http = new HttpClient(Handler, disposeHandler: false) { BaseAddress = new Uri(endpoint.DicomWebUrl!), Timeout = TimeSpan.FromMinutes(30) };
        if (registered is { DicomWebUser: { } user, DicomWebSecret: { } secret } && registered.DicomWebUrl == endpoint.DicomWebUrl)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secrets.Unprotect(secret)}")));
        return new DicomWebClient(http);
    }

    public IStudySource Source(PacsEndpoint endpoint, PullMethod method, PacsConnection? registered) =>
        method == PullMethod.DicomWeb ? new DicomWebStudySource(DicomWeb(endpoint, registered)) : new DimseStudySource(Dimse(endpoint));
}
