using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Api;

public static class SitesApi
{
    public static IEndpointRouteBuilder MapSitesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/sites").WithTags("Sites");
        api.MapGet("/{siteId:guid}", GetSite).WithName("GetSite").RequireAuthorization(Policies.TrialRead);
        api.MapGet("/{siteId:guid}/subjects", ListSubjects).WithName("ListSubjects").RequireAuthorization(Policies.TrialRead);
        api.MapPost("/{siteId:guid}/subjects", CreateSubject).WithName("CreateSubject").RequireAuthorization(Policies.TrialWrite)
            .WithSummary("Register a subject at a site with the identifier the EDC uses.");
        return endpoints;
    }

    private static async Task<Results<Ok<SiteResponse>, NotFound>> GetSite(Guid siteId, TrialFlowDbContext db, CancellationToken ct)
    {
        var site = await db.Sites.AsNoTracking().Include(s => s.AeTitles).SingleOrDefaultAsync(s => s.Id == siteId, ct);
        return site is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new SiteResponse(site.Id, site.TrialId, site.SiteNumber, site.Name, site.Country, site.TimeZone, site.AeTitles.Select(a => a.AeTitle).Order().ToList(), site.Status));
    }

    private static async Task<Results<Ok<List<SubjectResponse>>, NotFound>> ListSubjects(Guid siteId, TrialFlowDbContext db, CancellationToken ct)
    {
        // A site outside the caller's scope does not exist for them: 404, never an empty list that confirms it.
        if (!await db.Sites.AnyAsync(s => s.Id == siteId, ct))
            return TypedResults.NotFound();
        return TypedResults.Ok(await db.Subjects.AsNoTracking().Where(s => s.SiteId == siteId).OrderBy(s => s.SubjectKey)
            .Select(s => new SubjectResponse(s.Id, s.TrialId, s.SiteId, s.SubjectKey, s.Status)).ToListAsync(ct));
    }

    private static async Task<Results<Created<SubjectResponse>, NotFound, Conflict<string>>> CreateSubject(
        Guid siteId, CreateSubjectRequest request, TrialFlowDbContext db, CancellationToken ct)
    {
        var site = await db.Sites.AsNoTracking().SingleOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null)
            return TypedResults.NotFound();
        if (await db.Subjects.IgnoreQueryFilters().AnyAsync(s => s.TrialId == site.TrialId && s.SubjectKey == request.SubjectKey.Trim(), ct))
            return TypedResults.Conflict($"Subject {request.SubjectKey} already exists in this trial.");

        var subject = new Subject(site.TrialId, site.Id, request.SubjectKey, request.Status);
        db.Subjects.Add(subject);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/subjects/{subject.Id}", new SubjectResponse(subject.Id, subject.TrialId, subject.SiteId, subject.SubjectKey, subject.Status));
    }
}
