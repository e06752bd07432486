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
