using System.Net.Http.Json;
using TrialFlow.Cli.Upload;

namespace TrialFlow.Cli.Pull;

/// <summary>The pull endpoints of the API, over a signed-in connection; the CLI keeps its own copies of the shapes it reads.</summary>
internal sealed class PullApiClient(HttpClient http)
{
    public async Task<PullSummaryDto> PlanAsync(Guid siteId, string cohortPath, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(cohortPath, cancellationToken)), "cohort", Path.GetFileName(cohortPath));
        foreach (var (name, value) in fields)
            form.Add(new StringContent(value), name);
        using var response = await http.PostAsync($"/api/sites/{siteId}/pulls", form, cancellationToken);
        await TrialFlowApiClient.EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<PullSummaryDto>(TrialFlowApiClient.Json, cancellationToken))!;
    }

    public async Task<PullSummaryDto> CommandAsync(Guid jobId, string command, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"/api/pulls/{jobId}/{command}", null, cancellationToken);
        await TrialFlowApiClient.EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<PullSummaryDto>(TrialFlowApiClient.Json, cancellationToken))!;
    }

    public async Task<PullSummaryDto> GetAsync(Guid jobId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/pulls/{jobId}", cancellationToken);
        await TrialFlowApiClient.EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<PullSummaryDto>(TrialFlowApiClient.Json, cancellationToken))!;
    }

    internal sealed record PullSummaryDto(
        Guid Id, string SiteNumber, string Method, string State, string Pacs, int Studies, int StudiesRetrieved, int StudiesFailed, int RowsNotPlanned,
        int ExpectedInstances, int Received, int Archived, int Duplicates, int Held, int Processing, bool Settled, bool Succeeded,
        List<SubjectDto> Subjects, List<HoldDto> Holds, List<ItemDto> Items);

    internal sealed record SubjectDto(string SubjectKey, int Studies, int Retrieved, int Failed, int NotPlanned, int ExpectedInstances, int Received, int Archived, int Held);

    internal sealed record HoldDto(string Reason, int Objects);

    internal sealed record ItemDto(int Line, string SubjectKey, DateOnly? StudyDate, string Modalities, int? ExpectedInstances, string State, int Attempts,
        int Received, int Archived, int Held, string? Problem, string? LastError);
}
