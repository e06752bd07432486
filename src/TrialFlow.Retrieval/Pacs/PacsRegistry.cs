using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Dicom;
using TrialFlow.Retrieval.Domain;
using TrialFlow.Retrieval.Jobs;

namespace TrialFlow.Retrieval.Pacs;

/// <summary>A site's PACS connection as the API shows it: never the password, only whether one is kept.</summary>
public sealed record PacsConnectionView(string? AeTitle, string? Host, int? Port, string OurAeTitle, string? DicomWebUrl, string? DicomWebUser, bool HasPassword);

/// <summary>
/// A site's PACS connection as a person sets it. A null <see cref="DicomWebPassword"/> keeps the stored one (unless the
/// user changes or <see cref="ClearPassword"/>); it is protected before it is stored and never shown again.
/// </summary>
public sealed record PacsConnectionRequest(
    string? AeTitle, string? Host, int? Port, string? OurAeTitle, string? DicomWebUrl, string? DicomWebUser, string? DicomWebPassword, bool ClearPassword = false);

/// <summary>What answered when a PACS connection was tried: C-ECHO and/or a QIDO-RS search.</summary>
public sealed record PacsCheck(string? Dimse, string? DicomWeb, bool Ok);

/// <summary>Registers a site's PACS for retrospective pulls, and tries it.</summary>
public sealed class PacsRegistry(IPacsSecrets secrets, PacsClients clients)
{
    public static async Task<PacsConnectionView?> GetAsync(TrialFlowDbContext db, Guid siteId, CancellationToken cancellationToken) =>
        await db.PacsConnections.AsNoTracking().Where(p => p.SiteId == siteId)
            .Select(p => new PacsConnectionView(p.AeTitle, p.Host, p.Port, p.OurAeTitle, p.DicomWebUrl, p.DicomWebUser, p.DicomWebSecret != null))
            .SingleOrDefaultAsync(cancellationToken);

    /// <exception cref="PullRequestException">A value is wrong; the field is named.</exception>
    public async Task<PacsConnectionView> SetAsync(TrialFlowDbContext db, Site site, PacsConnectionRequest request, CancellationToken cancellationToken)
    {
        var (ae, host, url, user) = (Blank(request.AeTitle), Blank(request.Host), PacsEndpoint.NormalizeUrl(request.DicomWebUrl), Blank(request.DicomWebUser));
        var ours = Blank(request.OurAeTitle) ?? PacsEndpoint.DefaultOurAeTitle;
        if (PacsEndpoint.Problems(ae, host, request.Port, ours, url).FirstOrDefault() is { Field: not null } problem)
            throw new PullRequestException(problem.Field, problem.Message);
        if (ae is null && url is null)
            throw new PullRequestException("aeTitle", "give the PACS's AE title, host and port, or its DICOMweb URL, or both");
        if (url is null && (user is not null || request.DicomWebPassword is not null))
            throw new PullRequestException("dicomWebUser", "a DICOMweb user and password need the DICOMweb URL");
        var connection = await db.PacsConnections.SingleOrDefaultAsync(p => p.SiteId == site.Id, cancellationToken);
        if (connection is null)
            db.PacsConnections.Add(connection = new PacsConnection(site.Id));
        connection.SetDimse(ae, host, request.Port, ours);
        connection.SetDicomWeb(url, user, string.IsNullOrEmpty(request.DicomWebPassword) ? null : secrets.Protect(request.DicomWebPassword), request.ClearPassword);
        await db.SaveChangesAsync(cancellationToken);
        return (await GetAsync(db, site.Id, cancellationToken))!;
    }

    /// <summary>Tries the registered connection: C-ECHO on the DIMSE side, a one-study QIDO-RS search on the DICOMweb side.</summary>
    public async Task<PacsCheck?> CheckAsync(TrialFlowDbContext db, Guid siteId, CancellationToken cancellationToken)
    {
        var connection = await db.PacsConnections.AsNoTracking().SingleOrDefaultAsync(p => p.SiteId == siteId, cancellationToken);
        if (connection is null)
            return null;
        string? dimse = null, web = null;
        var ok = true;
        if (connection.HasDimse)
        {
            try
            {
                var status = await PacsClients.Dimse(connection.Endpoint).EchoAsync(cancellationToken);
                (dimse, ok) = ($"C-ECHO to {connection.Endpoint.Describe(PullMethod.Move)}: {(status.IsSuccess ? "answered" : $"failed with status {status}")}", ok && status.IsSuccess);
            }
            catch (Exception e) when (e is DicomException or IOException or System.Net.Sockets.SocketException)
            {
                (dimse, ok) = ($"C-ECHO to {connection.Endpoint.Describe(PullMethod.Move)} failed: {e.Message}", false);
            }
        }
        if (connection.HasDicomWeb)
        {
            try
            {
                await clients.DicomWeb(connection.Endpoint, connection).SearchStudiesAsync(new Dictionary<string, string> { ["limit"] = "1" }, cancellationToken);
                web = $"QIDO-RS at {connection.DicomWebUrl}: answered";
            }
            catch (Exception e) when (e is DicomException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                (web, ok) = ($"QIDO-RS at {connection.DicomWebUrl} failed: {e.Message}", false);
            }
        }
        return new PacsCheck(dimse, web, ok);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
