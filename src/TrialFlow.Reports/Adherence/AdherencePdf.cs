using System.Globalization;
using PdfSharp.Pdf;
using TrialFlow.Reports.Pdf;

namespace TrialFlow.Reports.Adherence;

/// <summary>
/// The adherence report as a PDF for the trial master file: what it covers, one table of sites (status, qualified
/// scanners, QC pass rate, images held for their scanner), and the deviations by rule per site.
/// </summary>
public static class AdherencePdf
{
    public static byte[] Render(ProtocolAdherenceReport report, string generatedBy)
    {
        using var document = new PdfDocument();
        document.Info.Title = $"Protocol adherence · {report.TrialProtocolId}";
        document.Info.Author = $"TrialFlow for {generatedBy}";
        document.Info.Creator = "TrialFlow";
        document.Info.CreationDate = report.GeneratedAt;
        using (var pdf = new PdfComposer(document))
        {
            pdf.NewPage();
            pdf.Paragraph("TrialFlow · protocol adherence", pdf.Bold, PdfComposer.Muted);
            pdf.Paragraph($"{report.TrialProtocolId} · {report.TrialTitle}", pdf.H1, PdfComposer.Ink);
            pdf.Facts(
            [
                ("Generated", $"{report.GeneratedAt:yyyy-MM-dd HH:mm} UTC by {generatedBy}", false),
                ("Sites", report.Sites.Count.ToString(CultureInfo.InvariantCulture), false),
                ("Studies evaluated by QC", $"{report.StudiesEvaluated}, of which {report.StudiesPassed} passed ({Percent(report.StudiesEvaluated == 0 ? null : (double)report.StudiesPassed / report.StudiesEvaluated)})", false),
            ]);
            pdf.Paragraph("Each study counts with its latest QC result; a deviation is a study whose latest result has a finding of that rule. Qualified " +
                "scanners passed a qualification scan against the protocol (or were registered as qualified before the site came to TrialFlow).", pdf.Small, PdfComposer.Muted);
            pdf.Space(8);
            pdf.Heading("Sites", 2);
            pdf.Table([("Site", 1.6, false), ("Status", 1.1, false), ("Qualified scanners", 3.4, false), ("QC passed", 1.3, false), ("Held: scanner", 1.1, false)],
                report.Sites.Select(s => (IReadOnlyList<string>)
                [
                    $"{s.SiteNumber} {s.SiteName} ({s.Country})",
                    s.Status.ToString(),
                    s.QualifiedScanners.Count == 0 ? "none" : string.Join("\n", s.QualifiedScanners) + (s.ScannersWithSoftwareChange > 0 ? $"\n{s.ScannersWithSoftwareChange} with changed software" : ""),
                    $"{s.StudiesPassed} of {s.StudiesEvaluated} ({Percent(s.PassRate)})",
                    s.HeldForScanner.ToString(CultureInfo.InvariantCulture),
                ]).ToList());
            pdf.Heading("Deviations by rule", 2);
            if (report.Rules.Count == 0)
                pdf.Paragraph("No QC rule reported a deviation at any site.", pdf.Small, PdfComposer.Muted);
            else
                pdf.Table([("Rule", 2.0, true), .. report.Sites.Where(s => s.Deviations.Count > 0).Select(s => (s.SiteNumber, 1.0, false))],
                    report.Rules.Select(rule => (IReadOnlyList<string>)
                        [rule, .. report.Sites.Where(s => s.Deviations.Count > 0).Select(s => s.Deviations.GetValueOrDefault(rule).ToString(CultureInfo.InvariantCulture))]).ToList());
        }
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>"87 %", or "n/a" when nothing was evaluated.</summary>
    public static string Percent(double? rate) => rate is { } r ? $"{r * 100:0} %" : "n/a";
}
