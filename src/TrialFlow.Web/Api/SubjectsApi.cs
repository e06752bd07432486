using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Api;

public static class SubjectsApi
{
    public static IEndpointRouteBuilder MapSubjectsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/subjects").WithTags("Subjects");
        api.MapGet("/{subjectId:guid}", GetSubject).WithName("GetSubject").RequireAuthorization(Policies.TrialRead);
        api.MapPut("/{subjectId:guid}/status", ChangeStatus).WithName("ChangeSubjectStatus").RequireAuthorization(Policies.TrialWrite)
            .WithSummary("Change a subject's status; a reason is required once the subject is enrolled.");
        return endpoints;
    }

    private static async Task<Results<Ok<SubjectDetailResponse>, NotFound>> GetSubject(Guid subjectId, TrialFlowDbContext db, CancellationToken ct)
    {
        var subject = await db.Subjects.AsNoTracking().Include(s => s.Visits).ThenInclude(v => v.Definition).SingleOrDefaultAsync(s => s.Id == subjectId, ct);
        if (subject is null)
            return TypedResults.NotFound();
        var visits = subject.Visits.OrderBy(v => v.Definition!.Order)
            .Select(v => new VisitResponse(v.Id, v.Definition!.VisitKey, v.Definition.Name, v.VisitDate, v.Status)).ToList();
        return TypedResults.Ok(new SubjectDetailResponse(subject.Id, subject.TrialId, subject.SiteId, subject.SubjectKey, subject.Status, visits));
    }

    private static async Task<Results<Ok<SubjectResponse>, NotFound>> ChangeStatus(Guid subjectId, ChangeSubjectStatusRequest request, TrialFlowDbContext db, CancellationToken ct)
    {
        var subject = await db.Subjects.SingleOrDefaultAsync(s => s.Id == subjectId, ct);
        if (subject is null)
            return TypedResults.NotFound();
        subject.ChangeStatus(request.Status);
        if (string.IsNullOrWhiteSpace(request.Reason))
            await db.SaveChangesAsync(ct);
        else
            await db.SaveChangesAsync(request.Reason, ct);
        return TypedResults.Ok(new SubjectResponse(subject.Id, subject.TrialId, subject.SiteId, subject.SubjectKey, subject.Status));
    }
}
