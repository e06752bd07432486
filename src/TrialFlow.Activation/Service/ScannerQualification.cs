using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TrialFlow.Activation.Domain;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Notifications;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Intake.Domain;
using TrialFlow.Qc.Service;

namespace TrialFlow.Activation.Service;

/// <summary>
/// Judges a complete qualification scan with QC and, on a pass, qualifies its scanner at the site for the modality (or
/// renews the qualification: a new protocol version, a changed scanner), with the QC verdict as evidence. A failing
/// scan qualifies nothing; the site sees why on its activation page and in a notification, and sends another.
/// </summary>
public sealed class ScannerQualification(DatabaseOptions database, QualificationQc qc, TimeProvider time, ILogger<ScannerQualification> logger)
{
    private static readonly Actor ActivationActor = Actor.System("activation");

    /// <summary>Evaluates the scan if it is complete and not yet judged (a redelivered event changes nothing); returns its status.</summary>
    public async Task<QualificationScanStatus> EvaluateAsync(Guid scanId, CancellationToken cancellationToken)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, ActivationActor, time);
        var scan = await db.QualificationScans.Include(q => q.Images).SingleAsync(q => q.Id == scanId, cancellationToken);
        if (scan.Status != QualificationScanStatus.Complete)
            return scan.Status;
        var images = scan.Images.Select(i => new QualificationImageRef(i.SeriesInstanceUid, i.SeriesNumber, i.SeriesDescription, i.Modality,
            i.SopInstanceUid, i.SopClassUid, i.InstanceNumber, i.ArchiveSha256)).ToList();
        var verdict = await qc.EvaluateAsync(scan.SiteId, scan.Modality, scan.StudyInstanceUid, images, cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var checkedWith = $"{verdict.Ruleset}, protocol {verdict.Protocol}";
        var findings = verdict.Findings.Select(f => $"{f.RuleId} ({f.Severity}): {f.Message}").ToList();
        scan.RecordEvaluation(verdict.Passed, verdict.Outcome.ToString(), checkedWith, findings, now);
        var site = await db.Sites.AsNoTracking().SingleAsync(s => s.Id == scan.SiteId, cancellationToken);
        if (verdict.Passed)
            await QualifyAsync(db, scan, verdict, checkedWith, now, cancellationToken);
        db.RecordEvent(verdict.Passed ? "ScannerQualified" : "ScannerQualificationFailed", nameof(QualificationScan), scan.Id.ToString(), scan.SiteId,
            JsonSerializer.Serialize(new { scanner = scan.Scanner.ToString(), outcome = verdict.Outcome.ToString(), verdict.Ruleset, verdict.Protocol, protocolSha256 = verdict.ProtocolSha256, findings }));
        Notify(db, site, scan, verdict.Passed, findings, now);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Qualification scan {Scan} of {Scanner} at site {Site}: QC {Outcome}, {Findings} finding(s)",
            scan.StudyInstanceUid, scan.Scanner, site.SiteNumber, verdict.Outcome, findings.Count);
        return scan.Status;
    }

    /// <summary>
    /// A study manager asks for a judged scan to be evaluated again, e.g. after a new ruleset or protocol version: saved
    /// with their reason, then evaluated through the outbox like a freshly completed scan.
    /// </summary>
    public static async Task ReevaluateAsync(TrialFlowDbContext db, Guid scanId, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ActivationException("A reason is required to evaluate a qualification scan again: it is kept in the audit trail.");
        var scan = await db.QualificationScans.SingleOrDefaultAsync(q => q.Id == scanId, cancellationToken)
            ?? throw new QualificationScanNotFoundException(scanId);
        try
        {
            scan.Reevaluate(db.Time.GetUtcNow().UtcDateTime);
        }
        catch (InvalidOperationException e)
        {
            throw new ActivationException(e.Message);
        }
        await db.SaveChangesAsync($"qualification scan of {scan.Scanner.Label} evaluated again: {reason.Trim()}", cancellationToken);
    }

    /// <summary>The site's qualified scanners and its qualification scans, newest first.</summary>
    public static async Task<SiteScanners> ForSiteAsync(TrialFlowDbContext db, Guid siteId, CancellationToken cancellationToken)
    {
        var scanners = await db.QualifiedScanners.AsNoTracking().Where(q => q.SiteId == siteId).ToListAsync(cancellationToken);
        var scans = await db.QualificationScans.AsNoTracking().Where(q => q.SiteId == siteId).ToListAsync(cancellationToken);
        return new SiteScanners(
            scanners.OrderBy(s => s.Modality, StringComparer.Ordinal).ThenBy(s => s.Label, StringComparer.Ordinal).Select(s => new QualifiedScannerView(s.Id, s.Modality, s.Label, s.StationName, s.DeviceSerialNumber,
                s.SoftwareVersions, s.Protocol, s.Evidence, s.QualifiedBy, s.QualifiedAt, s.SoftwareChangedTo, s.SoftwareChangedAt)).ToList(),
            scans.OrderByDescending(s => s.ReceivedAt).Select(s => new QualificationScanView(s.Id, s.Scanner.ToString(), s.Channel, s.ReceivedAt, s.NumberOfImages,
                s.Status, s.Outcome, s.EvaluatedWith, s.EvaluatedAt, string.IsNullOrEmpty(s.Findings) ? [] : s.Findings.Split('\n'))).ToList());
    }

    private static async Task QualifyAsync(TrialFlowDbContext db, QualificationScan scan, QualificationEvaluation verdict, string checkedWith, DateTime now, CancellationToken cancellationToken)
    {
        var minor = verdict.Findings.Count;
        var evidence = $"qualification scan {scan.StudyInstanceUid} ({scan.NumberOfImages} images, received {scan.ReceivedAt:yyyy-MM-dd HH:mm} UTC) "
            + $"passed QC ({verdict.Outcome}) with {checkedWith}" + (minor > 0 ? $"; {minor} finding(s) below major" : "");
        var known = await db.QualifiedScanners.Where(q => q.SiteId == scan.SiteId).ToListAsync(cancellationToken);
        if (known.FirstOrDefault(q => q.Matches(scan.Scanner)) is { } existing)
            existing.Requalify(verdict.Protocol, evidence, db.Actor.UserName, now, scan.Id, scan.SoftwareVersions);
        else
            db.QualifiedScanners.Add(new QualifiedScanner(scan.TrialId, scan.SiteId, scan.Scanner, verdict.Protocol, evidence, db.Actor.UserName, now, scan.Id));
    }

    private static void Notify(TrialFlowDbContext db, Site site, QualificationScan scan, bool passed, IReadOnlyList<string> findings, DateTime now)
    {
        var title = passed
            ? $"Scanner qualified at site {site.SiteNumber}: {scan.Scanner.Label} ({scan.Modality})"
            : $"Qualification scan failed at site {site.SiteNumber}: {scan.Scanner.Label} ({scan.Modality})";
        var body = passed
            ? $"The qualification scan received {scan.ReceivedAt:yyyy-MM-dd HH:mm} UTC passed QC; {scan.Scanner} is qualified for {scan.Modality}."
            : $"The qualification scan received {scan.ReceivedAt:yyyy-MM-dd HH:mm} UTC did not pass QC, so the scanner is not qualified. "
              + string.Join(" ", findings.Take(3)) + (findings.Count > 3 ? $" (and {findings.Count - 3} more)" : "") + " Send a new scan once corrected.";
        foreach (var role in new[] { TrialFlowRoles.SiteUser, TrialFlowRoles.StudyManager })
            db.StaffNotifications.Add(new StaffNotification(site.TrialId, site.Id, role, title, body.Length > 2000 ? body[..2000] : body, $"/activation/sites/{site.Id}", now));
    }
}

public sealed record SiteScanners(IReadOnlyList<QualifiedScannerView> Qualified, IReadOnlyList<QualificationScanView> Scans);

public sealed record QualifiedScannerView(Guid Id, string Modality, string Scanner, string? StationName, string? DeviceSerialNumber, string? SoftwareVersions,
    string Protocol, string Evidence, string QualifiedBy, DateTime QualifiedAt, string? SoftwareChangedTo, DateTime? SoftwareChangedAt);

public sealed record QualificationScanView(Guid Id, string Scanner, IntakeChannel Channel, DateTime ReceivedAt, int Images, QualificationScanStatus Status,
    string? Outcome, string? EvaluatedWith, DateTime? EvaluatedAt, IReadOnlyList<string> Findings);
