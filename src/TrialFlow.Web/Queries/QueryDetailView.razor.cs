using TrialFlow.Intake.Domain;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TrialFlow.Core.Persistence;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;
using TrialFlow.Web.Api;

namespace TrialFlow.Web.Queries;

/// <summary>
/// One query: its findings, thread and the steps the signed-in role may take now (answer for the addressed party; resolve,
/// reopen, close, cancel for the raiser side). The query service checks every step again and audits it.
/// </summary>
public partial class QueryDetailView
{
    private QueryDetailResponse? _query;
    private bool _loaded;
    private bool _canAnswer;
    private bool _canDecide;
    private string? _text;
    private string? _note;
    private Guid? _linkedUpload;
    private List<(Guid Id, string Label)> _uploads = [];
    private string? _message;
    private Severity _severity = Severity.Info;

    /// <summary>The query's id (route).</summary>
    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    [Inject]
    private QueryService Queries { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    protected override Task OnParametersSetAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await using var db = await Db.CreateDbContextAsync();
        _query = await QueryDetailResponse.LoadAsync(db, Id, Time.GetUtcNow().UtcDateTime, CancellationToken.None);
        _loaded = true;
        if (_query is null)
            return;
        var entity = await db.Queries.AsNoTracking().SingleAsync(q => q.Id == Id);
        var actor = db.Actor;
        // Inspectors read only, whatever the query's state.
        _canAnswer = actor.Role != Core.Identity.TrialFlowRoles.Inspector && QueryPermissions.CanAnswer(actor, entity);
        _canDecide = actor.Role != Core.Identity.TrialFlowRoles.Inspector && QueryPermissions.Raisers.Contains(actor.Role) && QueryPermissions.CanDecide(actor, entity);
        if (_canAnswer)
            _uploads = (await db.UploadSessions.AsNoTracking().Where(u => u.SiteId == entity.SiteId && u.CreatedAt >= entity.RaisedAt.AddDays(-1))
                    .OrderByDescending(u => u.CreatedAt).Take(20).ToListAsync())
                .Select(u => (u.Id, $"{u.CreatedAt:yyyy-MM-dd HH:mm} · {u.FilesReceived} files · {u.Status}")).ToList();
    }

    private Task AnswerAsync() => StepAsync(db => Queries.AnswerAsync(db, Id, _text ?? "", _linkedUpload), "Answer sent.");

    private Task ResolveAsync() => StepAsync(db => Queries.ResolveAsync(db, Id, _note), "Resolved.");

    private Task ReopenAsync() => StepAsync(db => Queries.ReopenAsync(db, Id, _note ?? ""), "Reopened: the site has a new due date.");

    private Task CloseAsync() => StepAsync(db => Queries.CloseAsync(db, Id, _note), "Closed.");

    private Task CancelAsync() => StepAsync(db => Queries.CancelAsync(db, Id, _note ?? ""), "Cancelled.");

    private async Task StepAsync(Func<TrialFlowDbContext, Task<Query>> step, string done)
    {
        try
        {
            await using var db = await Db.CreateDbContextAsync();
            await step(db);
            (_message, _severity, _text, _note, _linkedUpload) = (done, Severity.Success, null, null, null);
        }
        catch (Exception e) when (e is QueryException or ArgumentException or DbUpdateException)
        {
            (_message, _severity) = (e.Message, Severity.Error);
        }
        await LoadAsync();
    }
}
