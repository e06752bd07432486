namespace TrialFlow.Edc.Tests.Sdtm;

/// <summary>
/// One subject read by two radiologists at baseline and week 6, with an adjudication at week 6 that accepted
/// radiologist 2. The expected rows are written out by hand from the RECIST results below.
/// </summary>
public sealed class SdtmWriterTests
{
    private const string Study = "TF-ONC-301";
    private static readonly DateOnly BaselineScan = new(2026, 3, 2);
    private static readonly DateOnly Week6Scan = new(2026, 4, 13);

    private static SdtmSubjectResults Subject() => new("101-001",
    [
        // Deliberately out of order: the writer sorts a subject's assessments by visit, then assessor.
        new("WK06", "Week 6", 2, Week6Scan, Assessor.Adjudicator, false, [], new(null, null, null, null, "PD")),
        new("BASELINE", "Baseline", 1, BaselineScan, Assessor.Radiologist1, false,
            [new("T01", LesionRole.Target, "LIVER", "CT", 30m, null), new("T02", LesionRole.Target, "LUNG", "CT", 20m, null), new("NT01", LesionRole.NonTarget, "LYMPH NODE", "CT", null, "PRESENT")],
            new(50m, null, null, null, null)),
        new("BASELINE", "Baseline", 1, BaselineScan, Assessor.Radiologist2, true,
            [new("T01", LesionRole.Target, "LIVER", "CT", 32m, null), new("NT01", LesionRole.NonTarget, "LUNG", "CT", null, "PRESENT")],
            new(32m, null, null, null, null)),
        new("WK06", "Week 6", 2, Week6Scan, Assessor.Radiologist1, false,
            [new("T01", LesionRole.Target, "LIVER", "CT", 20m, null), new("T02", LesionRole.Target, "LUNG", "CT", 14.5m, null), new("NT01", LesionRole.NonTarget, "LYMPH NODE", "CT", null, "PRESENT")],
            new(34.5m, "PR", "NON-CR/NON-PD", false, "PR")),
        new("WK06", "Week 6", 2, Week6Scan, Assessor.Radiologist2, true,
            [new("T01", LesionRole.Target, "LIVER", "CT", 30m, null), new("NT01", LesionRole.NonTarget, "LUNG", "CT", null, "PRESENT"), new("NEW01", LesionRole.New, "BONE", "CT", null, null)],
            new(30m, "SD", "NON-CR/NON-PD", true, "PD")),
    ],
    [new(Assessor.Radiologist1, false, "PR"), new(Assessor.Radiologist2, true, "PD"), new(Assessor.Adjudicator, false, "PD")]);

    private static async Task<(string[] Tu, string[] Tr, string[] Rs, SdtmCounts Counts)> WriteAsync(params SdtmSubjectResults[] subjects)
    {
        var (tu, tr, rs) = (new StringWriter(), new StringWriter(), new StringWriter());
        var counts = await SdtmWriter.WriteAsync(Study, subjects.ToAsyncEnumerable(), tu, tr, rs, CancellationToken.None);
        static string[] Lines(StringWriter w) => w.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        return (Lines(tu), Lines(tr), Lines(rs), counts);
    }

    private const string U = "TF-ONC-301,{0},TF-ONC-301-101-001";
    private const string R1 = "INDEPENDENT ASSESSOR,RADIOLOGIST 1,";
    private const string R2 = "INDEPENDENT ASSESSOR,RADIOLOGIST 2,Y";
    private const string Adj = "INDEPENDENT ASSESSOR,ADJUDICATOR,";
    private const string Base = "1,Baseline,2026-03-02";
    private const string Wk6 = "2,Week 6,2026-04-13";

    [Fact]
    public async Task TU_has_one_record_per_lesion_per_assessor_where_it_was_first_identified()
    {
        var (tu, _, _, counts) = await WriteAsync(Subject());
        var u = string.Format(U, "TU");

        Assert.Equal(
        [
            "STUDYID,DOMAIN,USUBJID,TUSEQ,TULNKID,TUTESTCD,TUTEST,TUORRES,TUSTRESC,TULOC,TUMETHOD,TUEVAL,TUEVALID,TUACPTFL,VISITNUM,VISIT,TUDTC",
            $"{u},1,T01,TUMIDENT,Tumor Identification,TARGET,TARGET,LIVER,CT,{R1},{Base}",
            $"{u},2,T02,TUMIDENT,Tumor Identification,TARGET,TARGET,LUNG,CT,{R1},{Base}",
            $"{u},3,NT01,TUMIDENT,Tumor Identification,NON-TARGET,NON-TARGET,LYMPH NODE,CT,{R1},{Base}",
            $"{u},4,T01,TUMIDENT,Tumor Identification,TARGET,TARGET,LIVER,CT,{R2},{Base}",
            $"{u},5,NT01,TUMIDENT,Tumor Identification,NON-TARGET,NON-TARGET,LUNG,CT,{R2},{Base}",
            $"{u},6,NEW01,TUMIDENT,Tumor Identification,NEW,NEW,BONE,CT,{R2},{Wk6}",
        ], tu);
        Assert.Equal(6, counts.TuRows);
    }

    [Fact]
    public async Task TR_has_each_measurement_and_the_sum_of_diameters_dated_by_the_scan()
    {
        var (_, tr, _, _) = await WriteAsync(Subject());
        var u = string.Format(U, "TR");
        string D(int seq, string lesion, string mm, string who, string at) => $"{u},{seq},TARGET,{lesion},DIAMETER,Diameter,{mm},mm,{mm},{mm},mm,,CT,{who},{at}";
        string S(int seq, string lesion, string group, string state, string who, string at) => $"{u},{seq},{group},{lesion},TUMSTATE,Tumor State,{state},,{state},,,,CT,{who},{at}";
        string Sum(int seq, string mm, string who, string at) => $"{u},{seq},TARGET,,SUMDIAM,Sum of Diameter,{mm},mm,{mm},{mm},mm,,,{who},{at}";

        Assert.Equal(
        [
            "STUDYID,DOMAIN,USUBJID,TRSEQ,TRGRPID,TRLNKID,TRTESTCD,TRTEST,TRORRES,TRORRESU,TRSTRESC,TRSTRESN,TRSTRESU,TRSTAT,TRMETHOD,TREVAL,TREVALID,TRACPTFL,VISITNUM,VISIT,TRDTC",
            D(1, "T01", "30", R1, Base), D(2, "T02", "20", R1, Base), S(3, "NT01", "NON-TARGET", "PRESENT", R1, Base), Sum(4, "50", R1, Base),
            D(5, "T01", "32", R2, Base), S(6, "NT01", "NON-TARGET", "PRESENT", R2, Base), Sum(7, "32", R2, Base),
            D(8, "T01", "20", R1, Wk6), D(9, "T02", "14.5", R1, Wk6), S(10, "NT01", "NON-TARGET", "PRESENT", R1, Wk6), Sum(11, "34.5", R1, Wk6),
            D(12, "T01", "30", R2, Wk6), S(13, "NT01", "NON-TARGET", "PRESENT", R2, Wk6), S(14, "NEW01", "NEW", "PRESENT", R2, Wk6), Sum(15, "30", R2, Wk6),
        ], tr);
    }

    [Fact]
    public async Task RS_has_the_timepoint_responses_and_best_response_of_each_assessor_with_RSACPTFL_only_on_the_accepted_ones()
    {
        var (_, _, rs, _) = await WriteAsync(Subject());
        var u = string.Format(U, "RS");
        string R(int seq, string code, string test, string result, string who, string at) => $"{u},{seq},{code},{test},RECIST 1.1,{result},{result},{who},{at}";

        Assert.Equal(
        [
            "STUDYID,DOMAIN,USUBJID,RSSEQ,RSTESTCD,RSTEST,RSCAT,RSORRES,RSSTRESC,RSEVAL,RSEVALID,RSACPTFL,VISITNUM,VISIT,RSDTC",
            R(1, "TRGRESP", "Target Response", "PR", R1, Wk6), R(2, "NTRGRESP", "Non-target Response", "NON-CR/NON-PD", R1, Wk6),
            R(3, "NEWLPROG", "New Lesion Progression", "N", R1, Wk6), R(4, "OVRLRESP", "Overall Response", "PR", R1, Wk6),
            R(5, "TRGRESP", "Target Response", "SD", R2, Wk6), R(6, "NTRGRESP", "Non-target Response", "NON-CR/NON-PD", R2, Wk6),
            R(7, "NEWLPROG", "New Lesion Progression", "Y", R2, Wk6), R(8, "OVRLRESP", "Overall Response", "PD", R2, Wk6),
            R(9, "OVRLRESP", "Overall Response", "PD", Adj, Wk6),
            R(10, "BESTRESP", "Best Overall Response", "PR", R1, ",,"), R(11, "BESTRESP", "Best Overall Response", "PD", R2, ",,"),
            R(12, "BESTRESP", "Best Overall Response", "PD", Adj, ",,"),
        ], rs);
        Assert.All(rs.Skip(1).Where(l => l.Contains(",Y,")), l => Assert.Contains("RADIOLOGIST 2", l));
    }

    [Fact]
    public async Task Sequence_numbers_restart_per_subject_and_USUBJID_comes_from_the_subject_key()
    {
        var second = Subject() with { SubjectKey = "201-004" };
        var (tu, _, rs, counts) = await WriteAsync(Subject(), second);

        Assert.Equal(2, counts.Subjects);
        Assert.Equal(12, tu.Length - 1);
        Assert.StartsWith("TF-ONC-301,TU,TF-ONC-301-201-004,1,T01,", tu[7]);
        Assert.StartsWith("TF-ONC-301,RS,TF-ONC-301-201-004,1,TRGRESP,", rs[13]);
    }

    [Fact]
    public void Variable_names_are_SAS_friendly()
    {
        foreach (var name in SdtmWriter.TuColumns.Concat(SdtmWriter.TrColumns).Concat(SdtmWriter.RsColumns))
            Assert.Matches("^[A-Z][A-Z0-9]{0,7}$", name);
    }

    [Fact]
    public async Task A_value_with_a_comma_is_quoted()
    {
        var subject = new SdtmSubjectResults("101-009",
            [new("BASELINE", "Baseline", 1, BaselineScan, Assessor.Radiologist1, true, [new("T01", LesionRole.Target, "LIVER, SEGMENT 4", "CT", 11m, null)], new(11m, null, null, null, null))], []);
        var (tu, _, _, _) = await WriteAsync(subject);

        Assert.Contains(",\"LIVER, SEGMENT 4\",CT,", tu[1]);
    }
}
