using System.Text.Json;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Notifications;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Intake.Domain;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// Holds images from scanners a site has not qualified for their modality (<see cref="QuarantineReason.ScannerNotQualified"/>).
/// A site comes under this control with its first qualified scanner — activation qualifies one, so every site activated
/// through its checklist is — while a site without any (one active before scanner qualification existed) is not held.
/// A qualified scanner whose software changed is let through and flagged for the study team.
/// </summary>
internal sealed class ScannerControl(TimeProvider time)
{
    public async Task CheckAsync(TrialFlowDbContext db, BatchLookups lookups, Site site, ScannerIdentity scanner, CancellationToken cancellationToken)
    {
        var qualified = await lookups.QualifiedScannersAsync(site.Id, cancellationToken);
        if (qualified.Count == 0)
            return;
        var match = qualified.FirstOrDefault(q => q.Matches(scanner));
        if (match is null)
        {
            var forModality = qualified.Where(q => string.Equals(q.Modality, scanner.Modality, StringComparison.OrdinalIgnoreCase)).Select(q => q.Label).Distinct().ToList();
            throw new IntakeHold(QuarantineReason.ScannerNotQualified,
                $"the image comes from {scanner}, which is not qualified at site {site.SiteNumber} "
                + (forModality.Count == 0 ? $"(no scanner is qualified there for {scanner.Modality})" : $"(qualified for {scanner.Modality}: {string.Join(", ", forModality)})")
                + "; release it once the scanner passed a qualification scan, or release it as an accepted protocol deviation");
        }

        var previous = match.SoftwareVersions;
        var now = time.GetUtcNow().UtcDateTime;
        if (!match.NoteSoftware(scanner.SoftwareVersions, now))
            return;
        db.RecordEvent("ScannerSoftwareChanged", nameof(QualifiedScanner), match.Id.ToString(), site.Id,
            JsonSerializer.Serialize(new { scanner = match.Label, match.Modality, qualifiedWith = previous, seen = scanner.SoftwareVersions }));
        db.StaffNotifications.Add(new StaffNotification(site.TrialId, site.Id, TrialFlowRoles.StudyManager,
            $"Scanner software changed at site {site.SiteNumber}",
            $"{match.Label} ({match.Modality}) was qualified with software {previous}; images now come with {scanner.SoftwareVersions}. Review whether it needs a new qualification scan.",
            $"/activation/sites/{site.Id}", now));
    }
}
