using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Review.Adjudication;

namespace TrialFlow.Review.Service;

/// <summary>A trial's review settings as the study manager edits them, with what the charter may choose from.</summary>
public sealed record ReviewSettingsView(
    Guid TrialId,
    int ReadersPerTimepoint,
    IReadOnlyList<string> AdjudicationVariables,
    int TaskDueDays,
    string FormTemplateId,
    IReadOnlyList<string> KnownVariables,
    IReadOnlyList<string> KnownTemplates);

/// <summary>A change of the review settings; every value is checked before anything is saved.</summary>
public sealed record ReviewSettingsChange(int ReadersPerTimepoint, IReadOnlyList<string>? AdjudicationVariables, int TaskDueDays, string? FormTemplateId, string? Reason);

/// <summary>
/// The charter's review settings per trial: readers per timepoint, the variables whose disagreement goes to
/// adjudication, the form, the days a reader has. A change needs a reason, which the audit trail keeps with the old
/// and new values; it applies to assignments and comparisons made from then on, not to tasks already assigned.
/// </summary>
public sealed class ReviewSettingsService(TrialFlowDbContext db, FormTemplateCatalog templates)
{
    public async Task<ReviewSettingsView> GetAsync(Guid trialId, CancellationToken cancellationToken)
    {
        await EnsureTrialAsync(trialId, cancellationToken);
        var settings = await ReviewCoordinator.SettingsAsync(db, trialId, cancellationToken);
        return View(settings);
    }

    public async Task<ReviewSettingsView> ChangeAsync(Guid trialId, ReviewSettingsChange change, CancellationToken cancellationToken)
    {
        await EnsureTrialAsync(trialId, cancellationToken);
        if (string.IsNullOrWhiteSpace(change.Reason))
            throw new ArgumentException("Changing the review settings needs a reason (the charter amendment or decision behind it).", nameof(change));
        var variables = Variables(change.AdjudicationVariables ?? []);
        if (change.ReadersPerTimepoint >= 2 && variables.Count == 0)
            throw new ArgumentException($"With {change.ReadersPerTimepoint} readers per timepoint, choose at least one adjudication variable: otherwise no disagreement would ever be adjudicated.", nameof(change));
        var settings = await ReviewCoordinator.SettingsAsync(db, trialId, cancellationToken);
        var template = string.IsNullOrWhiteSpace(change.FormTemplateId) ? settings.FormTemplateId : change.FormTemplateId.Trim();
        if (templates.All.All(t => t.TemplateId != template))
            throw new ArgumentException($"Form template '{template}' is not in templates/forms (known: {string.Join(", ", templates.All.Select(t => t.TemplateId))}).", nameof(change));
        settings.Change(change.ReadersPerTimepoint, template, string.Join(",", variables), change.TaskDueDays);
        await db.SaveChangesAsync(change.Reason.Trim(), cancellationToken);
        return View(settings);
    }

    /// <summary>The chosen variables by their canonical names, each once; an unknown name is refused by name.</summary>
    private static List<string> Variables(IEnumerable<string> chosen)
    {
        var parsed = new List<string>();
        foreach (var name in chosen.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()))
        {
            if (!Enum.TryParse<AdjudicationVariable>(name, ignoreCase: true, out var variable) || int.TryParse(name, out _))
                throw new ArgumentException($"'{name}' is not an adjudication variable (known: {string.Join(", ", Enum.GetNames<AdjudicationVariable>())}).", nameof(chosen));
            if (!parsed.Contains(variable.ToString()))
                parsed.Add(variable.ToString());
        }
        return parsed;
    }

    private ReviewSettingsView View(TrialFlow.Review.Domain.ReviewSettings settings) => new(
        settings.TrialId, settings.ReadersPerTimepoint,
        ReviewCoordinator.ParseVariables(settings.AdjudicationVariables).Select(v => v.ToString()).ToList(),
        settings.TaskDueDays, settings.FormTemplateId,
        Enum.GetNames<AdjudicationVariable>(), templates.All.Select(t => t.TemplateId).Order(StringComparer.Ordinal).ToList());

    private async Task EnsureTrialAsync(Guid trialId, CancellationToken cancellationToken)
    {
        if (!await db.Trials.AnyAsync(t => t.Id == trialId, cancellationToken))
            throw new ReviewNotFoundException($"Trial {trialId} does not exist.");
    }
}
