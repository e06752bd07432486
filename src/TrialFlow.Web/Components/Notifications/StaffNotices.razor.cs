using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Notifications;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Web.Components.Notifications;

/// <summary>
/// Staff notifications addressed to any role the signed-in user holds; the DbContext's site filter keeps them to the
/// user's sites. Nothing here marks a notice read: it stays until the notices after it push it out of view.
/// </summary>
public partial class StaffNotices
{
    private List<StaffNotification> _notices = [];
    private int _total;

    /// <summary>How many of the newest notices to show. Default 5; the rest are counted.</summary>
    [Parameter]
    public int Max { get; set; } = 5;

    [CascadingParameter]
    private Task<AuthenticationState> Authentication { get; set; } = default!;

    [Inject]
    private IDbContextFactory<TrialFlowDbContext> Db { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var roles = (await Authentication).User.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct().ToList();
        if (roles.Count == 0)
            return;
        await using var db = await Db.CreateDbContextAsync();
        var mine = db.StaffNotifications.AsNoTracking().Where(n => roles.Contains(n.RecipientRole));
        _total = await mine.CountAsync();
        _notices = await mine.OrderByDescending(n => n.CreatedAt).Take(Max).ToListAsync();
    }
}
