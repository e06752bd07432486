using System.Globalization;

namespace TrialFlow.Reports.History;

/// <summary>How the history writes times and values: UTC, invariant culture, the same on the page and in the PDF.</summary>
public static class HistoryFormat
{
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Time(DateTime? utc) => utc is { } t ? Time(t) : "—";

    /// <summary>A cut-off is a whole UTC second, so it can be written on the cover and given back to regenerate the same dossier.</summary>
    public static DateTime CutOff(DateTime utc)
    {
        var u = utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        return new DateTime(u.Ticks - u.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }

    /// <summary>The cut-off as it appears in URLs and file names: 20260601T080000Z.</summary>
    public static string CutOffStamp(DateTime cutOff) => cutOff.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static bool TryParseCutOff(string? text, out DateTime cutOff)
    {
        cutOff = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        if (DateTime.TryParseExact(text, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var exact)
            || DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out exact))
        {
            cutOff = CutOff(exact);
            return true;
        }
        return false;
    }

    public static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n.ToString(CultureInfo.InvariantCulture)} {many}";
}
