namespace TrialFlow.Benchmarks.Edc;

/// <summary>
/// The peer: what a first export usually looks like — load every subject's results into a list, build every row of
/// every domain as a string array, then write each table with string.Join. Same rows, same bytes.
/// </summary>
internal static class NaiveSdtmWriter
{
    public static async Task WriteAsync(string studyId, IAsyncEnumerable<SdtmSubjectResults> source, TextWriter tu, TextWriter tr, TextWriter rs, Action? probe)
    {
        var all = new List<SdtmSubjectResults>();
        await foreach (var subject in source)
            all.Add(subject);
        var tuRows = new List<string?[]>();
        var trRows = new List<string?[]>();
        var rsRows = new List<string?[]>();
        foreach (var subject in all)
        {
            var u = SdtmWriter.Usubjid(studyId, subject.SubjectKey);
            var ordered = subject.Assessments.OrderBy(a => a.VisitNumber).ThenBy(a => a.Assessor).ToList();
            var seen = new HashSet<(Assessor, string)>();
            var (tuSeq, trSeq, rsSeq) = (0, 0, 0);
            foreach (var a in ordered)
            {
                var who = SdtmWriter.EvaluatorId(a.Assessor);
                var ok = a.Accepted ? "Y" : null;
                var (vn, vis, dtc) = (I(a.VisitNumber), a.VisitName, D(a.ScanDate));
                foreach (var l in a.Lesions)
                {
                    var role = l.Role switch { LesionRole.Target => "TARGET", LesionRole.NonTarget => "NON-TARGET", _ => "NEW" };
                    if (seen.Add((a.Assessor, l.LesionId)))
                        tuRows.Add([studyId, "TU", u, I(++tuSeq), l.LesionId, "TUMIDENT", "Tumor Identification", role, role, l.Location, l.Method, SdtmWriter.Evaluator, who, ok, vn, vis, dtc]);
                    if (l.Role == LesionRole.Target)
                    {
                        var mm = l.DiameterMm is { } d ? N(d) : null;
                        trRows.Add([studyId, "TR", u, I(++trSeq), "TARGET", l.LesionId, "DIAMETER", "Diameter", mm, mm is null ? null : "mm", mm, mm, mm is null ? null : "mm", mm is null ? "NOT DONE" : null, l.Method, SdtmWriter.Evaluator, who, ok, vn, vis, dtc]);
                    }
                    else
                    {
                        var state = l.State ?? (l.Role == LesionRole.New ? "PRESENT" : null);
                        trRows.Add([studyId, "TR", u, I(++trSeq), l.Role == LesionRole.New ? "NEW" : "NON-TARGET", l.LesionId, "TUMSTATE", "Tumor State", state, null, state, null, null, state is null ? "NOT DONE" : null, l.Method, SdtmWriter.Evaluator, who, ok, vn, vis, dtc]);
                    }
                }
                if (a.Response.SumOfDiametersMm is { } sum)
                    trRows.Add([studyId, "TR", u, I(++trSeq), "TARGET", null, "SUMDIAM", "Sum of Diameter", N(sum), "mm", N(sum), N(sum), "mm", null, null, SdtmWriter.Evaluator, who, ok, vn, vis, dtc]);
                foreach (var (code, test, value) in new[] { ("TRGRESP", "Target Response", a.Response.TargetResponse), ("NTRGRESP", "Non-target Response", a.Response.NonTargetResponse),
                             ("NEWLPROG", "New Lesion Progression", a.Response.NewLesionProgression is { } n ? (n ? "Y" : "N") : null), ("OVRLRESP", "Overall Response", a.Response.OverallResponse) })
                    if (value is not null)
                        rsRows.Add([studyId, "RS", u, I(++rsSeq), code, test, SdtmWriter.Category, value, value, SdtmWriter.Evaluator, who, ok, vn, vis, dtc]);
            }
            foreach (var b in subject.BestResponses.OrderBy(b => b.Assessor))
                rsRows.Add([studyId, "RS", u, I(++rsSeq), "BESTRESP", "Best Overall Response", SdtmWriter.Category, b.BestResponse, b.BestResponse, SdtmWriter.Evaluator, SdtmWriter.EvaluatorId(b.Assessor), b.Accepted ? "Y" : null, null, null, null]);
        }
        probe?.Invoke();
        await Table(tu, SdtmWriter.TuColumns, tuRows);
        await Table(tr, SdtmWriter.TrColumns, trRows);
        await Table(rs, SdtmWriter.RsColumns, rsRows);
    }

    private static async Task Table(TextWriter writer, string[] columns, List<string?[]> rows)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', columns)).Append("\r\n");
        foreach (var row in rows)
            text.Append(string.Join(',', row.Select(Quote))).Append("\r\n");
        await writer.WriteAsync(text.ToString());
        await writer.FlushAsync();
    }

    private static string Quote(string? field) =>
        field is null ? "" : field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : $"\"{field.Replace("\"", "\"\"")}\"";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string N(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string? D(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
