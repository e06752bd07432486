using System.Security.Cryptography;
using System.Text;
using TrialFlow.Intake.Domain;
using TrialFlow.Dicom;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// What a held object shows a data manager so that hundreds of held files read as a few studies: keyed hashes of its
/// study and series (the same study always gives the same key; nobody can look the UID up from it) and the last four
/// characters of the site's Patient ID.
/// </summary>
public sealed class QuarantineGrouping(byte[] stagingKey)
{
    // A key of its own, derived from the staging key, so the hashes say nothing about anything the staging key protects.
    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, stagingKey, 32, info: "TrialFlow quarantine grouping"u8.ToArray());

    public QuarantineItem Describe(QuarantineItem item, DicomDataset? dataset)
    {
        if (dataset is null)
            return item;
        return item.WithGrouping(Key(dataset.GetString(DicomTags.StudyInstanceUID)), Key(dataset.GetString(DicomTags.SeriesInstanceUID)),
            dataset.TryGet(DicomTags.SeriesNumber, out int number) ? number : null, Hint(dataset.GetString(DicomTags.PatientID)));
    }

    /// <summary>"…4821": enough to recognise a patient in the site's own list, not to identify one.</summary>
    public static string? Hint(string? patientId)
    {
        var id = patientId?.Trim();
        if (string.IsNullOrEmpty(id))
            return null;
        return id.Length <= 4 ? "…" + new string('•', id.Length) : "…" + id[^4..];
    }

    private string? Key(string? uid)
    {
        var value = uid?.Trim('\0', ' ');
        return string.IsNullOrEmpty(value) ? null : Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(value)))[..32];
    }
}
