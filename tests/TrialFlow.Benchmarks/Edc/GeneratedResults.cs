using System.Runtime.CompilerServices;

namespace TrialFlow.Benchmarks.Edc;

/// <summary>
/// RECIST results of a generated trial, made one subject at a time (nothing kept): each subject has six timepoints
/// read by two radiologists with three target and two non-target lesions each, a new lesion from week 18 for one in
/// four subjects, and an adjudication of the last timepoint for one in three.
/// </summary>
internal static class GeneratedResults
{
    private static readonly (string Key, string Name)[] Visits = [("BASELINE", "Baseline"), ("WK06", "Week 6"), ("WK12", "Week 12"), ("WK18", "Week 18"), ("WK24", "Week 24"), ("EOT", "End of treatment")];
    private static readonly string[] Locations = ["LIVER", "LUNG", "LYMPH NODE", "ADRENAL GLAND", "PERITONEUM"];

    public static async IAsyncEnumerable<SdtmSubjectResults> SubjectsAsync(int subjects, Action<int>? probe = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var s = 0; s < subjects; s++)
        {
            probe?.Invoke(s);
            yield return Subject(s);
            if (s % 256 == 0)
                await Task.Yield();
        }
    }

    public static SdtmSubjectResults Subject(int s)
    {
        var key = $"{101 + s % 7 * 100}-{s:D4}";
        var baseline = new DateOnly(2026, 1, 5).AddDays(s % 90);
        var assessments = new List<SdtmAssessment>(14);
        var adjudicated = s % 3 == 0;
        foreach (var reader in new[] { Assessor.Radiologist1, Assessor.Radiologist2 })
        {
            var accepted = adjudicated ? reader == Assessor.Radiologist2 : reader == Assessor.Radiologist1;
            decimal? baselineSum = null;
            for (var v = 0; v < Visits.Length; v++)
            {
                var lesions = new List<SdtmLesion>(6);
                decimal sum = 0;
                for (var t = 0; t < 3; t++)
                {
                    var mm = 12 + (s * 7 + t * 5 + (int)reader) % 30 - v * (s % 2 == 0 ? 1 : 0);
                    sum += mm;
                    lesions.Add(new SdtmLesion($"T{t + 1:D2}", LesionRole.Target, Locations[t], "CT", mm, null));
                }
                for (var n = 0; n < 2; n++)
                    lesions.Add(new SdtmLesion($"NT{n + 1:D2}", LesionRole.NonTarget, Locations[3 + n], "CT", null, "PRESENT"));
                var newLesion = s % 4 == 0 && v >= 3;
                if (newLesion)
                    lesions.Add(new SdtmLesion("NEW01", LesionRole.New, "BONE", "CT", null, "PRESENT"));
                baselineSum ??= sum;
                var response = v == 0
                    ? new SdtmTimepointResponse(sum, null, null, null, null)
                    : new SdtmTimepointResponse(sum, sum <= baselineSum * 0.7m ? "PR" : "SD", "NON-CR/NON-PD", newLesion, newLesion ? "PD" : sum <= baselineSum * 0.7m ? "PR" : "SD");
                assessments.Add(new SdtmAssessment(Visits[v].Key, Visits[v].Name, v + 1, baseline.AddDays(42 * v), reader, accepted, lesions, response));
            }
        }
        if (adjudicated)
            assessments.Add(new SdtmAssessment("EOT", "End of treatment", 6, baseline.AddDays(210), Assessor.Adjudicator, false, [], new SdtmTimepointResponse(null, null, null, null, "SD")));
        return new SdtmSubjectResults(key, assessments,
            [new(Assessor.Radiologist1, !adjudicated, "SD"), new(Assessor.Radiologist2, adjudicated, s % 4 == 0 ? "PD" : "SD")]);
    }
}
