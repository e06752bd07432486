using System.Globalization;
using TrialFlow.Core.Text;

namespace TrialFlow.Reports.Adherence;

/// <summary>
/// The adherence report as CSV (RFC 4180, UTF-8, CRLF): one row per site, one deviation column per rule that fired
/// anywhere, so a spreadsheet can sort and sum it. The pass rate is a fraction with four decimals, empty when no study
/// was evaluated.
/// </summary>
public static class AdherenceCsv
{
    public static string Write(ProtocolAdherenceReport report)
    {
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        Row(csv, ["site", "name", "country", "status", "qualified_scanners", "scanners_software_changed", "studies_evaluated", "studies_passed", "pass_rate",
            "held_scanner_not_qualified", .. report.Rules.Select(r => $"deviations_{r}")]);
        foreach (var s in report.Sites)
            Row(csv, [s.SiteNumber, s.SiteName, s.Country, s.Status.ToString(), string.Join("; ", s.QualifiedScanners), Number(s.ScannersWithSoftwareChange),
                Number(s.StudiesEvaluated), Number(s.StudiesPassed), s.PassRate?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "", Number(s.HeldForScanner),
                .. report.Rules.Select(r => Number(s.Deviations.GetValueOrDefault(r)))]);
        return csv.ToString();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Row(StringWriter csv, IReadOnlyList<string> fields) =>
        Csv.WriteRow(csv, fields.Select(Neutralised).ToArray());

    /// <summary>A text field starting = + - or @ gets a leading ' so a spreadsheet never runs a site's name as a formula.</summary>
    private static string Neutralised(string field) =>
        field.Length > 0 && "=+-@".Contains(field[0]) && !double.TryParse(field, CultureInfo.InvariantCulture, out _) ? "'" + field : field;
}
