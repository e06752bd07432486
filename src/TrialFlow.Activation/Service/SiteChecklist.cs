using TrialFlow.Activation.Domain;
using TrialFlow.Core.Trials;

namespace TrialFlow.Activation.Service;

/// <summary>A site's activation checklist as it stands: each item, done or not and on what evidence, and the site's lifecycle so far.</summary>
/// <param name="DeidProfile">The de-identification profile its data-sharing agreement requires; null: the trial's.</param>
public sealed record SiteChecklist(
    Guid SiteId, Guid TrialId, string SiteNumber, string SiteName, SiteStatus Status, IReadOnlyList<SiteStatus> NextStatuses,
    string Template, IReadOnlyList<ChecklistItemState> Items, IReadOnlyList<SiteStatusChangeView> History, string? DeidProfile)
{
    /// <summary>Required items not done yet: while there are any, the site cannot become Active.</summary>
    public IReadOnlyList<ChecklistItemState> MissingRequired => Items.Where(i => i.Definition.Required && !i.Done).ToList();
}

/// <param name="Entries">What was recorded for the item (one per person for per-user items).</param>
/// <param name="UsersOutstanding">For per-user items: the site's users with no entry yet.</param>
/// <param name="SeenEvidence">For automatic items: what TrialFlow saw that ticks it, or null.</param>
public sealed record ChecklistItemState(
    ChecklistItemDefinition Definition, bool Done, IReadOnlyList<ChecklistEntryView> Entries, IReadOnlyList<string> UsersOutstanding, string? SeenEvidence);

/// <param name="File">A file attached as evidence, or null.</param>
public sealed record ChecklistEntryView(string? UserName, string Evidence, string DoneBy, DateTime DoneAt, EvidenceFile? File = null);

public sealed record SiteStatusChangeView(SiteStatus From, SiteStatus To, string Reason, DateTime At);
