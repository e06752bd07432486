using TrialFlow.Core.Audit;

namespace TrialFlow.Reports.History;

/// <summary>A subject's imaging history as of a cut-off: what the history page and the PDF dossier show.</summary>
/// <param name="Chain">The audit chain verified up to the cut-off.</param>
/// <param name="LastCoveredEvent">The last audit event of the subject's records at or before the cut-off, or null.</param>
public sealed record SubjectHistory(
    Guid TrialId,
    string TrialProtocolId,
    string TrialTitle,
    string Sponsor,
    Guid SiteId,
    string SiteNumber,
    string SiteName,
    Guid SubjectId,
    string SubjectKey,
    DateTime CutOff,
    long CutOffSequence,
    AuditVerification Chain,
    AuditEvent? LastCoveredEvent,
    int CoveredEventCount,
    IReadOnlyList<HistorySection> Sections)
{
    /// <summary>One sentence on the chain, as the cover and the integrity section state it.</summary>
    public string ChainStatement => (Chain.IsIntact
        ? $"Audit chain verified intact at generation: events #1 to #{Chain.LastSequence} (the cut-off), head hash {Chain.LastHash}."
        : $"AUDIT CHAIN BROKEN at event #{Chain.BrokenAt}: {Chain.Problem}. Events #1 to #{Chain.LastSequence} verified; nothing from event #{Chain.BrokenAt} on can be relied on.")
        + " " + CheckpointStatement;

    /// <summary>Which signed checkpoint (kept outside the database) the chain was held against: it shows no tail was cut off.</summary>
    public string CheckpointStatement => Chain.Checkpoint is { } c
        ? $"Held against the signed checkpoint of {HistoryFormat.Time(c.At)} (event #{c.Sequence}, key {c.KeyId})."
        : "No signed checkpoint covered the cut-off yet.";
}
