using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Qc.Domain;
using TrialFlow.Qc;
using TrialFlow.Qc.Rules;
using TrialFlow.Qc.Service;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Qc;

/// <summary>
/// QC results per study and site patterns for everyone who reads the trial; the ruleset (validate, dry run, publish,
/// history, diff) and explicit re-runs for QC leads. A ruleset that does not compile is answered with 422 and its
/// errors (file, line, rule id, reason); nothing is published.
/// </summary>
public static class QcApi
{
    public static IEndpointRouteBuilder MapQcApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/qc").WithTags("Quality control");
        api.MapGet("/studies/{studyId:guid}/results", StudyResults).WithName("QcResultsOfStudy").RequireAuthorization(Policies.TrialRead);
        api.MapPost("/studies/{studyId:guid}/rerun", Rerun).WithName("RerunQc").RequireAuthorization(Policies.QcEdit)
            .WithSummary("Run QC again with the active ruleset (audited, with a reason).");
        api.MapGet("/patterns", Patterns).WithName("QcSitePatterns").RequireAuthorization(Policies.TrialRead);
        api.MapGet("/ruleset", ActiveRuleset).WithName("ActiveQcRuleset").RequireAuthorization(Policies.TrialRead);
        api.MapGet("/ruleset/versions", Versions).WithName("QcRulesetVersions").RequireAuthorization(Policies.TrialRead);
        api.MapGet("/ruleset/versions/{from:int}/diff/{to:int}", Diff).WithName("QcRulesetDiff").RequireAuthorization(Policies.TrialRead);
        api.MapPost("/ruleset/validate", Validate).WithName("ValidateQcRuleset").RequireAuthorization(Policies.QcEdit);
        api.MapPost("/ruleset/dry-run", DryRun).WithName("DryRunQcRuleset").RequireAuthorization(Policies.QcEdit)
            .WithSummary("Evaluate a draft against an archived study; nothing is saved.");
        api.MapPost("/ruleset", Publish).WithName("PublishQcRuleset").RequireAuthorization(Policies.QcEdit)
            .WithSummary("Publish a new immutable version with a reason.");
        return endpoints;
    }

    private static async Task<Ok<List<QcResultResponse>>> StudyResults(Guid studyId, TrialFlowDbContext db, CancellationToken ct)
    {
        var results = await db.QcResults.AsNoTracking().Include(r => r.Findings).Where(r => r.StudyId == studyId).OrderByDescending(r => r.RanAt).ToListAsync(ct);
        return TypedResults.Ok(results.Select(QcResultResponse.From).ToList());
    }

    private static async Task<Results<Ok<QcResultResponse>, NotFound, ProblemHttpResult>> Rerun(Guid studyId, RerunQcRequest request, QcService qc, IActorAccessor actor, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(QcResultResponse.From(await qc.RerunAsync(studyId, actor.Current, request.Reason, ct)));
        }
        catch (QcStudyNotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (QcEvaluationException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "A rule could not be evaluated");
        }
        catch (QcTimeLimitException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "QC ran over its time limit");
        }
    }

    private static async Task<Ok<QcPatternsResponse>> Patterns(TrialFlowDbContext db, CancellationToken ct)
    {
        var (sites, months) = await QcPatterns.ComputeAsync(db, ct);
        return TypedResults.Ok(new QcPatternsResponse(sites, months));
    }

    private static async Task<Ok<QcRulesetVersionResponse>> ActiveRuleset(TrialFlowDbContext db, QcRulesetStore rulesets, CancellationToken ct) =>
        TypedResults.Ok(QcRulesetVersionResponse.From((await rulesets.ActiveAsync(db, ct)).Version, withContent: true));

    private static async Task<Ok<List<QcRulesetVersionResponse>>> Versions(TrialFlowDbContext db, QcRulesetStore rulesets, CancellationToken ct) =>
        TypedResults.Ok((await rulesets.HistoryAsync(db, ct)).Select(v => QcRulesetVersionResponse.From(v, withContent: false)).ToList());

    private static async Task<Results<Ok<IReadOnlyList<DiffLine>>, NotFound>> Diff(int from, int to, TrialFlowDbContext db, QcRulesetStore rulesets, CancellationToken ct)
    {
        var history = await rulesets.HistoryAsync(db, ct);
        var (a, b) = (history.SingleOrDefault(v => v.Number == from), history.SingleOrDefault(v => v.Number == to));
        return a is null || b is null ? TypedResults.NotFound() : TypedResults.Ok(LineDiff.Compute(a.Content, b.Content));
    }

    private static Ok<QcValidationResponse> Validate(QcDraftRequest request, QcRulesetStore rulesets)
    {
        try
        {
            var compiled = rulesets.Validate(request.Content);
            return TypedResults.Ok(new QcValidationResponse(true, compiled.Rules.Count, []));
        }
        catch (RulesetException e)
        {
            return TypedResults.Ok(new QcValidationResponse(false, 0, e.Errors));
        }
    }

    private static async Task<Results<Ok<QcDryRunResponse>, NotFound, UnprocessableEntity<QcValidationResponse>, ProblemHttpResult>> DryRun(
        QcDryRunRequest request, QcService qc, IActorAccessor actor, CancellationToken ct)
    {
        try
        {
            var evaluation = await qc.DryRunAsync(request.StudyId, request.Content, actor.Current, ct);
            return TypedResults.Ok(new QcDryRunResponse(evaluation.Outcome, evaluation.Findings));
        }
        catch (RulesetException e)
        {
            return TypedResults.UnprocessableEntity(new QcValidationResponse(false, 0, e.Errors));
        }
        catch (QcStudyNotFoundException)
        {
            return TypedResults.NotFound();
        }
        catch (QcEvaluationException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "A rule could not be evaluated");
        }
        catch (QcTimeLimitException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "QC ran over its time limit");
        }
    }

    private static async Task<Results<Created<QcRulesetVersionResponse>, UnprocessableEntity<QcValidationResponse>, Conflict<string>>> Publish(
        QcPublishRequest request, TrialFlowDbContext db, QcRulesetStore rulesets, CancellationToken ct)
    {
        try
        {
            var version = await rulesets.PublishAsync(db, request.Content, request.Reason, ct);
            return TypedResults.Created($"/api/qc/ruleset/versions/{version.Number}", QcRulesetVersionResponse.From(version, withContent: false));
        }
        catch (RulesetException e)
        {
            return TypedResults.UnprocessableEntity(new QcValidationResponse(false, 0, e.Errors));
        }
        catch (RulesetUnchangedException e)
        {
            return TypedResults.Conflict(e.Message);
        }
    }
}

public sealed record RerunQcRequest(string Reason);

public sealed record QcDraftRequest(string Content);

public sealed record QcDryRunRequest(string Content, Guid StudyId);

public sealed record QcPublishRequest(string Content, string Reason);

public sealed record QcValidationResponse(bool Valid, int Rules, IReadOnlyList<QcFileError> Errors);

public sealed record QcDryRunResponse(QcOutcome Outcome, IReadOnlyList<Finding> Findings);

public sealed record QcPatternsResponse(IReadOnlyList<SiteQcPattern> Sites, IReadOnlyList<SiteQcMonth> Months);

public sealed record QcFindingResponse(string RuleId, QcSeverity Severity, string Message, string? SeriesInstanceUid);

public sealed record QcResultResponse(Guid Id, Guid StudyId, QcOutcome Outcome, DateTime RanAt, string Trigger, string Ruleset, int RulesetVersion,
    string RulesetSha256, string Protocol, string ProtocolSha256, IReadOnlyList<QcFindingResponse> Findings)
{
    public static QcResultResponse From(QcResult r) => new(r.Id, r.StudyId, r.Outcome, r.RanAt, r.Trigger, r.RulesetName, r.RulesetNumber, r.RulesetSha256,
        r.ProtocolName, r.ProtocolSha256, r.Findings.Select(f => new QcFindingResponse(f.RuleId, f.Severity, f.Message, f.SeriesInstanceUid)).ToList());
}

public sealed record QcRulesetVersionResponse(int Number, string Name, string Sha256, string PublishedBy, DateTime PublishedAt, string Reason, string? Content)
{
    public static QcRulesetVersionResponse From(QcRulesetVersion v, bool withContent) =>
        new(v.Number, v.RulesetName, v.ContentSha256, v.PublishedBy, v.PublishedAt, v.Reason, withContent ? v.Content : null);
}
