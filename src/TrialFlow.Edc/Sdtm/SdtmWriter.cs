using System.Globalization;
using TrialFlow.Core.Text;

namespace TrialFlow.Edc.Sdtm;

/// <summary>How many rows each domain received.</summary>
public sealed record SdtmCounts(int Subjects, int TuRows, int TrRows, int RsRows);

/// <summary>
/// Writes SDTM TU, TR and RS as CSV (SAS-friendly: upper-case variable names of at most 8 characters, ISO 8601 dates,
/// RFC 4180 quoting) while reading the source: one subject in memory at a time, --SEQ restarting per USUBJID.
/// Any writer may be null to write only the other domains.
/// </summary>
public static class SdtmWriter
{
    public const string Evaluator = "INDEPENDENT ASSESSOR";
    public const string Category = "RECIST 1.1";

    public static readonly string[] TuColumns =
        ["STUDYID", "DOMAIN", "USUBJID", "TUSEQ", "TULNKID", "TUTESTCD", "TUTEST", "TUORRES", "TUSTRESC", "TULOC", "TUMETHOD", "TUEVAL", "TUEVALID", "TUACPTFL", "VISITNUM", "VISIT", "TUDTC"];

    public static readonly string[] TrColumns =
        ["STUDYID", "DOMAIN", "USUBJID", "TRSEQ", "TRGRPID", "TRLNKID", "TRTESTCD", "TRTEST", "TRORRES", "TRORRESU", "TRSTRESC", "TRSTRESN", "TRSTRESU", "TRSTAT", "TRMETHOD", "TREVAL", "TREVALID", "TRACPTFL", "VISITNUM", "VISIT", "TRDTC"];

    public static readonly string[] RsColumns =
        ["STUDYID", "DOMAIN", "USUBJID", "RSSEQ", "RSTESTCD", "RSTEST", "RSCAT", "RSORRES", "RSSTRESC", "RSEVAL", "RSEVALID", "RSACPTFL", "VISITNUM", "VISIT", "RSDTC"];

    public static async Task<SdtmCounts> WriteAsync(string studyId, IAsyncEnumerable<SdtmSubjectResults> source, TextWriter? tu, TextWriter? tr, TextWriter? rs, CancellationToken cancellationToken)
    {
        if (tu is not null)
            Csv.WriteRow(tu, TuColumns);
        if (tr is not null)
            Csv.WriteRow(tr, TrColumns);
        if (rs is not null)
            Csv.WriteRow(rs, RsColumns);
        int subjects = 0, tuRows = 0, trRows = 0, rsRows = 0;
        var row = new string?[TrColumns.Length];
        await foreach (var subject in source.WithCancellation(cancellationToken))
        {
            subjects++;
            var usubjid = Usubjid(studyId, subject.SubjectKey);
            var assessments = subject.Assessments.OrderBy(a => a.VisitNumber).ThenBy(a => a.Assessor).ToList();
            if (tu is not null)
                tuRows += WriteTu(tu, studyId, usubjid, assessments, row);
            if (tr is not null)
                trRows += WriteTr(tr, studyId, usubjid, assessments, row);
            if (rs is not null)
                rsRows += WriteRs(rs, studyId, usubjid, assessments, subject.BestResponses, row);
            // Hand each subject's rows to the stream underneath: what is buffered stays one subject's worth.
            if (subjects % 64 == 0)
                await Task.WhenAll(FlushAsync(tu), FlushAsync(tr), FlushAsync(rs));
        }
        await Task.WhenAll(FlushAsync(tu), FlushAsync(tr), FlushAsync(rs));
        return new SdtmCounts(subjects, tuRows, trRows, rsRows);
    }

    /// <summary>USUBJID: the study identifier and the registry's subject key, unique across the submission.</summary>
    public static string Usubjid(string studyId, string subjectKey) => $"{studyId}-{subjectKey}";

    public static string EvaluatorId(Assessor assessor) => assessor switch
    {
        Assessor.Radiologist1 => "RADIOLOGIST 1",
        Assessor.Radiologist2 => "RADIOLOGIST 2",
        _ => "ADJUDICATOR",
    };

    private static int WriteTu(TextWriter tu, string studyId, string usubjid, List<SdtmAssessment> assessments, string?[] row)
    {
        // One record per lesion per assessor, at the timepoint where that assessor first identified it.
        var identified = new HashSet<(Assessor, string)>();
        var seq = 0;
        foreach (var a in assessments)
            foreach (var lesion in a.Lesions)
            {
                if (!identified.Add((a.Assessor, lesion.LesionId)))
                    continue;
                var role = RoleCode(lesion.Role);
                Fill(row, studyId, "TU", usubjid, Int(++seq), lesion.LesionId, "TUMIDENT", "Tumor Identification", role, role, lesion.Location, lesion.Method,
                    Evaluator, EvaluatorId(a.Assessor), Flag(a.Accepted), Int(a.VisitNumber), a.VisitName, Date(a.ScanDate));
                Csv.WriteRow(tu, row.AsSpan(0, TuColumns.Length));
            }
        return seq;
    }

    private static int WriteTr(TextWriter tr, string studyId, string usubjid, List<SdtmAssessment> assessments, string?[] row)
    {
        var seq = 0;
        foreach (var a in assessments)
        {
            foreach (var lesion in a.Lesions)
            {
                if (lesion.Role == LesionRole.Target)
                {
                    var mm = lesion.DiameterMm is { } d ? Number(d) : null;
                    Fill(row, studyId, "TR", usubjid, Int(++seq), "TARGET", lesion.LesionId, "DIAMETER", "Diameter", mm, mm is null ? null : "mm", mm, mm, mm is null ? null : "mm",
                        mm is null ? "NOT DONE" : null, lesion.Method, Evaluator, EvaluatorId(a.Assessor), Flag(a.Accepted), Int(a.VisitNumber), a.VisitName, Date(a.ScanDate));
                }
                else
                {
                    var group = lesion.Role == LesionRole.New ? "NEW" : "NON-TARGET";
                    var state = lesion.State ?? (lesion.Role == LesionRole.New ? "PRESENT" : null);
                    Fill(row, studyId, "TR", usubjid, Int(++seq), group, lesion.LesionId, "TUMSTATE", "Tumor State", state, null, state, null, null,
                        state is null ? "NOT DONE" : null, lesion.Method, Evaluator, EvaluatorId(a.Assessor), Flag(a.Accepted), Int(a.VisitNumber), a.VisitName, Date(a.ScanDate));
                }
                Csv.WriteRow(tr, row);
            }
            if (a.Response.SumOfDiametersMm is { } sum)
            {
                var mm = Number(sum);
                Fill(row, studyId, "TR", usubjid, Int(++seq), "TARGET", null, "SUMDIAM", "Sum of Diameter", mm, "mm", mm, mm, "mm", null,
                    null, Evaluator, EvaluatorId(a.Assessor), Flag(a.Accepted), Int(a.VisitNumber), a.VisitName, Date(a.ScanDate));
                Csv.WriteRow(tr, row);
            }
        }
        return seq;
    }

    private static int WriteRs(TextWriter rs, string studyId, string usubjid, List<SdtmAssessment> assessments, IReadOnlyList<SdtmBestResponse> best, string?[] row)
    {
        var seq = 0;
        void Response(string testCode, string test, string? result, Assessor assessor, bool accepted, SdtmAssessment? at)
        {
            if (result is null)
                return;
            Fill(row, studyId, "RS", usubjid, Int(++seq), testCode, test, Category, result, result, Evaluator, EvaluatorId(assessor), Flag(accepted),
                at is null ? null : Int(at.VisitNumber), at?.VisitName, at is null ? null : Date(at.ScanDate));
            Csv.WriteRow(rs, row.AsSpan(0, RsColumns.Length));
        }
        foreach (var a in assessments)
        {
            Response("TRGRESP", "Target Response", a.Response.TargetResponse, a.Assessor, a.Accepted, a);
            Response("NTRGRESP", "Non-target Response", a.Response.NonTargetResponse, a.Assessor, a.Accepted, a);
            Response("NEWLPROG", "New Lesion Progression", a.Response.NewLesionProgression is { } n ? (n ? "Y" : "N") : null, a.Assessor, a.Accepted, a);
            Response("OVRLRESP", "Overall Response", a.Response.OverallResponse, a.Assessor, a.Accepted, a);
        }
        foreach (var b in best.OrderBy(b => b.Assessor))
            Response("BESTRESP", "Best Overall Response", b.BestResponse, b.Assessor, b.Accepted, null);
        return seq;
    }

    private static void Fill(string?[] row, params ReadOnlySpan<string?> values)
    {
        Array.Clear(row);
        values.CopyTo(row);
    }

    private static string? Flag(bool accepted) => accepted ? "Y" : null;

    private static string RoleCode(LesionRole role) => role switch
    {
        LesionRole.Target => "TARGET",
        LesionRole.NonTarget => "NON-TARGET",
        _ => "NEW",
    };

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Task FlushAsync(TextWriter? writer) => writer?.FlushAsync() ?? Task.CompletedTask;
}
