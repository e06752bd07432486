using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Api;

public static class TrialsApi
{
    public static IEndpointRouteBuilder MapTrialsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/trials").WithTags("Trials").RequireAuthorization(Policies.TrialRead);
        api.MapGet("/", ListTrials).WithName("ListTrials");
        api.MapGet("/{trialId:guid}", GetTrial).WithName("GetTrial");
        api.MapGet("/{trialId:guid}/visit-schedule", GetVisitSchedule).WithName("GetVisitSchedule");
        api.MapGet("/{trialId:guid}/sites", ListSites).WithName("ListSites").WithSummary("The trial's sites the caller may see.");
        api.MapGet("/{trialId:guid}/dashboard", GetDashboard).WithName("GetDashboard").WithSummary("Sites, subjects and studies by status, counted per site within the caller's sites.");
        return endpoints;
    }

    private static async Task<Ok<List<TrialResponse>>> ListTrials(TrialFlowDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await TrialQueries.TrialsAsync(db, ct));

    private static async Task<Results<Ok<TrialResponse>, NotFound>> GetTrial(Guid trialId, TrialFlowDbContext db, CancellationToken ct)
    {
        var trial = (await TrialQueries.TrialsAsync(db, ct)).SingleOrDefault(t => t.Id == trialId);
        return trial is null ? TypedResults.NotFound() : TypedResults.Ok(trial);
    }

    private static async Task<Ok<List<VisitDefinitionResponse>>> GetVisitSchedule(Guid trialId, TrialFlowDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.VisitDefinitions.AsNoTracking().Where(v => v.TrialId == trialId).OrderBy(v => v.Order)
            .Select(v => new VisitDefinitionResponse(v.Id, v.VisitKey, v.Name, v.NominalDay, v.WindowBeforeDays, v.WindowAfterDays))
            .ToListAsync(ct));

    private static async Task<Ok<List<SiteResponse>>> ListSites(Guid trialId, TrialFlowDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await TrialQueries.SitesAsync(db, trialId, ct));

    private static async Task<Results<Ok<TrialDashboard>, NotFound>> GetDashboard(Guid trialId, TrialFlowDbContext db, CancellationToken ct) =>
        await TrialQueries.DashboardAsync(db, trialId, ct) is { } dashboard ? TypedResults.Ok(dashboard) : TypedResults.NotFound();
}
