using TrialFlow.Deid.Engine;
using TrialFlow.Deid.Profiles;
using TrialFlow.Dicom;

namespace TrialFlow.Deid.Pseudonyms;

/// <summary>
/// Wires the pure engine to the pseudonym store for hosts (CLI, intake): collects the instance's UIDs, resolves their
/// pseudonyms and the subject's date offset from the store, then runs <see cref="DeidEngine.Deidentify"/>.
/// </summary>
public sealed class StoreBackedDeidentifier(DeidProfile profile, PseudonymStore store, TrialAttributes trial)
{
    public DeidProfile Profile => profile;

    /// <summary>
    /// Assigns the pseudonyms of many instances in one transaction (a folder, a study): pass their headers (read
    /// without pixel data); <see cref="DeidentifyAsync"/> then finds every UID already known.
    /// </summary>
    public async Task PrepareAsync(IEnumerable<DicomDataset> headers, CancellationToken cancellationToken = default)
    {
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var header in headers) uids.UnionWith(DeidEngine.CollectUids(header, profile));
        await store.GetOrCreateUidsAsync(uids, cancellationToken);
    }

    public async Task<DeidResult> DeidentifyAsync(DicomDataset dataset, string subjectId, CancellationToken cancellationToken = default)
    {
        var uids = DeidEngine.CollectUids(dataset, profile);
        var map = await store.GetOrCreateUidsAsync(uids, cancellationToken);
        var offset = profile.Has(DeidOption.RetainLongitudinalModifiedDates)
            ? await store.GetOrCreateDateOffsetAsync(subjectId, cancellationToken)
            : 0;
        return DeidEngine.Deidentify(dataset, profile, new PseudonymContext
        {
            SubjectId = subjectId,
            Trial = trial,
            DateOffsetDays = offset,
            Uids = new DictionaryUidMap(map),
            HashKey = store.HashOverrideKey,
        });
    }
}
