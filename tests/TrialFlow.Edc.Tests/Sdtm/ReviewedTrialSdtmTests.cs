namespace TrialFlow.Edc.Tests.Sdtm;

/// <summary>
/// SDTM TU/TR/RS exported from the read tables of <see cref="ReviewScenario"/>. Every expected row is written out by
/// hand from the lesion diameters entered in the scenario, with RECIST 1.1 applied on paper:
/// <list type="bullet">
/// <item>101-001 week 6, radiologist 1: sum 30 + 20 = 50 against 80 at baseline, −37.5 % (≥ 30 % decrease) → PR;
/// radiologist 2: 40 + 18 = 58 against 68, −14.7 % and no increase → SD. They differ: the adjudicator accepted SD.</item>
/// <item>101-001 week 12: 24 + 16 = 40 against 80 (−50 %) → PR; 22 + 12 = 34 against 68 (−50 %; the node is still
/// 12 mm ≥ 10 mm, so not CR) → PR. Best: radiologist 1 PR, PR → PR; radiologist 2 SD (day 44 ≥ 42) then PR → PR.</item>
/// <item>201-001 week 6, radiologist 1 (corrected from 60 mm): 52 against nadir 40, +12 mm and +30 % → PD; radiologist
/// 2: 44 against 42, +2 mm → target SD, but an unequivocal new lesion → PD. Both PD: radiologist 1's read stands.</item>
/// <item>101-002 week 6 (no non-target disease: no NTRGRESP record): 20 against 30, −33.3 % → PR; 25 against 30, −16.7 %
/// → SD (day 43 ≥ 42). The adjudication is open: nothing of week 6 is accepted, nor any best response.</item>
/// <item>Non-target bone/lung lesions present throughout → NON-CR/NON-PD.</item>
/// </list>
/// Scan dates are the EDC baseline date plus the study day; reads were signed on 2026-06-01 and the archived study
/// dates are shifted by 400 days, so neither can pass for them.
/// </summary>
public sealed class ReviewedTrialSdtmTests(ReviewScenario scenario) : IClassFixture<ReviewScenario>
{
    private const string S1 = "TF-ONC-301-101-001";
    private const string S2 = "TF-ONC-301-201-001";
    private const string S3 = "TF-ONC-301-101-002";

    private async Task<(List<Dictionary<string, string>> Tu, List<Dictionary<string, string>> Tr, List<Dictionary<string, string>> Rs, SdtmCounts Counts)> ExportAsync(
        Actor? actor = null, int pageSize = 100)
    {
        await using var db = scenario.Trial.Edc.Context(actor ?? EdcTrial.DataManager);
        var (tu, tr, rs) = (new StringWriter(), new StringWriter(), new StringWriter());
        var source = new ReadTableSdtmSource(db) { PageSize = pageSize };
        var counts = await SdtmWriter.WriteAsync("TF-ONC-301", source.SubjectsAsync(scenario.Trial.Edc.TrialId, CancellationToken.None), tu, tr, rs, CancellationToken.None);
        return (Rows(tu), Rows(tr), Rows(rs), counts);
    }

    private static List<Dictionary<string, string>> Rows(StringWriter csv)
    {
        var lines = csv.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(lines, l => l.Contains('"')); // nothing here needs quoting, so a plain split reads it
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private static string Project(Dictionary<string, string> row, params string[] columns) => string.Join(" | ", columns.Select(c => row[c]));

    [Fact]
    public async Task TR_rows_carry_each_assessors_diameters_and_sums_with_the_scan_date_and_the_accepted_flag()
    {
        var (_, tr, _, _) = await ExportAsync();

        string[] expected =
        [
            $"{S1} | 1 | RADIOLOGIST 1 | T1 | DIAMETER | 50 | mm | Y | 2026-02-27",
            $"{S1} | 1 | RADIOLOGIST 1 | T2 | DIAMETER | 30 | mm | Y | 2026-02-27",
            $"{S1} | 1 | RADIOLOGIST 1 | NT1 | TUMSTATE | PRESENT |  | Y | 2026-02-27",
            $"{S1} | 1 | RADIOLOGIST 1 |  | SUMDIAM | 80 | mm | Y | 2026-02-27",
            $"{S1} | 1 | RADIOLOGIST 2 | T1 | DIAMETER | 48 | mm |  | 2026-02-27",
            $"{S1} | 1 | RADIOLOGIST 2 | T2 | DIAMETER | 20 | mm |  | 2026-02-27",
            $"{S1} | 1 | RADIOLOGIST 2 | NT1 | TUMSTATE | PRESENT |  |  | 2026-02-27",
            $"{S1} | 1 | RADIOLOGIST 2 |  | SUMDIAM | 68 | mm |  | 2026-02-27",
            $"{S1} | 2 | RADIOLOGIST 1 | T1 | DIAMETER | 30 | mm |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 1 | T2 | DIAMETER | 20 | mm |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 1 | NT1 | TUMSTATE | PRESENT |  |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 1 |  | SUMDIAM | 50 | mm |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 2 | T1 | DIAMETER | 40 | mm |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 2 | T2 | DIAMETER | 18 | mm |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 2 | NT1 | TUMSTATE | PRESENT |  |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 2 |  | SUMDIAM | 58 | mm |  | 2026-04-12",
            $"{S1} | 2 | ADJUDICATOR | T1 | DIAMETER | 40 | mm | Y | 2026-04-12",
            $"{S1} | 2 | ADJUDICATOR | T2 | DIAMETER | 18 | mm | Y | 2026-04-12",
            $"{S1} | 2 | ADJUDICATOR | NT1 | TUMSTATE | PRESENT |  | Y | 2026-04-12",
            $"{S1} | 2 | ADJUDICATOR |  | SUMDIAM | 58 | mm | Y | 2026-04-12",
            $"{S1} | 3 | RADIOLOGIST 1 | T1 | DIAMETER | 24 | mm | Y | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 1 | T2 | DIAMETER | 16 | mm | Y | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 1 | NT1 | TUMSTATE | PRESENT |  | Y | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 1 |  | SUMDIAM | 40 | mm | Y | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 2 | T1 | DIAMETER | 22 | mm |  | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 2 | T2 | DIAMETER | 12 | mm |  | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 2 | NT1 | TUMSTATE | PRESENT |  |  | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 2 |  | SUMDIAM | 34 | mm |  | 2026-05-26",
            $"{S3} | 1 | RADIOLOGIST 1 | T1 | DIAMETER | 30 | mm | Y | 2026-03-09",
            $"{S3} | 1 | RADIOLOGIST 1 |  | SUMDIAM | 30 | mm | Y | 2026-03-09",
            $"{S3} | 1 | RADIOLOGIST 2 | T1 | DIAMETER | 30 | mm |  | 2026-03-09",
            $"{S3} | 1 | RADIOLOGIST 2 |  | SUMDIAM | 30 | mm |  | 2026-03-09",
            $"{S3} | 2 | RADIOLOGIST 1 | T1 | DIAMETER | 20 | mm |  | 2026-04-21",
            $"{S3} | 2 | RADIOLOGIST 1 |  | SUMDIAM | 20 | mm |  | 2026-04-21",
            $"{S3} | 2 | RADIOLOGIST 2 | T1 | DIAMETER | 25 | mm |  | 2026-04-21",
            $"{S3} | 2 | RADIOLOGIST 2 |  | SUMDIAM | 25 | mm |  | 2026-04-21",
            $"{S2} | 1 | RADIOLOGIST 1 | T1 | DIAMETER | 40 | mm | Y | 2026-03-03",
            $"{S2} | 1 | RADIOLOGIST 1 | NT1 | TUMSTATE | PRESENT |  | Y | 2026-03-03",
            $"{S2} | 1 | RADIOLOGIST 1 |  | SUMDIAM | 40 | mm | Y | 2026-03-03",
            $"{S2} | 1 | RADIOLOGIST 2 | T1 | DIAMETER | 42 | mm |  | 2026-03-03",
            $"{S2} | 1 | RADIOLOGIST 2 | NT1 | TUMSTATE | PRESENT |  |  | 2026-03-03",
            $"{S2} | 1 | RADIOLOGIST 2 |  | SUMDIAM | 42 | mm |  | 2026-03-03",
            // The correction (52 mm) counts; the superseded 60 mm and week 12's unsigned draft do not.
            $"{S2} | 2 | RADIOLOGIST 1 | T1 | DIAMETER | 52 | mm | Y | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 1 | NT1 | TUMSTATE | PRESENT |  | Y | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 1 |  | SUMDIAM | 52 | mm | Y | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 2 | T1 | DIAMETER | 44 | mm |  | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 2 | NT1 | TUMSTATE | PRESENT |  |  | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 2 | N1 | TUMSTATE | UNEQUIVOCAL |  |  | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 2 |  | SUMDIAM | 44 | mm |  | 2026-04-14",
        ];
        Assert.Equal(expected, tr.Select(r => Project(r, "USUBJID", "VISITNUM", "TREVALID", "TRLNKID", "TRTESTCD", "TRORRES", "TRORRESU", "TRACPTFL", "TRDTC")));
        Assert.All(tr, r => Assert.Equal(("TR", "INDEPENDENT ASSESSOR"), (r["DOMAIN"], r["TREVAL"])));
        Assert.Equal(Enumerable.Range(1, 28).Select(i => i.ToString()), tr.Where(r => r["USUBJID"] == S1).Select(r => r["TRSEQ"]));
    }

    [Fact]
    public async Task RS_rows_carry_the_RECIST_responses_and_only_the_accepted_assessment_of_each_timepoint_is_flagged()
    {
        var (_, _, rs, _) = await ExportAsync();

        string[] expected =
        [
            // Baselines have no responses; 101-001 week 6 was adjudicated: the adjudicator's assessment (radiologist 2's read) is the accepted one.
            $"{S1} | 2 | RADIOLOGIST 1 | TRGRESP | PR |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 1 | NTRGRESP | NON-CR/NON-PD |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 1 | NEWLPROG | N |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 1 | OVRLRESP | PR |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 2 | TRGRESP | SD |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 2 | NTRGRESP | NON-CR/NON-PD |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 2 | NEWLPROG | N |  | 2026-04-12",
            $"{S1} | 2 | RADIOLOGIST 2 | OVRLRESP | SD |  | 2026-04-12",
            $"{S1} | 2 | ADJUDICATOR | TRGRESP | SD | Y | 2026-04-12",
            $"{S1} | 2 | ADJUDICATOR | NTRGRESP | NON-CR/NON-PD | Y | 2026-04-12",
            $"{S1} | 2 | ADJUDICATOR | NEWLPROG | N | Y | 2026-04-12",
            $"{S1} | 2 | ADJUDICATOR | OVRLRESP | SD | Y | 2026-04-12",
            // Week 12: the reads agree, radiologist 1's stands.
            $"{S1} | 3 | RADIOLOGIST 1 | TRGRESP | PR | Y | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 1 | NTRGRESP | NON-CR/NON-PD | Y | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 1 | NEWLPROG | N | Y | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 1 | OVRLRESP | PR | Y | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 2 | TRGRESP | PR |  | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 2 | NTRGRESP | NON-CR/NON-PD |  | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 2 | NEWLPROG | N |  | 2026-05-26",
            $"{S1} | 3 | RADIOLOGIST 2 | OVRLRESP | PR |  | 2026-05-26",
            $"{S1} |  | RADIOLOGIST 1 | BESTRESP | PR | Y | ",
            $"{S1} |  | RADIOLOGIST 2 | BESTRESP | PR |  | ",
            $"{S1} |  | ADJUDICATOR | BESTRESP | SD |  | ",
            // 101-002 week 6: adjudication open, so no accepted assessment yet.
            $"{S3} | 2 | RADIOLOGIST 1 | TRGRESP | PR |  | 2026-04-21",
            $"{S3} | 2 | RADIOLOGIST 1 | NEWLPROG | N |  | 2026-04-21",
            $"{S3} | 2 | RADIOLOGIST 1 | OVRLRESP | PR |  | 2026-04-21",
            $"{S3} | 2 | RADIOLOGIST 2 | TRGRESP | SD |  | 2026-04-21",
            $"{S3} | 2 | RADIOLOGIST 2 | NEWLPROG | N |  | 2026-04-21",
            $"{S3} | 2 | RADIOLOGIST 2 | OVRLRESP | SD |  | 2026-04-21",
            $"{S3} |  | RADIOLOGIST 1 | BESTRESP | PR |  | ",
            $"{S3} |  | RADIOLOGIST 2 | BESTRESP | SD |  | ",
            $"{S2} | 2 | RADIOLOGIST 1 | TRGRESP | PD | Y | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 1 | NTRGRESP | NON-CR/NON-PD | Y | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 1 | NEWLPROG | N | Y | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 1 | OVRLRESP | PD | Y | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 2 | TRGRESP | SD |  | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 2 | NTRGRESP | NON-CR/NON-PD |  | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 2 | NEWLPROG | Y |  | 2026-04-14",
            $"{S2} | 2 | RADIOLOGIST 2 | OVRLRESP | PD |  | 2026-04-14",
            $"{S2} |  | RADIOLOGIST 1 | BESTRESP | PD | Y | ",
            $"{S2} |  | RADIOLOGIST 2 | BESTRESP | PD |  | ",
        ];
        Assert.Equal(expected, rs.Select(r => Project(r, "USUBJID", "VISITNUM", "RSEVALID", "RSTESTCD", "RSORRES", "RSACPTFL", "RSDTC")));
        Assert.All(rs, r => Assert.Equal(("RECIST 1.1", "INDEPENDENT ASSESSOR"), (r["RSCAT"], r["RSEVAL"])));
        // One accepted overall response per assessed timepoint, and one accepted best response per subject.
        Assert.Equal([$"{S1} 2", $"{S1} 3", $"{S2} 2"], rs.Where(r => r["RSTESTCD"] == "OVRLRESP" && r["RSACPTFL"] == "Y").Select(r => $"{r["USUBJID"]} {r["VISITNUM"]}"));
    }

    [Fact]
    public async Task TU_has_one_record_per_lesion_per_assessor_where_that_assessor_first_identified_it()
    {
        var (tu, _, _, counts) = await ExportAsync();

        string[] expected =
        [
            $"{S1} | T1 | TARGET | LIVER | RADIOLOGIST 1 | Y | 1", $"{S1} | T2 | TARGET | LUNG | RADIOLOGIST 1 | Y | 1", $"{S1} | NT1 | NON-TARGET | BONE | RADIOLOGIST 1 | Y | 1",
            $"{S1} | T1 | TARGET | LIVER | RADIOLOGIST 2 |  | 1", $"{S1} | T2 | TARGET | LYMPH NODE | RADIOLOGIST 2 |  | 1", $"{S1} | NT1 | NON-TARGET | BONE | RADIOLOGIST 2 |  | 1",
            $"{S1} | T1 | TARGET | LIVER | ADJUDICATOR | Y | 2", $"{S1} | T2 | TARGET | LYMPH NODE | ADJUDICATOR | Y | 2", $"{S1} | NT1 | NON-TARGET | BONE | ADJUDICATOR | Y | 2",
            $"{S3} | T1 | TARGET | LIVER | RADIOLOGIST 1 | Y | 1", $"{S3} | T1 | TARGET | LIVER | RADIOLOGIST 2 |  | 1",
            $"{S2} | T1 | TARGET | LIVER | RADIOLOGIST 1 | Y | 1", $"{S2} | NT1 | NON-TARGET | LUNG | RADIOLOGIST 1 | Y | 1",
            $"{S2} | T1 | TARGET | LIVER | RADIOLOGIST 2 |  | 1", $"{S2} | NT1 | NON-TARGET | LUNG | RADIOLOGIST 2 |  | 1",
            $"{S2} | N1 | NEW | LIVER | RADIOLOGIST 2 |  | 2",
        ];
        Assert.Equal(expected, tu.Select(r => Project(r, "USUBJID", "TULNKID", "TUORRES", "TULOC", "TUEVALID", "TUACPTFL", "VISITNUM")));
        Assert.All(tu, r => Assert.Equal("CT SCAN", r["TUMETHOD"]));
        Assert.Equal(3, counts.Subjects);
    }

    [Fact]
    public async Task Subjects_stream_in_subject_key_order_page_by_page_and_only_within_the_callers_sites()
    {
        var whole = await ExportAsync();
        var paged = await ExportAsync(pageSize: 1);
        var site201 = await ExportAsync(new Actor("u-mon", "Mona Monitor", "Monitor", SiteScope.Of([scenario.Trial.Edc.TrialId], [scenario.Trial.Edc.Sites["201"]])));

        Assert.Equal(whole.Tr.Select(r => string.Join(',', r.Values)), paged.Tr.Select(r => string.Join(',', r.Values)));
        Assert.Equal(whole.Counts, paged.Counts);
        Assert.Equal([S2], site201.Tr.Select(r => r["USUBJID"]).Distinct());
        Assert.Equal(whole.Tr.Where(r => r["USUBJID"] == S2).Select(r => string.Join(',', r.Values)), site201.Tr.Select(r => string.Join(',', r.Values)));
    }
}
