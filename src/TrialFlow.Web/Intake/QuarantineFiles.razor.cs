using TrialFlow.Intake.Domain;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Web.Api;

namespace TrialFlow.Web.Intake;

/// <summary>
/// Lists the held objects of one group, loaded only when the group is opened; a study of a thousand files shows its
/// first <see cref="MaxFiles"/> so the page stays light.
/// </summary>
public partial class QuarantineFiles
{
    private const int MaxFiles = 100;

    private List<QuarantineItemResponse> _files = [];
    private IReadOnlyList<Guid>? _loadedFor;
    private bool _loaded;

    /// <summary>The group's key (study key or item id), written on the table for tests and links. Required.</summary>
    [Parameter, EditorRequired]
    public string GroupKey { get; set; } = "";

    /// <summary>The ids of the group's held objects. Required.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<Guid> ItemIds { get; set; } = [];

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        // The parent re-renders on every click; a list is a new parameter value only when the group itself was reloaded.
        if (ReferenceEquals(_loadedFor, ItemIds))
            return;
        _loadedFor = ItemIds;
        var ids = ItemIds.ToList();
        await using var db = await Db.CreateDbContextAsync();
        var files = await db.QuarantineItems.AsNoTracking().Where(q => ids.Contains(q.Id))
            .OrderBy(q => q.SeriesNumber).ThenBy(q => q.ReceivedAt).Take(MaxFiles).ToListAsync();
        _files = files.Select(QuarantineItemResponse.From).ToList();
        _loaded = true;
    }
}
