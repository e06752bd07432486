namespace TrialFlow.Intake.Tests.Pipeline;

public sealed class VisitMatcherTests
{
    private readonly Trial _trial = new("TF-1", "Sponsor", "Trial");
    private readonly VisitDefinition _baseline;
    private readonly VisitDefinition _week6;
    private readonly VisitDefinition _week12;

    public VisitMatcherTests()
    {
        _baseline = _trial.AddVisit("BASELINE", "Baseline", 0, 28, 0);
        _week6 = _trial.AddVisit("WK06", "Week 6", 42, 7, 7);
        _week12 = _trial.AddVisit("WK12", "Week 12", 84, 7, 7);
    }

    [Fact]
    public void A_scan_within_a_window_matches_that_visit()
    {
        var subject = SubjectWithBaseline(new DateOnly(2026, 3, 2));

        var match = VisitMatcher.Match(_trial.VisitSchedule, subject.Visits, new DateOnly(2026, 4, 16)); // day 45

        Assert.Same(_week6, match.Definition);
        Assert.Null(match.Existing);
    }

    [Fact]
    public void A_scan_between_windows_is_not_guessed_and_says_which_study_day_it_is()
    {
        var subject = SubjectWithBaseline(new DateOnly(2026, 3, 2));

        var match = VisitMatcher.Match(_trial.VisitSchedule, subject.Visits, new DateOnly(2026, 4, 25)); // day 54

        Assert.False(match.IsMatched);
        Assert.Contains("study day 54", match.Problem);
    }

    [Fact]
    public void Without_a_baseline_the_first_scan_becomes_the_baseline()
    {
        var subject = new Subject(_trial.Id, Guid.NewGuid(), "101-009");

        var match = VisitMatcher.Match(_trial.VisitSchedule, subject.Visits, new DateOnly(2026, 5, 1));

        Assert.Same(_baseline, match.Definition);
    }

    [Fact]
    public void A_repeat_scan_on_the_baseline_date_matches_the_existing_baseline_visit()
    {
        var subject = SubjectWithBaseline(new DateOnly(2026, 3, 2));

        var match = VisitMatcher.Match(_trial.VisitSchedule, subject.Visits, new DateOnly(2026, 3, 2));

        Assert.Same(_baseline, match.Definition);
        Assert.Same(subject.Visits[0], match.Existing);
    }

    [Fact]
    public void A_scan_without_a_date_needs_an_explicit_visit()
    {
        var match = VisitMatcher.Match(_trial.VisitSchedule, SubjectWithBaseline(new DateOnly(2026, 3, 2)).Visits, null);

        Assert.Contains("no Study Date", match.Problem);
        Assert.NotNull(_week12);
    }

    private Subject SubjectWithBaseline(DateOnly date)
    {
        var subject = new Subject(_trial.Id, Guid.NewGuid(), "101-001", SubjectStatus.Enrolled);
        subject.AddVisit(_baseline, date);
        return subject;
    }
}
