using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Persistence;

/// <summary>
/// Which records the data layer filters by the actor's trials: the trial itself and every <see cref="ITrialOwned"/>
/// entity of every module that is not filtered by site already (a site lies within one trial, so the site filter is the
/// narrower of the two). A test checks the model against this rule.
/// </summary>
public static class TrialFilter
{
    public static bool Applies(Type entityType) =>
        (entityType == typeof(Trial) || typeof(ITrialOwned).IsAssignableFrom(entityType)) && !SiteFilter.Applies(entityType);

    /// <summary>The mapped column that holds the trial: a trial is its own trial.</summary>
    public static string ColumnOf(Type entityType) => entityType == typeof(Trial) ? nameof(Trial.Id) : nameof(ITrialOwned.TrialId);
}
