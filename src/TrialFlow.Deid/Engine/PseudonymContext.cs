namespace TrialFlow.Deid.Engine;

/// <summary>The trial's identifiers written into (0012,xxxx) after the profile (PS3.3 C.7.1.3 Clinical Trial Subject, C.7.2.3 Clinical Trial Study).</summary>
public sealed record TrialAttributes(
    string SponsorName,
    string ProtocolId,
    string SiteId,
    string SiteName,
    string? ProtocolName = null,
    string? TimePointId = null,
    string? TimePointDescription = null);

/// <summary>Gives the pseudonym of a source UID. Implementations must return the same pseudonym for the same source UID, trial-wide.</summary>
public interface IUidMap
{
    string Map(string sourceUid);
}

/// <summary>
/// Everything the engine needs to pseudonymize one instance, resolved beforehand by the host: the trial subject id
/// (never derived from patient data), the subject's date offset, the UID pseudonyms and the key for <c>hash</c> overrides.
/// </summary>
public sealed record PseudonymContext
{
    /// <summary>The trial subject id (Subject.SubjectKey, the EDC's identifier): becomes PatientID and Clinical Trial Subject ID.</summary>
    public required string SubjectId { get; init; }

    public required TrialAttributes Trial { get; init; }

    /// <summary>Days added to every date under Retain Longitudinal Temporal Information with Modified Dates (same for all of a subject's studies).</summary>
    public int DateOffsetDays { get; init; }

    public required IUidMap Uids { get; init; }

    /// <summary>Secret key of the <c>hash</c> override (HMAC-SHA256); at least 16 bytes.</summary>
    public required ReadOnlyMemory<byte> HashKey { get; init; }
}

/// <summary>A UID map given as a dictionary (e.g. filled from the pseudonym store); a UID it lacks is an error, never a guess.</summary>
public sealed class DictionaryUidMap(IReadOnlyDictionary<string, string> map) : IUidMap
{
    public string Map(string sourceUid) => map.TryGetValue(sourceUid, out var uid)
        ? uid
        : throw new DeidInputException("the pseudonym map has no entry for a UID of this instance; collect UIDs with DeidEngine.CollectUids first");
}

/// <summary>Collects the UIDs an instance needs pseudonyms for (used by <see cref="DeidEngine.CollectUids"/>).</summary>
internal sealed class CollectingUidMap : IUidMap
{
    public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

    public string Map(string sourceUid)
    {
        Seen.Add(sourceUid);
        return "2.25.0";
    }
}
