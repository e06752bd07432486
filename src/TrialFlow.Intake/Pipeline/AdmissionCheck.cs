using TrialFlow.Dicom;
using TrialFlow.Dicom.IO;
using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Dicom.Network;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// What intake checks before it acknowledges an object: that it parses as DICOM and says what it is (SOP Class and
/// Instance, study and series). An object that fails here is refused with a PS3.4 Annex B status the sender can act on
/// ("send it again", "your modality writes broken files"), rather than acknowledged and held as unreadable, which would
/// tell the site it was delivered. Parsing only: matching and de-identification happen after the acknowledgement.
/// </summary>
public static class AdmissionCheck
{
    private static readonly (DicomTag Tag, string Name)[] RequiredUids =
    [
        (DicomTags.SOPClassUID, "SOP Class UID"),
        (DicomTags.SOPInstanceUID, "SOP Instance UID"),
        (DicomTags.StudyInstanceUID, "Study Instance UID"),
        (DicomTags.SeriesInstanceUID, "Series Instance UID"),
    ];

    // Messages put what is wrong first: a C-STORE Error Comment keeps only 64 characters.

    /// <summary>Returns why the Part 10 object in <paramref name="content"/> must be refused, or null; leaves the stream where it was.</summary>
    public static IntakeRejectedException? Inspect(Stream content, CancellationToken cancellationToken)
    {
        if (!content.CanSeek)
            return null; // streamed objects are checked by the pipeline, which holds what it cannot read
        var start = content.Position;
        DicomFile file;
        try
        {
            file = DicomFileReader.Read(content, DicomReadOptions.Default, cancellationToken);
        }
        catch (DicomException e)
        {
            return new IntakeRejectedException(DicomStatus.CannotUnderstand, $"not a readable DICOM object: {e.Message}");
        }
        finally
        {
            content.Position = start;
        }

        var dataset = file.Dataset;
        foreach (var (tag, name) in RequiredUids)
            if (string.IsNullOrWhiteSpace(Uid(dataset, tag)))
                return new IntakeRejectedException(DicomStatus.CannotUnderstand, $"the object has no {name} {tag}");

        var sentAs = Uid(file.FileMetaInformation, DicomTags.MediaStorageSOPClassUID);
        var sopClass = Uid(dataset, DicomTags.SOPClassUID)!;
        if (sentAs is not null && sentAs != sopClass)
            return new IntakeRejectedException(DicomStatus.DataSetDoesNotMatchSopClass,
                $"data set does not match SOP Class {sentAs} it was sent as: it is {sopClass}", sopClass, Uid(dataset, DicomTags.SOPInstanceUID));
        var sentInstance = Uid(file.FileMetaInformation, DicomTags.MediaStorageSOPInstanceUID);
        var sopInstance = Uid(dataset, DicomTags.SOPInstanceUID)!;
        if (sentInstance is not null && sentInstance != sopInstance)
            return new IntakeRejectedException(DicomStatus.CannotUnderstand,
                $"data set is not SOP Instance {sentInstance} it was sent as: it is {sopInstance}", sopClass, sopInstance);
        return null;
    }

    private static string? Uid(DicomDataset? dataset, DicomTag tag) => dataset?.GetString(tag)?.Trim('\0', ' ') is { Length: > 0 } uid ? uid : null;
}
