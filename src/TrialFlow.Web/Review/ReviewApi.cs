using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Review.Domain;
using TrialFlow.Review.Agreement;
using TrialFlow.Review.Forms;
using TrialFlow.Review.Service;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Review;

/// <summary>
/// Blinded independent central review. Readers reach only their own tasks (anything else is 404, whether it exists or
/// not), the task's de-identified images and the form; adjudicators only their adjudications, with both reads labelled
/// A and B. Signing re-enters the password (422 when wrong, nothing signed). Study managers see who reads what,
/// reassign with a reason, keep the pool and read the agreement metrics; inspectors read those too.
/// </summary>
public static class ReviewApi
{
    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder endpoints)
    {
        var reader = endpoints.MapGroup("/api/review/tasks").WithTags("Central review").RequireAuthorization(Policies.Reading);
        reader.MapGet("/", Worklist).WithName("ReaderWorklist").WithSummary("The caller's open read tasks, due first (take, default 100), then the last 20 completed.");
        reader.MapGet("/{taskId:guid}", OpenTask).WithName("OpenReadTask");
        reader.MapPut("/{taskId:guid}/draft", SaveDraft).WithName("SaveReadDraft").WithSummary("Saves the form as a draft; returns computed fields and what is still wrong.");
        reader.MapPost("/{taskId:guid}/sign", Sign).WithName("SignRead").WithSummary("Electronic signature (21 CFR Part 11): password re-entered; the read is locked.");
        reader.MapPost("/{taskId:guid}/corrections", Correct).WithName("CorrectRead").WithSummary("Starts a new version of a signed read, with a reason.");

        var adjudicator = endpoints.MapGroup("/api/review/adjudications").WithTags("Central review").RequireAuthorization(Policies.Adjudicate);
        adjudicator.MapGet("/", Adjudications).WithName("AdjudicatorWorklist");
        adjudicator.MapGet("/{adjudicationId:guid}", OpenAdjudication).WithName("OpenAdjudication");
        adjudicator.MapPost("/{adjudicationId:guid}/decision", Decide).WithName("DecideAdjudication").WithSummary("Accepts one read with a rationale, signed with the password.");

        var oversight = endpoints.MapGroup("/api/trials/{trialId:guid}/review").WithTags("Central review").RequireAuthorization(Policies.ReviewOversight);
        oversight.MapGet("/tasks", ManagedTasks).WithName("ReviewTasks").WithSummary("Every read task with its reader (unblinded).");
        oversight.MapGet("/pool", Pool).WithName("ReviewPool");
        oversight.MapGet("/agreement", Agreement).WithName("ReviewAgreement").WithSummary("Adjudication rates, whom the adjudicator sided with, Cohen's kappa, Bland–Altman.");
        oversight.MapPost("/pool", Qualify).WithName("QualifyReviewer").RequireAuthorization(Policies.ReviewManage)
            .WithSummary("Adds a reviewer holding the Reader or Adjudicator role, with training record and date qualified (not in the future).");
        oversight.MapPut("/pool/{qualificationId:guid}/active", SetActive).WithName("SetReviewerActive").RequireAuthorization(Policies.ReviewManage)
            .WithSummary("Takes a reviewer out of the pool or back in, with a reason; open tasks stay until reassigned.");
        oversight.MapGet("/settings", Settings).WithName("ReviewSettings").WithSummary("Readers per timepoint, adjudication variables, form, task due days, and the choices.");
        oversight.MapPut("/settings", ChangeSettings).WithName("ChangeReviewSettings").RequireAuthorization(Policies.ReviewManage)
            .WithSummary("Changes the review settings with a reason (audited); applies to assignments and comparisons from then on.");
        endpoints.MapPost("/api/review/tasks/{taskId:guid}/reassign", Reassign).WithTags("Central review").WithName("ReassignReadTask")
            .RequireAuthorization(Policies.ReviewManage).WithSummary("Gives a task to another reader (named, or chosen by the rules), with a reason.");
        return endpoints;
    }

    private static async Task<Ok<IReadOnlyList<WorklistItem>>> Worklist(ReadingService reading, IActorAccessor actor, int? take, CancellationToken ct) =>
        TypedResults.Ok(await reading.WorklistAsync(actor.Current, ct, Math.Clamp(take ?? 100, 1, 1000)));

    private static async Task<Ok<ReadTaskView>> OpenTask(Guid taskId, ReadingService reading, IActorAccessor actor, CancellationToken ct) =>
        TypedResults.Ok(await reading.OpenAsync(taskId, actor.Current, ct));

    private static async Task<Ok<ReadSaveResult>> SaveDraft(Guid taskId, FormRequest form, ReadingService reading, IActorAccessor actor, CancellationToken ct) =>
        TypedResults.Ok(await reading.SaveDraftAsync(taskId, form.ToFormData(), actor.Current, ct));

    private static async Task<Results<Ok<ReadSaveResult>, UnprocessableEntity<ReadSaveResult>>> Sign(Guid taskId, SignReadRequest request, ReadingService reading, IActorAccessor actor, CancellationToken ct)
    {
        var result = await reading.SignAsync(taskId, request.Form.ToFormData(), request.Password, actor.Current, ct);
        return result.Succeeded ? TypedResults.Ok(result) : TypedResults.UnprocessableEntity(result);
    }

    private static async Task<Ok<ReadView>> Correct(Guid taskId, ReasonRequest request, ReadingService reading, IActorAccessor actor, CancellationToken ct) =>
        TypedResults.Ok(await reading.CorrectAsync(taskId, request.Reason, actor.Current, ct));

    private static async Task<Ok<IReadOnlyList<AdjudicationItem>>> Adjudications(AdjudicationService adjudications, IActorAccessor actor, CancellationToken ct) =>
        TypedResults.Ok(await adjudications.WorklistAsync(actor.Current, ct));

    private static async Task<Ok<AdjudicationView>> OpenAdjudication(Guid adjudicationId, AdjudicationService adjudications, IActorAccessor actor, CancellationToken ct) =>
        TypedResults.Ok(await adjudications.OpenAsync(adjudicationId, actor.Current, ct));

    private static async Task<Ok<AdjudicationView>> Decide(Guid adjudicationId, DecisionRequest request, AdjudicationService adjudications, IActorAccessor actor, CancellationToken ct) =>
        TypedResults.Ok(await adjudications.DecideAsync(adjudicationId, request.AcceptedReadId, request.Rationale, request.Password, actor.Current, ct));

    private static async Task<Ok<IReadOnlyList<ManagedTask>>> ManagedTasks(Guid trialId, ReviewManagement management, bool? openOnly, CancellationToken ct) =>
        TypedResults.Ok(await management.TasksAsync(trialId, openOnly ?? false, ct));

    private static async Task<Ok<IReadOnlyList<PoolMember>>> Pool(Guid trialId, ReviewManagement management, CancellationToken ct) =>
        TypedResults.Ok(await management.PoolAsync(trialId, ct));

    private static async Task<Ok<AgreementReport>> Agreement(Guid trialId, ReviewManagement management, CancellationToken ct) =>
        TypedResults.Ok(await management.AgreementAsync(trialId, ct));

    private static async Task<Results<Created<PoolMember>, NotFound<string>>> Qualify(Guid trialId, QualifyRequest request, ReviewManagement management, TrialFlowDbContext db, CancellationToken ct)
    {
        Guid? siteId = null;
        if (!string.IsNullOrWhiteSpace(request.AffiliatedSiteNumber))
            siteId = await db.Sites.Where(s => s.TrialId == trialId && s.SiteNumber == request.AffiliatedSiteNumber).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct)
                ?? throw new ArgumentException($"Site {request.AffiliatedSiteNumber} is not a site of this trial.", nameof(request));
        var qualification = await management.QualifyAsync(trialId, request.UserName, request.Role, request.TrainingRecord, request.QualifiedOn, siteId, ct);
        var member = (await management.PoolAsync(trialId, ct)).Single(m => m.Id == qualification.Id);
        return TypedResults.Created($"/api/trials/{trialId}/review/pool", member);
    }

    private static async Task<Ok<PoolMember>> SetActive(Guid trialId, Guid qualificationId, ActiveRequest request, ReviewManagement management, CancellationToken ct) =>
        TypedResults.Ok(await management.SetActiveAsync(trialId, qualificationId, request.Active, request.Reason, ct));

    private static async Task<Ok<ReviewSettingsView>> Settings(Guid trialId, ReviewSettingsService settings, CancellationToken ct) =>
        TypedResults.Ok(await settings.GetAsync(trialId, ct));

    private static async Task<Ok<ReviewSettingsView>> ChangeSettings(Guid trialId, ReviewSettingsChange change, ReviewSettingsService settings, CancellationToken ct) =>
        TypedResults.Ok(await settings.ChangeAsync(trialId, change, ct));

    private static async Task<Ok<ManagedTask>> Reassign(Guid taskId, ReassignRequest request, ReviewManagement management, CancellationToken ct) =>
        TypedResults.Ok(await management.ReassignAsync(taskId, request.ReaderUserName, request.Reason, ct));
}

/// <summary>A form as the client sends it: field values and the rows of each repeatable group, all strings.</summary>
public sealed record FormRequest(Dictionary<string, string?>? Fields, Dictionary<string, List<Dictionary<string, string?>>>? Groups)
{
    public FormData ToFormData() => new(
        Fields ?? [],
        (Groups ?? []).ToDictionary(g => g.Key, g => (IReadOnlyList<IReadOnlyDictionary<string, string?>>)g.Value.Cast<IReadOnlyDictionary<string, string?>>().ToList()));
}

public sealed record SignReadRequest(FormRequest Form, string? Password);

public sealed record ReasonRequest(string Reason);

public sealed record DecisionRequest(Guid AcceptedReadId, string Rationale, string? Password);

public sealed record QualifyRequest(string UserName, ReviewerRole Role, string TrainingRecord, DateOnly QualifiedOn, string? AffiliatedSiteNumber);

public sealed record ReassignRequest(string? ReaderUserName, string Reason);

public sealed record ActiveRequest(bool Active, string? Reason);
