using TrialFlow.Core;
using TrialFlow.Core.Trials;

namespace TrialFlow.Review.Domain;

/// <summary>
/// How a trial's blinded independent central review runs, as its imaging charter sets it: readers per timepoint,
/// the form, the variables whose disagreement goes to adjudication, and how long a reader has for a task.
/// </summary>
public sealed class ReviewSettings : ITrialOwned
{
    public const string DefaultAdjudicationVariables = "OverallResponse";

    private ReviewSettings() { }

    public ReviewSettings(Guid trialId, int readersPerTimepoint = 2, string formTemplateId = "recist-1.1", string adjudicationVariables = DefaultAdjudicationVariables, int taskDueDays = 10)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        Change(readersPerTimepoint, formTemplateId, adjudicationVariables, taskDueDays);
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    /// <summary>Independent readers per timepoint (2 for a two-reader design with adjudication).</summary>
    public int ReadersPerTimepoint { get; private set; }

    public string FormTemplateId { get; private set; } = "";

    /// <summary>Comma-separated: any of OverallResponse, DateOfProgression, BestOverallResponse.</summary>
    public string AdjudicationVariables { get; private set; } = "";

    public int TaskDueDays { get; private set; }

    public void Change(int readersPerTimepoint, string formTemplateId, string adjudicationVariables, int taskDueDays)
    {
        if (readersPerTimepoint is < 1 or > 5)
            throw new ArgumentOutOfRangeException(nameof(readersPerTimepoint), readersPerTimepoint, "A timepoint is read by 1 to 5 independent readers.");
        if (taskDueDays < 1)
            throw new ArgumentOutOfRangeException(nameof(taskDueDays), taskDueDays, "A read task is due at least one day after assignment.");
        ReadersPerTimepoint = readersPerTimepoint;
        FormTemplateId = Guard.Required(formTemplateId, nameof(formTemplateId));
        AdjudicationVariables = adjudicationVariables.Trim();
        TaskDueDays = taskDueDays;
    }
}
