using TrialFlow.Activation.Domain;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Seeding;

namespace TrialFlow.Activation.Seeding;

/// <summary>The seed file's activation section: checklist items a site had done, checked against the trial's checklist.</summary>
internal sealed class ChecklistSeedPart(ChecklistCatalog checklists) : ITrialSeedPart
{
    public Task SeedAsync(TrialFlowDbContext db, TrialSeedFile file, SeededTrial trial, CancellationToken cancellationToken)
    {
        var template = checklists.For(trial.Trial);
        foreach (var entry in file.Activation ?? [])
        {
            var where = $"activation: site {entry.SiteNumber} item '{entry.Item}'";
            var site = trial.Site(entry.SiteNumber, where);
            var item = template.Items.SingleOrDefault(i => i.Key == entry.Item)
                ?? throw new InvalidDataException($"{where}: the checklist '{template.Name}' has no such item (it has: {string.Join(", ", template.Items.Select(i => i.Key))}).");
            if (item.Automatic is not null)
                throw new InvalidDataException($"{where}: the item is ticked by TrialFlow when it happens, not seeded.");
            if (item.PerUser != entry.UserName is not null)
                throw new InvalidDataException($"{where}: {(item.PerUser ? "a per-user item names the site user (userName)" : "a site-level item names no user")}.");
            db.ChecklistEntries.Add(new ChecklistEntry(trial.Trial.Id, site.Id, item.Key, entry.UserName, entry.Evidence, "seed file", db.Time.GetUtcNow().UtcDateTime));
        }
        return Task.CompletedTask;
    }
}
