using MudBlazor;
using TrialFlow.Retrieval.Domain;

namespace TrialFlow.Web.Retrieval;

/// <summary>How the pull pages word and colour a job.</summary>
internal static class PullText
{
    public static string Method(PullMethod method) => method switch
    {
        PullMethod.Move => "C-MOVE",
        PullMethod.Get => "C-GET",
        _ => "DICOMweb",
    };

    public static Color Color(PullJobState state) => state switch
    {
        PullJobState.Running => MudBlazor.Color.Info,
        PullJobState.Paused => MudBlazor.Color.Warning,
        PullJobState.Completed => MudBlazor.Color.Success,
        PullJobState.Cancelled => MudBlazor.Color.Dark,
        _ => MudBlazor.Color.Default,
    };

    public static Color Color(PullItemState state) => state switch
    {
        PullItemState.Retrieved => MudBlazor.Color.Success,
        PullItemState.Failed or PullItemState.NotPlanned => MudBlazor.Color.Error,
        PullItemState.Retrieving => MudBlazor.Color.Info,
        _ => MudBlazor.Color.Default,
    };

    public static string State(PullItemState state) => state switch
    {
        PullItemState.NotPlanned => "Not planned",
        _ => state.ToString(),
    };

    public static double Percent(int done, int of) => of <= 0 ? 0 : Math.Min(100, 100.0 * done / of);
}
