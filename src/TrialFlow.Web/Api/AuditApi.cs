using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Audit;
using TrialFlow.Core.Persistence;
using TrialFlow.Web.Audit;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Api;

public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/audit").WithTags("Audit trail").RequireAuthorization(Policies.AuditRead);
        api.MapGet("/events", ListEvents).WithName("ListAuditEvents").WithSummary("Audit events, newest first, optionally for one record.");
        api.MapGet("/verify", Verify).WithName("VerifyAuditChain").WithSummary("Walk the hash chain and report the first broken link.");
        return endpoints;
    }

    private static async Task<Ok<List<AuditEventResponse>>> ListEvents(
        TrialFlowDbContext db, string? entityType, string? entityId, long? before, int? take, CancellationToken ct)
    {
        var query = AuditVisibility.Visible(db.AuditEvents.AsNoTracking(), db.Actor.Scope);
        if (!string.IsNullOrEmpty(entityType))
            query = query.Where(e => e.EntityType == entityType);
        if (!string.IsNullOrEmpty(entityId))
            query = query.Where(e => e.EntityId == entityId);
        if (before is { } b)
            query = query.Where(e => e.Sequence < b);
        var events = await query.OrderByDescending(e => e.Sequence).Take(Math.Clamp(take ?? 100, 1, 1000)).ToListAsync(ct);
        return TypedResults.Ok(events.Select(AuditEventResponse.From).ToList());
    }

    private static async Task<Ok<AuditVerification>> Verify(TrialFlowDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await AuditChainVerifier.VerifyAsync(db, ct));
}
