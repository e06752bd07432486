using System.Text.Json;
using System.Text.Json.Serialization;
using TrialFlow.Intake.Domain;

namespace TrialFlow.Intake.Staging;

/// <summary>
/// What a channel knows about an object when it acknowledges it: stored encrypted beside the bytes, so the
/// pipeline can finish the work after a restart exactly as if it had never stopped.
/// </summary>
/// <param name="Purpose">Subject data, or a scanner qualification scan (archived apart, never matched to a subject).</param>
/// <param name="ScannerDeviationAccepted">A data manager released it from a ScannerNotQualified hold: archive it despite its scanner.</param>
/// <param name="ExpectedStudyInstanceUid">
/// A pulled object: the study TrialFlow asked the PACS for. An object of any other study is not matched to the declared
/// subject (a PACS that sends more than it was asked for must not put another patient's images on this subject).
/// </param>
public sealed record StagedObject(
    IntakeChannel Channel,
    Guid TrialId,
    Guid SiteId,
    DateTime ReceivedAt,
    string? Sender,
    Guid? UploadSessionId,
    Guid? DeclaredSubjectId,
    Guid? DeclaredVisitId,
    long SizeBytes,
    string? ClientReference = null,
    IntakePurpose Purpose = IntakePurpose.Subject,
    bool ScannerDeviationAccepted = false,
    string? ExpectedStudyInstanceUid = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static StagedObject FromBytes(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize<StagedObject>(bytes, Json) ?? throw new InvalidDataException("empty staging header");
}
