using TrialFlow.Dicom;
using TrialFlow.Dicom.Network;
using TrialFlow.Retrieval.Cohorts;

namespace TrialFlow.Retrieval.Planning;

/// <summary>A PACS queried with Study Root C-FIND at the study level.</summary>
public sealed class DimseStudySource(DicomClient pacs) : IStudySource
{
    public async Task<IReadOnlyList<PlannedStudy>> FindStudiesAsync(CohortEntry entry, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<DicomTag, string?>
        {
            [entry.Match switch
            {
                CohortMatch.PatientId => DicomTags.PatientID,
                CohortMatch.AccessionNumber => DicomTags.AccessionNumber,
                _ => DicomTags.StudyInstanceUID,
            }] = entry.Value,
        };
        if (StudyAnswers.DateRange(entry) is { } range)
            keys[DicomTags.StudyDate] = range;
        if (entry.Modality is { } modality)
            keys[DicomTags.ModalitiesInStudy] = modality;
        var matches = await pacs.FindAsync(DicomQueryRetrieve.StudyRootFind, DicomQueryRetrieve.Identifier(DicomQueryLevel.Study, keys), cancellationToken).ConfigureAwait(false);
        return matches.Select(StudyAnswers.Read).ToList();
    }
}
