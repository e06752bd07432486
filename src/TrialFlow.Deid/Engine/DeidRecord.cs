using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialFlow.Deid.Engine;

/// <summary>One thing done to one attribute: where (tag path, e.g. "(0040,A730)[0]/(0040,A160)"), its keyword, and the action. Never the value.</summary>
public sealed record DeidActionRecord(string Path, string? Keyword, string Action);

/// <summary>
/// What de-identification did to one instance, for the audit trail and the dossier: profile name and version, options,
/// and the action per attribute. Holds no original value.
/// </summary>
public sealed record DeidRecord(
    string ProfileName,
    string ProfileVersion,
    IReadOnlyList<string> Options,
    string SopInstanceUid,
    IReadOnlyList<DeidActionRecord> Actions,
    IReadOnlyList<string> BurnedInAnnotationRisks)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The record as JSON (camelCase), as stored in the audit trail.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DeidRecord FromJson(string json) => JsonSerializer.Deserialize<DeidRecord>(json, Json)
        ?? throw new JsonException("empty de-identification record");
}

/// <summary>The de-identified dataset, its record, and whether it should be held for burned-in text review.</summary>
public sealed record DeidResult(TrialFlow.Dicom.DicomDataset Dataset, DeidRecord Record)
{
    /// <summary>True when the instance may carry burned-in text that the profile did not blank: intake holds it for review.</summary>
    public bool NeedsBurnedInReview => Record.BurnedInAnnotationRisks.Count > 0;
}
