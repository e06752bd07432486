using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialFlow.Web.Trials;

/// <summary>One planned visit as a template or a request gives it.</summary>
public sealed record VisitPlan(string VisitKey, string Name, int NominalDay, int WindowBeforeDays, int WindowAfterDays);

/// <summary>The review design a template proposes: the form (and with it the response criterion) and the reading plan.</summary>
public sealed record ReviewPlan(string FormTemplate, int ReadersPerTimepoint, IReadOnlyList<string> AdjudicationVariables, int TaskDueDays);

/// <summary>
/// A trial design a study manager starts a new trial from (<c>templates/trials/*.json</c>): visit schedule, protocol
/// requirements, default de-identification profile, QC ruleset, review form and plan, activation checklist and the
/// workflows bound to it. Protocol id, sponsor and title are the new trial's own and come with the request.
/// </summary>
public sealed record TrialTemplate(
    string Name,
    string? Description,
    IReadOnlyList<VisitPlan> VisitSchedule,
    string? ProtocolRequirements,
    string? DeidProfile,
    string? QcRuleset,
    ReviewPlan? Review,
    string? ActivationChecklist,
    IReadOnlyList<string> Workflows)
{
    /// <summary>The file name without .json: how requests name the template.</summary>
    [JsonIgnore]
    public string Id { get; init; } = "";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads a template file; a broken one is an error naming the file, the line and what is wrong.</summary>
    public static TrialTemplate Load(string path)
    {
        var id = Path.GetFileNameWithoutExtension(path);
        TrialTemplate? template;
        try
        {
            template = JsonSerializer.Deserialize<TrialTemplate>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: {e.Message}", e);
        }

        if (template is null || string.IsNullOrWhiteSpace(template.Name))
            throw new InvalidDataException($"{path}: a trial template needs a \"name\".");
        if (template.VisitSchedule is not { Count: > 0 })
            throw new InvalidDataException($"{path}: a trial template needs a \"visitSchedule\" with at least one visit.");
        return template with { Id = id, Workflows = template.Workflows ?? [] };
    }
}
