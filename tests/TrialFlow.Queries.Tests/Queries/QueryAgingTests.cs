namespace TrialFlow.Queries.Tests;

/// <summary>
/// Aging is counted in the site's business days, as dates at the site (docs/queries.md): these facts pin the definition
/// across time zones, weekends (including a Friday–Saturday weekend) and daylight saving.
/// </summary>
public sealed class QueryAgingTests
{
    private static readonly SiteCalendar Berlin = new("Europe/Berlin", "DE");
    private static readonly SiteCalendar Tokyo = new("Asia/Tokyo", "JP");
    private static readonly SiteCalendar NewYork = new("America/New_York", "US");
    private static readonly SiteCalendar TelAviv = new("Asia/Jerusalem", "IL");

    private static DateTime Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void A_query_raised_on_Friday_afternoon_is_zero_days_old_over_the_weekend_and_one_on_Monday()
    {
        var fridayAfternoon = Utc(6, 5, 14); // 16:00 in Berlin
        Assert.Equal(0, Berlin.AgeInBusinessDays(fridayAfternoon, Utc(6, 6, 10)));
        Assert.Equal(0, Berlin.AgeInBusinessDays(fridayAfternoon, Utc(6, 7, 21)));
        Assert.Equal(1, Berlin.AgeInBusinessDays(fridayAfternoon, Utc(6, 8, 6)));
        Assert.Equal(5, Berlin.AgeInBusinessDays(fridayAfternoon, Utc(6, 12, 12)));
        Assert.Equal(10, Berlin.AgeInBusinessDays(fridayAfternoon, Utc(6, 19, 12)));
    }

    [Fact]
    public void The_same_instants_age_differently_at_sites_in_different_time_zones()
    {
        // Monday 23:30 UTC: already Tuesday in Tokyo, still Monday evening in New York.
        var raised = Utc(6, 8, 23, 30);
        var now = Utc(6, 9, 20);   // Tuesday 20:00 UTC: Wednesday 05:00 in Tokyo, Tuesday 16:00 in New York

        Assert.Equal(1, Tokyo.AgeInBusinessDays(raised, now));     // raised Tue, now Wed
        Assert.Equal(1, NewYork.AgeInBusinessDays(raised, now));   // raised Mon, now Tue
        Assert.Equal(new DateOnly(2026, 6, 9), Tokyo.LocalDate(raised));
        Assert.Equal(new DateOnly(2026, 6, 8), NewYork.LocalDate(raised));
        // Friday 22:00 UTC is Saturday in Tokyo but Friday in New York: both are a day old on their Monday.
        var fridayNight = Utc(6, 12, 22);
        Assert.Equal(0, Tokyo.AgeInBusinessDays(fridayNight, Utc(6, 14, 14)));   // Sunday 23:00 Tokyo
        Assert.Equal(1, Tokyo.AgeInBusinessDays(fridayNight, Utc(6, 14, 23)));   // Monday 08:00 Tokyo
        Assert.Equal(1, NewYork.AgeInBusinessDays(fridayNight, Utc(6, 15, 13)));  // Monday 09:00 New York
    }

    [Fact]
    public void A_site_in_a_country_with_a_Friday_Saturday_weekend_works_on_Sunday()
    {
        var thursday = new DateOnly(2026, 6, 4);
        Assert.Equal(new DateOnly(2026, 6, 7), TelAviv.AddBusinessDays(thursday, 1));   // Sunday
        Assert.Equal(new DateOnly(2026, 6, 5), Berlin.AddBusinessDays(thursday, 1));    // Friday
        Assert.Equal(1, TelAviv.BusinessDaysBetween(thursday, new DateOnly(2026, 6, 7)));
        Assert.Equal(1, Berlin.BusinessDaysBetween(thursday, new DateOnly(2026, 6, 7)));
    }

    [Fact]
    public void A_due_date_is_counted_in_business_days_from_the_site_date_and_overdue_from_midnight_at_the_site()
    {
        var raisedSaturday = new DateOnly(2026, 6, 6);
        Assert.Equal(new DateOnly(2026, 6, 12), Berlin.AddBusinessDays(raisedSaturday, 5));
        // Friday 12 June ends at midnight in Berlin (CEST, UTC+2): 22:00 UTC.
        Assert.Equal(Utc(6, 12, 22), Berlin.OverdueFrom(new DateOnly(2026, 6, 12)));
        Assert.Equal(Utc(6, 13, 4), NewYork.OverdueFrom(new DateOnly(2026, 6, 12)));
        // Across the end of daylight saving the local midnight keeps its meaning: 25 October ends at 23:00 UTC (CET).
        Assert.Equal(new DateTime(2026, 10, 25, 23, 0, 0, DateTimeKind.Utc), Berlin.OverdueFrom(new DateOnly(2026, 10, 25)));
    }

    [Fact]
    public void Business_days_between_dates_agree_with_counting_day_by_day_over_a_year()
    {
        var start = new DateOnly(2026, 1, 1);
        for (var span = 0; span < 400; span += 7)
            for (var offset = 0; offset < 7; offset++)
            {
                var from = start.AddDays(offset);
                var to = from.AddDays(span + offset % 3);
                var slow = Enumerable.Range(1, to.DayNumber - from.DayNumber).Count(d => TelAviv.IsWorkingDay(from.AddDays(d)));
                Assert.Equal(slow, TelAviv.BusinessDaysBetween(from, to));
            }
    }

    [Fact]
    public void Percentiles_interpolate_between_the_closest_ranks()
    {
        (int, int)[] histogram = [(1, 1), (2, 1), (3, 1), (10, 1)];
        Assert.Equal(2.5, Percentiles.Of(histogram, 0.5));
        Assert.Equal(7.9, Percentiles.Of(histogram, 0.9)!.Value, 6);
        Assert.Equal(4, Percentiles.Of([(4, 3)], 0.9));
        Assert.Null(Percentiles.Of([], 0.5));
    }

    [Fact]
    public async Task An_overdue_query_is_escalated_to_the_site_monitor_once_and_the_aging_report_counts_it()
    {
        // Friday 5 June 2026, 16:00 in Berlin: due five business days later, Friday 12 June, overdue from 22:00 UTC.
        await using var f = await QueryFixture.CreateAsync(new DateTimeOffset(2026, 6, 5, 14, 0, 0, TimeSpan.Zero));
        var query = await f.RaiseAtBerlinAsync();
        Assert.Equal(new DateOnly(2026, 6, 12), query.DueDate);

        f.Database.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 12, 21, 59, 0, TimeSpan.Zero));
        Assert.Empty(await f.AsAsync(Actor.System("tests"), db => f.Service.EscalateOverdueAsync(db)));
        f.Database.Clock.SetUtcNow(new DateTimeOffset(2026, 6, 12, 22, 0, 0, TimeSpan.Zero));
        var escalated = await f.AsAsync(Actor.System("tests"), db => f.Service.EscalateOverdueAsync(db));
        var again = await f.AsAsync(Actor.System("tests"), db => f.Service.EscalateOverdueAsync(db));

        Assert.Single(escalated);
        Assert.Empty(again);
        var monitorSees = await f.AsAsync(f.BerlinMonitor, db => Task.FromResult(db.QueryNotifications.Where(n => n.RecipientRole == "Monitor").Select(n => n.Title).ToList()));
        Assert.Equal([$"Overdue query {query.Reference}: Venous series missing"], monitorSees);
        Assert.Equal(1, await f.AsAsync(Actor.System("tests"), db => Task.FromResult(db.AuditEvents.Count(e => e.Action == "QueryEscalated"))));

        var report = await f.AsAsync(QueryFixture.QcLead, db => QueryAging.ComputeAsync(db, f.Database.Clock.GetUtcNow().UtcDateTime));
        var berlin = report.Sites.Single(s => s.SiteNumber == "101");
        Assert.Equal((1, 1, 1, 5.0), (berlin.Open, berlin.Overdue, berlin.Escalated, berlin.MedianDaysOpen!.Value));
        Assert.Equal(0, report.Sites.Single(s => s.SiteNumber == "201").Open);
    }
}
