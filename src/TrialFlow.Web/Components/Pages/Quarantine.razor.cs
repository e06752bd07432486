using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Core.Intake;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Web.Components.Pages;

/// <summary>The quarantine list; data managers release an item to a subject or reject it, with a reason either way.</summary>
public partial class Quarantine
{
    private List<Row> _items = [];
    private List<(Guid Id, Guid SiteId, string SubjectKey)> _subjects = [];
    private string? _message;
    private Severity _severity = Severity.Info;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        var sites = await db.Sites.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.SiteNumber);
        _items = (await db.QuarantineItems.AsNoTracking().Where(q => q.Status == QuarantineStatus.Open).OrderBy(q => q.ReceivedAt).Take(500).ToListAsync())
            .Select(q => new Row(q, sites.GetValueOrDefault(q.SiteId, ""))).ToList();
        _subjects = (await db.Subjects.AsNoTracking().OrderBy(s => s.SubjectKey).Select(s => new { s.Id, s.SiteId, s.SubjectKey }).ToListAsync())
            .Select(s => (s.Id, s.SiteId, s.SubjectKey)).ToList();
    }

    private Task ReleaseAsync(Row row) => DecideAsync(row, (db, item) => Decisions.ReleaseAsync(db, item, row.SubjectId!.Value, null, row.Reason!, CancellationToken.None), "released to intake");

    private Task RejectAsync(Row row) => DecideAsync(row, (db, item) => Decisions.RejectAsync(db, item, row.Reason!, CancellationToken.None), "rejected; its bytes were deleted");

    private async Task DecideAsync(Row row, Func<TrialFlowDbContext, QuarantineItem, Task> decide, string what)
    {
        try
        {
            await using var db = await Db.CreateDbContextAsync();
            var item = await db.QuarantineItems.SingleAsync(q => q.Id == row.Item.Id);
            await decide(db, item);
            (_message, _severity) = ($"Item from {row.Item.ReceivedAt:yyyy-MM-dd HH:mm} {what}.", Severity.Success);
        }
        catch (Exception e) when (e is InvalidOperationException or DbUpdateException)
        {
            (_message, _severity) = (e.Message, Severity.Error);
        }

        await LoadAsync();
    }

    private sealed class Row(QuarantineItem item, string siteNumber)
    {
        public QuarantineItem Item { get; } = item;

        public string SiteNumber { get; } = siteNumber;

        public Guid? SubjectId { get; set; }

        public string? Reason { get; set; }
    }
}
