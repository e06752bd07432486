using Microsoft.EntityFrameworkCore;
using TrialFlow.Activation.Domain;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Intake.Pipeline;

namespace TrialFlow.Activation.Service;

/// <param name="SiteNumber">The number the protocol and the EDC use, unique in the trial (e.g. "801").</param>
/// <param name="Country">ISO 3166-1 alpha-2.</param>
/// <param name="TimeZone">IANA time zone (e.g. "Europe/Lisbon").</param>
/// <param name="AeTitles">The AE titles the site's PACS or modalities call from; unique across the installation.</param>
/// <param name="SenderNetworks">CIDR networks those AE titles may connect from; none means this machine only.</param>
/// <param name="DeidProfile">The de-identification profile its data-sharing agreement requires (a name from rulesets/deid/); none: the trial's.</param>
/// <param name="ClientCertificateSha256">SHA-256 fingerprint of the TLS client certificate its senders must present; none: AE title and network alone.</param>
public sealed record NewSite(string SiteNumber, string Name, string Country, string TimeZone, IReadOnlyList<string>? AeTitles, IReadOnlyList<string>? SenderNetworks,
    string? DeidProfile = null, string? ClientCertificateSha256 = null);

/// <param name="AeTitles">Every AE title the site sends from after the change.</param>
/// <param name="SenderNetworks">CIDR networks they may connect from; none means this machine only.</param>
/// <param name="ClientCertificateSha256">The TLS client certificate they must present (SHA-256 fingerprint); none: not pinned.</param>
public sealed record SiteSenders(IReadOnlyList<string> AeTitles, IReadOnlyList<string>? SenderNetworks, string Reason, string? ClientCertificateSha256 = null);

/// <param name="Networks">CIDR networks, space separated.</param>
public sealed record SiteSenderView(string AeTitle, string Networks);

/// <param name="ClientCertificateSha256">The pinned TLS client certificate, or null.</param>
public sealed record SiteSendersView(IReadOnlyList<SiteSenderView> Senders, string? ClientCertificateSha256);

/// <summary>
/// Adds a site to a running trial: Planned, with its senders registered, so the DICOM listener accepts its AE titles at
/// once (what arrives is held as SiteNotActive until the site is activated, and counts as its test transfer).
/// </summary>
public sealed class SiteOnboarding(DeidProfileCatalog profiles, TrialDirectory? directory = null)
{
    public async Task<Site> OnboardAsync(TrialFlowDbContext db, Guid trialId, NewSite request, CancellationToken cancellationToken)
    {
        var trial = await db.Trials.Include(t => t.Sites).SingleOrDefaultAsync(t => t.Id == trialId, cancellationToken)
            ?? throw new TrialNotFoundException(trialId);
        var number = request.SiteNumber?.Trim() ?? "";
        // Every site of the trial, also those outside the caller's scope: a number is taken whoever can see it.
        if (await db.Sites.IgnoreQueryFilters().AnyAsync(s => s.TrialId == trialId && s.SiteNumber == number, cancellationToken))
            throw new ActivationException($"Site number {number} is already used in trial {trial.ProtocolId}.");
        var titles = await FreeAeTitlesAsync(db, request.AeTitles, null, cancellationToken);

        if (request.DeidProfile is { Length: > 0 } profile && !profiles.Names.Contains(profile.Trim()))
            throw new ArgumentException($"There is no de-identification profile '{profile}' (there are: {string.Join(", ", profiles.Names)}).", nameof(request.DeidProfile));

        // An invalid value throws ArgumentException naming it ("'10.80.0/16' is not a network in CIDR notation …"), before anything is saved.
        var site = trial.AddSite(number, request.Name, request.Country, request.TimeZone);
        foreach (var title in titles)
            site.AllowAeTitle(title, request.SenderNetworks ?? []);
        site.UseDeidProfile(request.DeidProfile);
        site.PinClientCertificate(request.ClientCertificateSha256);
        await db.SaveChangesAsync($"site {number} ({site.Name}) onboarded into trial {trial.ProtocolId}", cancellationToken);
        // The trial's people see the new site from their next request on this node, within seconds on the others.
        directory?.Forget();
        return site;
    }

    /// <summary>
    /// Replaces the AE titles a site sends from and the networks they may connect from (a new PACS, a moved modality),
    /// with a reason for the audit trail. The DICOM listener sees the change within seconds, on every node: it looks
    /// senders up in the database and keeps what it found only briefly.
    /// </summary>
    public async Task<Site> ChangeSendersAsync(TrialFlowDbContext db, Guid siteId, SiteSenders request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
            throw new ActivationException("A reason is required to change a site's senders: it is kept in the audit trail.");
        var site = await db.Sites.Include(s => s.AeTitles).SingleOrDefaultAsync(s => s.Id == siteId, cancellationToken) ?? throw new SiteNotFoundException(siteId);
        var titles = await FreeAeTitlesAsync(db, request.AeTitles, siteId, cancellationToken);
        if (titles.Count == 0)
            throw new ArgumentException("A site needs at least one AE title to send from.", nameof(request.AeTitles));
        site.ReplaceSenders(titles, request.SenderNetworks ?? []);
        site.PinClientCertificate(request.ClientCertificateSha256);
        await db.SaveChangesAsync($"senders of site {site.SiteNumber}: {request.Reason.Trim()}", cancellationToken);
        return site;
    }

    /// <summary>The AE titles a site sends from, each with the networks it may connect from, and its pinned client certificate.</summary>
    public static async Task<SiteSendersView> SendersAsync(TrialFlowDbContext db, Guid siteId, CancellationToken cancellationToken) =>
        new((await db.SiteAeTitles.AsNoTracking().Where(a => a.SiteId == siteId).ToListAsync(cancellationToken))
                .OrderBy(a => a.AeTitle, StringComparer.Ordinal).Select(a => new SiteSenderView(a.AeTitle, a.Networks)).ToList(),
            await db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(s => s.ClientCertificateSha256).SingleOrDefaultAsync(cancellationToken));

    /// <summary>The requested AE titles, trimmed, once each, and none registered for another site (whoever can see it).</summary>
    private static async Task<List<string>> FreeAeTitlesAsync(TrialFlowDbContext db, IReadOnlyList<string>? requested, Guid? siteId, CancellationToken cancellationToken)
    {
        var titles = (requested ?? []).Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
        if (titles.GroupBy(t => t).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ActivationException($"AE title {twice.Key} is listed twice.");
        var taken = await db.SiteAeTitles.IgnoreQueryFilters().Where(a => titles.Contains(a.AeTitle) && a.SiteId != siteId).Select(a => a.AeTitle).ToListAsync(cancellationToken);
        if (taken.Count > 0)
            throw new ActivationException($"AE title {string.Join(", ", taken)} is already registered for another site: an AE title identifies one site across the installation.");
        return titles;
    }
}
