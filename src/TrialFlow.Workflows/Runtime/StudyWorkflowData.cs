namespace TrialFlow.Workflows.Runtime;

/// <summary>
/// The data of every TrialFlow workflow instance: ids only, as strings, so the JSON round trip through the database
/// returns exactly what went in. Everything else an activity needs it loads from the domain.
/// </summary>
public sealed class StudyWorkflowData
{
    public string StudyId { get; set; } = "";

    public string TrialId { get; set; } = "";
}
