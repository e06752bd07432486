namespace TrialFlow.Queries.Domain;

/// <summary>
/// A site's working calendar for query aging and due dates: its IANA time zone and the weekend of its country.
/// A query's age is the number of the site's working days that began after the day it was raised, up to and including
/// today (both as dates at the site): raised Friday afternoon in Berlin, it is 1 business day old on Monday, whatever
/// the hour, and 0 over the weekend. Public holidays are not known and count as working days.
/// </summary>
public sealed class SiteCalendar
{
    // Countries whose weekend is Friday and Saturday (the rest of the world's sites rest on Saturday and Sunday).
    private static readonly HashSet<string> FridaySaturday = new(StringComparer.Ordinal)
    {
        "AF", "BD", "BH", "DZ", "EG", "IL", "IQ", "JO", "KW", "LY", "OM", "QA", "SA", "SD", "SY", "YE",
    };

    private readonly TimeZoneInfo _zone;
    private readonly DayOfWeek _weekend1;
    private readonly DayOfWeek _weekend2;

    public SiteCalendar(string timeZone, string country)
    {
        _zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        (_weekend1, _weekend2) = FridaySaturday.Contains(country.ToUpperInvariant())
            ? (DayOfWeek.Friday, DayOfWeek.Saturday)
            : (DayOfWeek.Saturday, DayOfWeek.Sunday);
    }

    public bool IsWorkingDay(DateOnly date) => date.DayOfWeek != _weekend1 && date.DayOfWeek != _weekend2;

    /// <summary>The date at the site at the instant <paramref name="utc"/>.</summary>
    public DateOnly LocalDate(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone));

    /// <summary>The <paramref name="businessDays"/>-th working day after <paramref name="from"/>.</summary>
    public DateOnly AddBusinessDays(DateOnly from, int businessDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(businessDays);
        var date = from;
        for (var left = businessDays; left > 0;)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
                left--;
        }
        return date;
    }

    /// <summary>Working days <c>d</c> with <paramref name="from"/> &lt; d ≤ <paramref name="to"/>; 0 when <paramref name="to"/> is not later.</summary>
    public int BusinessDaysBetween(DateOnly from, DateOnly to)
    {
        var days = to.DayNumber - from.DayNumber;
        if (days <= 0)
            return 0;
        var (weeks, rest) = Math.DivRem(days, 7);
        var count = weeks * 5;
        var date = from.AddDays(weeks * 7);
        for (var i = 0; i < rest; i++)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
                count++;
        }
        return count;
    }

    /// <summary>The query's age at <paramref name="nowUtc"/> in the site's business days (see the class remarks).</summary>
    public int AgeInBusinessDays(DateTime raisedUtc, DateTime nowUtc) => BusinessDaysBetween(LocalDate(raisedUtc), LocalDate(nowUtc));

    /// <summary>
    /// The instant a query due on <paramref name="dueDate"/> becomes overdue: midnight at the site at the end of that day,
    /// in UTC. A day that begins twice or not at all (daylight saving) takes the later or the next valid instant.
    /// </summary>
    public DateTime OverdueFrom(DateOnly dueDate)
    {
        var local = dueDate.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (_zone.IsInvalidTime(local))
            local = local.AddMinutes(30);
        var offset = _zone.IsAmbiguousTime(local) ? _zone.GetAmbiguousTimeOffsets(local).Min() : _zone.GetUtcOffset(local);
        return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }
}
