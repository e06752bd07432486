using System.Security.Cryptography;

namespace TrialFlow.Review.Service;

/// <summary>
/// What readers call a subject. The subject key names the site ("101-0003"), which blinded readers must not learn, so
/// the review shows a code derived from the subject's id: stable across timepoints, meaningless outside the review.
/// </summary>
public static class BlindedLabels
{
    public static string SubjectCode(Guid subjectId) => "S-" + Convert.ToHexString(SHA256.HashData(subjectId.ToByteArray()))[..8];
}
