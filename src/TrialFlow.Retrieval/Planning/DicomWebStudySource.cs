using TrialFlow.Dicom.Web;
using TrialFlow.Retrieval.Cohorts;

namespace TrialFlow.Retrieval.Planning;

/// <summary>A PACS queried with QIDO-RS /studies.</summary>
public sealed class DicomWebStudySource(DicomWebClient pacs) : IStudySource
{
    public async Task<IReadOnlyList<PlannedStudy>> FindStudiesAsync(CohortEntry entry, CancellationToken cancellationToken)
    {
        var query = new Dictionary<string, string>
        {
            [entry.Match switch
            {
                CohortMatch.PatientId => "PatientID",
                CohortMatch.AccessionNumber => "AccessionNumber",
                _ => "StudyInstanceUID",
            }] = entry.Value,
            // Not every server returns the counts unasked (PS3.18 10.6.3.3.1: they are optional study attributes).
            ["includefield"] = "NumberOfStudyRelatedSeries,NumberOfStudyRelatedInstances,ModalitiesInStudy,StudyDescription",
        };
        if (StudyAnswers.DateRange(entry) is { } range)
            query["StudyDate"] = range;
        if (entry.Modality is { } modality)
            query["ModalitiesInStudy"] = modality;
        var matches = await pacs.SearchStudiesAsync(query, cancellationToken).ConfigureAwait(false);
        return matches.Select(StudyAnswers.Read).ToList();
    }
}
