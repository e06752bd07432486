using System.Globalization;

namespace TrialFlow.Dicom;

/// <summary>Parsing and formatting of DA, TM and DT values (PS3.5 6.2), including partial precision.</summary>
internal static class DicomDateTimeParser
{
    public static bool TryParseDate(string s, out DateOnly date)
    {
        s = s.Trim();
        if (s.Length == 10 && s[4] == '.' && s[7] == '.') s = s.Replace(".", "", StringComparison.Ordinal); // ACR-NEMA form
        return DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    public static bool TryParseTime(string s, out TimeOnly time)
    {
        time = default;
        s = s.Trim().Replace(":", "", StringComparison.Ordinal); // ACR-NEMA HH:MM:SS
        if (s.Length < 2 || !int.TryParse(s.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)) return false;
        int m = 0, sec = 0;
        long ticks = 0;
        if (s.Length >= 4 && !int.TryParse(s.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out m)) return false;
        if (s.Length >= 6 && !int.TryParse(s.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out sec)) return false;
        if (s.Length > 6)
        {
            if (s[6] != '.' || s.Length == 7) return false;
            var frac = s[7..].PadRight(7, '0')[..7];
            if (!long.TryParse(frac, NumberStyles.None, CultureInfo.InvariantCulture, out ticks)) return false;
        }
        else if (s.Length is 3 or 5) return false;
        if (sec == 60) sec = 59; // leap second
        if (h > 23 || m > 59 || sec > 59) return false;
        time = new TimeOnly(h, m, sec).Add(TimeSpan.FromTicks(ticks));
        return true;
    }

    public static bool TryParseDateTime(string s, out DateTimeOffset value)
    {
        value = default;
        s = s.Trim();
        var offset = TimeSpan.Zero;
        var hasOffset = false;
        var signAt = s.IndexOfAny(['+', '-'], Math.Min(4, s.Length));
        if (signAt > 0)
        {
            var z = s[(signAt + 1)..];
            if (z.Length != 4 || !int.TryParse(z.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var zh)
                || !int.TryParse(z.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var zm)) return false;
            offset = new TimeSpan(zh, zm, 0) * (s[signAt] == '-' ? -1 : 1);
            hasOffset = true;
            s = s[..signAt];
        }
        if (s.Length < 4 || !int.TryParse(s.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 1) return false;
        int month = 1, day = 1;
        if (s.Length >= 6 && !int.TryParse(s.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out month)) return false;
        if (s.Length >= 8 && !int.TryParse(s.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out day)) return false;
        var time = TimeOnly.MinValue;
        if (s.Length > 8 && !TryParseTime(s[8..], out time)) return false;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        try
        {
            value = new DateTimeOffset(new DateOnly(year, month, day).ToDateTime(time), hasOffset ? offset : TimeSpan.Zero);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static string FormatDate(DateOnly d) => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string FormatTime(TimeOnly t) => t.Ticks % TimeSpan.TicksPerSecond == 0
        ? t.ToString("HHmmss", CultureInfo.InvariantCulture)
        : t.ToString("HHmmss.ffffff", CultureInfo.InvariantCulture);

    public static string FormatDateTime(DateTime d) => d.Ticks % TimeSpan.TicksPerSecond == 0
        ? d.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)
        : d.ToString("yyyyMMddHHmmss.ffffff", CultureInfo.InvariantCulture);
}
