using System.Text.Json;
using TrialFlow.Review.Forms;

namespace TrialFlow.Edc.Sdtm;

/// <summary>One current (signed, not superseded) read of a timepoint, as the read tables hold it.</summary>
/// <param name="Slot">The read task's slot: 1 is RADIOLOGIST 1, 2 is RADIOLOGIST 2.</param>
/// <param name="Content">The form's canonical JSON.</param>
/// <param name="Computed">The computed fields as JSON (targetResponse, nonTargetResponse, newLesion...).</param>
/// <param name="IsAccepted">Central review marked it the timepoint's accepted assessment (agreeing reads: reader 1's).</param>
public sealed record ReviewedRead(Guid ReadId, int Slot, string Content, string Computed, string? OverallResponse, string? BestOverallResponse, decimal? SumOfDiametersMm, bool IsAccepted);

/// <summary>One timepoint (imaging study) of a subject: its visit in the registry, its scan date, its current reads.</summary>
/// <param name="ScanDate">When the images were acquired, in the EDC's calendar; null when not known.</param>
/// <param name="AdjudicatedReadId">The read a decided adjudication accepted, when there is one.</param>
public sealed record ReviewedTimepoint(string VisitKey, string VisitName, int VisitNumber, DateOnly? ScanDate, string Method, IReadOnlyList<ReviewedRead> Reads, Guid? AdjudicatedReadId);

/// <summary>
/// Turns a subject's reviewed timepoints into what the SDTM writer consumes (pure). Each timepoint has at most one
/// accepted assessment: when an adjudication decided it, the ADJUDICATOR assessment (the accepted read's lesions and
/// responses) is accepted and neither radiologist's is; otherwise the read central review marked accepted.
/// </summary>
public static class SdtmSubjectAssembler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static SdtmSubjectResults Assemble(string subjectKey, IEnumerable<ReviewedTimepoint> timepoints)
    {
        var assessments = new List<SdtmAssessment>();
        // Per assessor, the best overall response of its latest assessment that has one (the read's "best so far").
        var best = new Dictionary<Assessor, (int VisitNumber, string Response)>();
        (int VisitNumber, Assessor Assessor)? lastAccepted = null;

        foreach (var tp in timepoints.OrderBy(t => t.VisitNumber))
        {
            var adjudicated = tp.AdjudicatedReadId is { } id ? tp.Reads.FirstOrDefault(r => r.ReadId == id) : null;
            var assessed = tp.Reads.Where(r => r.Slot is 1 or 2).OrderBy(r => r.Slot)
                .Select(r => (Assessor: r.Slot == 1 ? Assessor.Radiologist1 : Assessor.Radiologist2, Read: r, Accepted: adjudicated is null && r.IsAccepted))
                .ToList();
            if (adjudicated is not null)
                assessed.Add((Assessor.Adjudicator, adjudicated, true));
            foreach (var (assessor, read, accepted) in assessed)
            {
                assessments.Add(Assessment(tp, assessor, accepted, read));
                if (RecistTerms.Response(read.BestOverallResponse) is { } bestResponse)
                    best[assessor] = (tp.VisitNumber, bestResponse);
                if (accepted)
                    lastAccepted = (tp.VisitNumber, assessor);
            }
        }

        // The accepted best response is that of the assessment accepted at the latest accepted timepoint.
        var bestResponses = best.OrderBy(b => b.Key)
            .Select(b => new SdtmBestResponse(b.Key, lastAccepted is { } a && a.Assessor == b.Key && a.VisitNumber == b.Value.VisitNumber, b.Value.Response))
            .ToList();
        return new SdtmSubjectResults(subjectKey, assessments, bestResponses);
    }

    private static SdtmAssessment Assessment(ReviewedTimepoint tp, Assessor assessor, bool accepted, ReviewedRead read)
    {
        var computed = JsonSerializer.Deserialize<Dictionary<string, string?>>(read.Computed, Json) ?? [];
        var response = new SdtmTimepointResponse(
            read.SumOfDiametersMm,
            RecistTerms.Response(computed.GetValueOrDefault("targetResponse")),
            RecistTerms.Response(computed.GetValueOrDefault("nonTargetResponse")),
            computed.GetValueOrDefault("newLesion") is { } n ? bool.Parse(n) : null,
            RecistTerms.Response(read.OverallResponse));
        return new SdtmAssessment(tp.VisitKey, tp.VisitName, tp.VisitNumber, tp.ScanDate, assessor, accepted,
            RecistTerms.Lesions(FormData.FromJson(read.Content), tp.Method), response);
    }
}
