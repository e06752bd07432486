using Microsoft.EntityFrameworkCore;
using TrialFlow.Activation.Domain;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Notifications;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Intake.Domain;
using TrialFlow.Qc.Protocols;

namespace TrialFlow.Activation.Service;

/// <summary>
/// A site's way to Active: its checklist (what the trial's <c>templates/activation/</c> file asks), the items people tick
/// with evidence, the ones TrialFlow ticks from what it sees, and the status changes — Active only once every required
/// item is done. Every change is saved with its reason, so it is in the audit trail.
/// </summary>
public sealed class SiteActivation(ChecklistCatalog checklists, ProtocolCatalog? protocols = null)
{
    public async Task<SiteChecklist?> ChecklistAsync(TrialFlowDbContext db, Guid siteId, CancellationToken cancellationToken)
    {
        var site = await db.Sites.AsNoTracking().Include(s => s.StatusChanges).SingleOrDefaultAsync(s => s.Id == siteId, cancellationToken);
        return site is null ? null : await ChecklistAsync(db, site, cancellationToken);
    }

    /// <summary>Records an item done for the site (for a per-user item, for <paramref name="userName"/>), with its evidence.</summary>
    public async Task<SiteChecklist> CompleteItemAsync(TrialFlowDbContext db, Guid siteId, string itemKey, string? userName, string evidence, CancellationToken cancellationToken,
        EvidenceFile? file = null)
    {
        var site = await FindAsync(db, siteId, cancellationToken);
        var item = (await TemplateAsync(db, site, cancellationToken)).Item(itemKey);
        if (item.Automatic is not null)
            throw new ActivationException($"'{item.Title}' is ticked by TrialFlow when it sees it happen; it cannot be recorded by hand.");
        if (string.IsNullOrWhiteSpace(evidence))
            throw new ActivationException($"Evidence is required for '{item.Title}': a document reference, certificate number or short note.");
        if (item.PerUser)
        {
            if (string.IsNullOrWhiteSpace(userName))
                throw new ActivationException($"'{item.Title}' is recorded per person: name the site user it is for.");
            if (!(await SiteUsersAsync(db, site.Id, cancellationToken)).Contains(userName.Trim(), StringComparer.OrdinalIgnoreCase))
                throw new ActivationException($"{userName} is not a site user of site {site.SiteNumber}.");
        }
        else if (!string.IsNullOrWhiteSpace(userName))
            throw new ActivationException($"'{item.Title}' is recorded for the site, not per person.");

        db.ChecklistEntries.Add(new ChecklistEntry(site.TrialId, site.Id, item.Key, userName, evidence, db.Actor.UserName, db.Time.GetUtcNow().UtcDateTime, file));
        await db.SaveChangesAsync($"activation checklist of site {site.SiteNumber}: {item.Title}" + (item.PerUser ? $" ({userName!.Trim()})" : ""), cancellationToken);
        return (await ChecklistAsync(db, site.Id, cancellationToken))!;
    }

    /// <summary>
    /// Moves the site to <paramref name="to"/> for <paramref name="reason"/>. To Active only with every required item done;
    /// the refusal lists what is missing.
    /// </summary>
    public async Task<SiteChecklist> ChangeStatusAsync(TrialFlowDbContext db, Guid siteId, SiteStatus to, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ActivationException("A reason is required for a change of a site's status: it is kept in the site's history and the audit trail.");
        var site = await FindAsync(db, siteId, cancellationToken);
        if (to == SiteStatus.Active)
        {
            var missing = (await ChecklistAsync(db, site, cancellationToken)).MissingRequired;
            if (missing.Count > 0)
                throw new ActivationException($"Site {site.SiteNumber} cannot become Active: {missing.Count} required checklist item(s) not done: "
                    + string.Join("; ", missing.Select(m => m.UsersOutstanding.Count > 0 ? $"{m.Definition.Title} (still: {string.Join(", ", m.UsersOutstanding)})" : m.Definition.Title)) + ".");
        }
        try
        {
            site.ChangeStatus(to, reason, db.Time.GetUtcNow().UtcDateTime);
        }
        catch (SiteStatusException e)
        {
            throw new ActivationException(e.Message);
        }
        if (to == SiteStatus.Active)
            await TellDataManagersOfHeldObjectsAsync(db, site, cancellationToken);
        await db.SaveChangesAsync($"site {site.SiteNumber} {to}: {reason.Trim()}", cancellationToken);
        return (await ChecklistAsync(db, site.Id, cancellationToken))!;
    }

    /// <summary>What the site sent before it was Active waits in the quarantine; the people who release it hear that they now can.</summary>
    private static async Task TellDataManagersOfHeldObjectsAsync(TrialFlowDbContext db, Site site, CancellationToken cancellationToken)
    {
        var held = await db.QuarantineItems.CountAsync(q => q.SiteId == site.Id && q.Status == QuarantineStatus.Open && q.Reason == QuarantineReason.SiteNotActive, cancellationToken);
        if (held > 0)
            db.StaffNotifications.Add(new StaffNotification(site.TrialId, site.Id, TrialFlowRoles.DataManager,
                $"Site {site.SiteNumber} is Active: {held} held object(s) can be released",
                $"{site.Name} sent {held} object(s) before it was Active; they are held in the quarantine as {QuarantineReason.SiteNotActive} and go through intake as they came when released.",
                "/quarantine", db.Time.GetUtcNow().UtcDateTime));
    }

    private async Task<SiteChecklist> ChecklistAsync(TrialFlowDbContext db, Site site, CancellationToken cancellationToken)
    {
        var template = await TemplateAsync(db, site, cancellationToken);
        var entries = await db.ChecklistEntries.AsNoTracking().Where(e => e.SiteId == site.Id).OrderBy(e => e.DoneAt).ToListAsync(cancellationToken);
        var users = template.Items.Any(i => i.PerUser) ? await SiteUsersAsync(db, site.Id, cancellationToken) : [];
        var items = new List<ChecklistItemState>();
        foreach (var item in template.Items)
        {
            var mine = entries.Where(e => e.ItemKey == item.Key).Select(e => new ChecklistEntryView(e.UserName, e.Evidence, e.DoneBy, e.DoneAt, e.File)).ToList();
            if (item.Automatic is { } check)
            {
                var seen = await SeenAsync(db, site, check, cancellationToken);
                items.Add(new ChecklistItemState(item, seen is not null, mine, [], seen));
            }
            else if (item.PerUser)
            {
                var outstanding = users.Where(u => !mine.Any(e => string.Equals(e.UserName, u, StringComparison.OrdinalIgnoreCase))).ToList();
                // Training is of people: with nobody registered for the site yet, nobody is trained.
                items.Add(new ChecklistItemState(item, users.Count > 0 && outstanding.Count == 0, mine, outstanding, null));
            }
            else
                items.Add(new ChecklistItemState(item, mine.Count > 0, mine, [], null));
        }
        var history = site.StatusChanges.OrderBy(c => c.At).Select(c => new SiteStatusChangeView(c.From, c.To, c.Reason, c.At)).ToList();
        return new SiteChecklist(site.Id, site.TrialId, site.SiteNumber, site.Name, site.Status, site.NextStatuses, template.Name, items, history, site.DeidProfile);
    }

    private async Task<string?> SeenAsync(TrialFlowDbContext db, Site site, AutomaticCheck check, CancellationToken cancellationToken)
    {
        switch (check)
        {
            case AutomaticCheck.TestTransfer:
                var pushed = db.IntakeReceipts.AsNoTracking().Where(r => r.SiteId == site.Id && r.Channel == IntakeChannel.DicomPush);
                var first = await pushed.OrderBy(r => r.ReceivedAt).Select(r => new { r.ReceivedAt, r.Sender }).FirstOrDefaultAsync(cancellationToken);
                return first is null ? null : $"first object received by DICOM push on {first.ReceivedAt:yyyy-MM-dd HH:mm} UTC from {first.Sender}; {await pushed.CountAsync(cancellationToken)} so far";
            case AutomaticCheck.ScannerQualification:
                return await QualifiedScannersSeenAsync(db, site, cancellationToken);
            default:
                throw new ArgumentOutOfRangeException(nameof(check), check, "unknown automatic check");
        }
    }

    private async Task<string?> QualifiedScannersSeenAsync(TrialFlowDbContext db, Site site, CancellationToken cancellationToken)
    {
        var scanners = await db.QualifiedScanners.AsNoTracking().Where(q => q.SiteId == site.Id).OrderBy(q => q.QualifiedAt).ToListAsync(cancellationToken);
        var trial = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == site.TrialId, cancellationToken);
        var needed = protocols?.For(trial)?.Requirements.Where(r => r.Visits.Count == 0).Select(r => r.Modality.ToUpperInvariant()).Distinct().ToList() ?? [];
        var done = needed.Count == 0 ? scanners.Count > 0 : needed.All(m => scanners.Any(s => s.Modality == m));
        return done ? "qualified: " + string.Join("; ", scanners.Select(s => $"{s.Label} ({s.Modality}) on {s.QualifiedAt:yyyy-MM-dd}")) : null;
    }

    private async Task<ChecklistTemplate> TemplateAsync(TrialFlowDbContext db, Site site, CancellationToken cancellationToken) =>
        checklists.For(await db.Trials.AsNoTracking().SingleAsync(t => t.Id == site.TrialId, cancellationToken));

    /// <summary>The site's own staff (members of the site in the SiteUser role), by user name.</summary>
    private static async Task<List<string>> SiteUsersAsync(TrialFlowDbContext db, Guid siteId, CancellationToken cancellationToken)
    {
        var names = await (from m in db.SiteMemberships
                           where m.SiteId == siteId
                           join u in db.Users on m.UserId equals u.Id
                           join ur in db.UserRoles on u.Id equals ur.UserId
                           join r in db.Roles on ur.RoleId equals r.Id
                           where r.Name == TrialFlowRoles.SiteUser
                           select u.UserName!).Distinct().ToListAsync(cancellationToken);
        return names.Order(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static async Task<Site> FindAsync(TrialFlowDbContext db, Guid siteId, CancellationToken cancellationToken) =>
        await db.Sites.Include(s => s.StatusChanges).SingleOrDefaultAsync(s => s.Id == siteId, cancellationToken)
        ?? throw new SiteNotFoundException(siteId);
}
