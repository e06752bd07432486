using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Activation.Domain;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Qc.Protocols;
using TrialFlow.Qc.Service;
using TrialFlow.Review.Adjudication;
using TrialFlow.Review.Service;
using TrialFlow.Workflows.Definitions;
using TrialFlow.Workflows.Publishing;

namespace TrialFlow.Web.Trials;

/// <summary>
/// A new trial as a study manager asks for it: a template, the trial's own protocol id, sponsor and title, and any of the
/// template's choices changed. Every value left out is the template's.
/// </summary>
public sealed record CreateTrialRequest(
    string Template,
    string ProtocolId,
    string Sponsor,
    string Title,
    IReadOnlyList<VisitPlan>? VisitSchedule = null,
    string? ProtocolRequirements = null,
    string? DeidProfile = null,
    string? QcRuleset = null,
    ReviewPlan? Review = null,
    string? ActivationChecklist = null,
    IReadOnlyList<string>? Workflows = null);

/// <summary>What was created: the trial and every choice it was set up with.</summary>
public sealed record CreatedTrial(
    Guid Id, string ProtocolId, string Sponsor, string Title, string Template, IReadOnlyList<VisitPlan> VisitSchedule,
    string? ProtocolRequirements, string DeidProfile, string QcRuleset, ReviewPlan? Review, string ActivationChecklist, IReadOnlyList<string> Workflows);

/// <summary>A request that names something that is not there or breaks a rule; each message names the field and the value.</summary>
public sealed class TrialSetupException(IReadOnlyDictionary<string, string[]> errors)
    : ArgumentException(string.Join(" ", errors.SelectMany(e => e.Value)))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>The protocol id is another trial's already (whether or not the caller may see it).</summary>
public sealed class TrialExistsException(string protocolId) : InvalidOperationException($"A trial with protocol id {protocolId} exists already.");

/// <summary>
/// Creates a trial from a template, validated against what the installation has (protocol requirements, de-identification
/// profiles, the QC ruleset, form templates, activation checklists, workflows) before anything is written. The trial and
/// its schedule are one audited save; its review settings and its own copies of the template's workflows, bound to it
/// and published, follow. The creator becomes a member of the trial.
/// </summary>
public sealed partial class TrialCreation(
    TrialFlowDbContext db,
    IActorAccessor actors,
    TrialDirectory directory,
    TrialTemplateCatalog templates,
    ProtocolCatalog protocols,
    DeidProfileCatalog deidProfiles,
    QcRulesetStore qcRulesets,
    FormTemplateCatalog forms,
    ChecklistCatalog checklists,
    ReviewSettingsService reviewSettings,
    WorkflowDefinitions workflows)
{
    public async Task<CreatedTrial> CreateAsync(CreateTrialRequest request, CancellationToken cancellationToken)
    {
        var template = templates.Find(request.Template?.Trim() ?? "")
            ?? throw Invalid("template", $"There is no trial template '{request.Template}' (there are: {string.Join(", ", templates.All.Select(t => t.Id))}).");
        var plan = Resolve(request, template);
        await ValidateAsync(plan, cancellationToken);
        if (await db.Trials.IgnoreQueryFilters().AnyAsync(t => t.ProtocolId == plan.ProtocolId, cancellationToken))
            throw new TrialExistsException(plan.ProtocolId);

        var actor = actors.Current;
        var trial = new Trial(plan.ProtocolId, plan.Sponsor, plan.Title);
        foreach (var visit in plan.VisitSchedule)
            trial.AddVisit(visit.VisitKey.Trim(), visit.Name.Trim(), visit.NominalDay, visit.WindowBeforeDays, visit.WindowAfterDays);
        trial.SetUp(template.Id, plan.ProtocolRequirements, plan.DeidProfile, plan.ActivationChecklist);
        db.Trials.Add(trial);
        if (!actor.Scope.IsUnrestricted)
            db.TrialMemberships.Add(new TrialMembership(actor.UserId, trial.Id));
        var reason = $"trial {plan.ProtocolId} created from template {template.Id}";
        await db.SaveChangesAsync(reason, cancellationToken);
        directory.Forget();

        // The creator works on the trial from now on, and for the rest of this request too (the actor is worked out anew).
        var member = actors.Current;
        if (plan.Review is { } review)
            await reviewSettings.ChangeAsync(trial.Id, new ReviewSettingsChange(review.ReadersPerTimepoint, review.AdjudicationVariables, review.TaskDueDays, review.FormTemplate, reason), cancellationToken);
        var bound = new List<string>();
        foreach (var workflowId in plan.Workflows)
            bound.Add(await BindCopyAsync(workflowId, trial, member, reason, cancellationToken));

        return new CreatedTrial(trial.Id, trial.ProtocolId, trial.Sponsor, trial.Title, template.Id, plan.VisitSchedule, plan.ProtocolRequirements,
            plan.DeidProfile ?? "(the installation's default)", qcRulesets.RulesetName, plan.Review, checklists.For(trial).Name, bound);
    }

    /// <summary>The trial's own copy of a workflow: its latest published version under a new id, bound to the trial and published.</summary>
    private async Task<string> BindCopyAsync(string workflowId, Trial trial, Actor actor, string reason, CancellationToken cancellationToken)
    {
        var latest = (await workflows.VersionsAsync(workflowId, cancellationToken)).MaxBy(v => v.Version)!;
        var source = WorkflowJson.Parse(latest.Json, workflowId);
        var copyId = $"{workflowId}-{Slug(trial.ProtocolId)}";
        var copy = source with { DefinitionId = copyId, Name = $"{source.Name} · {trial.ProtocolId}", Version = 1, IsPublished = false };
        await workflows.SaveDraftAsync(copy, trial.Id, actor, cancellationToken);
        await workflows.PublishAsync(copyId, $"{reason} (copy of {workflowId} v{latest.Version})", actor, cancellationToken);
        return copyId;
    }

    private sealed record Plan(
        string ProtocolId, string Sponsor, string Title, IReadOnlyList<VisitPlan> VisitSchedule, string? ProtocolRequirements,
        string? DeidProfile, string? QcRuleset, ReviewPlan? Review, string? ActivationChecklist, IReadOnlyList<string> Workflows);

    private static Plan Resolve(CreateTrialRequest request, TrialTemplate template) => new(
        request.ProtocolId?.Trim() ?? "",
        request.Sponsor?.Trim() ?? "",
        request.Title?.Trim() ?? "",
        request.VisitSchedule ?? template.VisitSchedule,
        Choice(request.ProtocolRequirements, template.ProtocolRequirements),
        Choice(request.DeidProfile, template.DeidProfile),
        Choice(request.QcRuleset, template.QcRuleset),
        request.Review ?? template.Review,
        Choice(request.ActivationChecklist, template.ActivationChecklist),
        (request.Workflows ?? template.Workflows).Select(w => w.Trim()).Distinct(StringComparer.Ordinal).ToList());

    private static string? Choice(string? requested, string? templated) => string.IsNullOrWhiteSpace(requested) ? templated : requested.Trim();

    private async Task ValidateAsync(Plan plan, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message) => (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

        if (!ProtocolIdPattern().IsMatch(plan.ProtocolId))
            Add("protocolId", $"Protocol id '{plan.ProtocolId}' must be 1–64 letters, digits, '.', '_' or '-' (it is written into every image as (0012,0020)).");
        if (plan.Sponsor.Length is 0 or > 128)
            Add("sponsor", "A sponsor of 1–128 characters is required.");
        if (plan.Title.Length is 0 or > 512)
            Add("title", "A title of 1–512 characters is required.");

        if (plan.VisitSchedule.Count == 0)
            Add("visitSchedule", "The visit schedule needs at least one visit.");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var previousDay = int.MinValue;
        foreach (var (visit, i) in plan.VisitSchedule.Select((v, i) => (v, i + 1)))
        {
            var where = $"Visit {i} ('{visit.VisitKey}')";
            if (string.IsNullOrWhiteSpace(visit.VisitKey) || !VisitKeyPattern().IsMatch(visit.VisitKey.Trim()))
                Add("visitSchedule", $"{where}: the visit key must be 1–32 letters, digits, '.', '_' or '-', as the EDC names the visit.");
            else if (!keys.Add(visit.VisitKey.Trim()))
                Add("visitSchedule", $"{where}: the visit key appears twice.");
            if (string.IsNullOrWhiteSpace(visit.Name))
                Add("visitSchedule", $"{where}: a name is required.");
            if (visit.WindowBeforeDays < 0 || visit.WindowAfterDays < 0)
                Add("visitSchedule", $"{where}: window days cannot be negative.");
            if (visit.NominalDay <= previousDay)
                Add("visitSchedule", $"{where}: day {visit.NominalDay} does not come after the visit before it (day {previousDay}); list visits in the order they happen.");
            previousDay = visit.NominalDay;
        }

        if (plan.ProtocolRequirements is { } requirements && protocols.Named(requirements) is null)
            Add("protocolRequirements", $"There are no protocol requirements '{requirements}' in templates/protocols (there are: {string.Join(", ", protocols.All.Select(p => p.Name))}).");
        if (plan.DeidProfile is { } profile && !deidProfiles.Has(profile))
            Add("deidProfile", $"There is no de-identification profile '{profile}' in rulesets/deid (there are: {string.Join(", ", deidProfiles.Names)}).");
        if (plan.QcRuleset is { } ruleset && ruleset != qcRulesets.RulesetName)
            Add("qcRuleset", $"QC ruleset '{ruleset}' is not this installation's; every trial is checked by '{qcRulesets.RulesetName}' (rulesets/qc), whose rules read each trial's own protocol requirements.");
        if (plan.ActivationChecklist is { } checklist && !checklists.Has(checklist))
            Add("activationChecklist", $"There is no activation checklist '{checklist}' in templates/activation (there are: {string.Join(", ", checklists.Names)}).");
        if (plan.Review is { } review)
        {
            if (forms.All.All(f => f.TemplateId != review.FormTemplate))
                Add("review.formTemplate", $"There is no form template '{review.FormTemplate}' in templates/forms (there are: {string.Join(", ", forms.All.Select(f => f.TemplateId))}).");
            if (review.ReadersPerTimepoint is < 1 or > 5)
                Add("review.readersPerTimepoint", $"{review.ReadersPerTimepoint} readers per timepoint: a timepoint is read by 1 to 5 independent readers.");
            if (review.TaskDueDays < 1)
                Add("review.taskDueDays", "A read task is due at least one day after assignment.");
            foreach (var variable in review.AdjudicationVariables ?? [])
                if (!Enum.TryParse<AdjudicationVariable>(variable, ignoreCase: true, out _) || int.TryParse(variable, out _))
                    Add("review.adjudicationVariables", $"'{variable}' is not an adjudication variable (there are: {string.Join(", ", Enum.GetNames<AdjudicationVariable>())}).");
        }

        foreach (var workflowId in plan.Workflows)
            if ((await workflows.VersionsAsync(workflowId, cancellationToken)).Count == 0)
                Add("workflows", $"There is no published workflow '{workflowId}' to bind.");

        if (errors.Count > 0)
            throw new TrialSetupException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    private static TrialSetupException Invalid(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    private static string Slug(string protocolId) => NonSlug().Replace(protocolId.ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ProtocolIdPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex VisitKeyPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}
