using TrialFlow.Review.Assignment;

namespace TrialFlow.Review.Tests.Assignment;

public sealed class ReaderAssignmentRulesTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);
    private static readonly Guid SiteA = Guid.NewGuid();
    private static readonly Guid SiteB = Guid.NewGuid();

    private static ReaderCandidate Reader(string id, int open = 0, Guid? site = null, DateOnly? qualified = null, bool active = true) =>
        new(id, qualified ?? new DateOnly(2026, 1, 1), active, site is { } s ? new HashSet<Guid> { s } : new HashSet<Guid>(), open);

    private static AssignmentRequest For(Guid site, IReadOnlyDictionary<int, string>? previous = null, int readers = 2, params string[] excluded) =>
        new(site, readers, previous ?? new Dictionary<int, string>(), excluded, Today);

    [Fact]
    public void Two_readers_with_the_fewest_open_tasks_are_chosen()
    {
        var decision = ReaderAssignmentRules.Choose(For(SiteA), [Reader("r1", open: 5), Reader("r2", open: 1), Reader("r3", open: 2)]);
        Assert.Equal([(1, "r2"), (2, "r3")], decision.Slots.Select(s => (s.Slot, s.UserId)));
        Assert.True(decision.IsComplete);
    }

    [Fact]
    public void A_reader_never_reads_a_subject_of_their_own_site()
    {
        var decision = ReaderAssignmentRules.Choose(For(SiteA), [Reader("r1", site: SiteA), Reader("r2", open: 9, site: SiteB), Reader("r3", open: 7)]);
        Assert.DoesNotContain(decision.Slots, s => s.UserId == "r1");
    }

    [Fact]
    public void The_same_readers_keep_the_subject_in_their_slots_across_timepoints_even_when_busier()
    {
        var decision = ReaderAssignmentRules.Choose(For(SiteA, new Dictionary<int, string> { [1] = "busy1", [2] = "busy2" }),
            [Reader("busy1", open: 40), Reader("busy2", open: 30), Reader("idle", open: 0)]);
        Assert.Equal([(1, "busy1"), (2, "busy2")], decision.Slots.Select(s => (s.Slot, s.UserId)));
    }

    [Fact]
    public void A_previous_reader_who_left_the_pool_is_replaced_in_their_slot_only()
    {
        var decision = ReaderAssignmentRules.Choose(For(SiteA, new Dictionary<int, string> { [1] = "gone", [2] = "r2" }),
            [Reader("gone", active: false), Reader("r2", open: 3), Reader("r3", open: 4)]);
        Assert.Equal([(1, "r3"), (2, "r2")], decision.Slots.Select(s => (s.Slot, s.UserId)));
    }

    [Fact]
    public void Only_readers_qualified_by_today_are_assigned_and_a_short_pool_says_what_is_missing()
    {
        var decision = ReaderAssignmentRules.Choose(For(SiteA), [Reader("r1"), Reader("trainee", qualified: Today.AddDays(1)), new ReaderCandidate("untrained", null, true, new HashSet<Guid>(), 0)]);
        Assert.Equal(["r1"], decision.Slots.Select(s => s.UserId));
        Assert.Contains("1 of 2 reader slot(s) could not be filled", decision.Shortfall);
        Assert.Contains("2 not (yet) qualified", decision.Shortfall);
    }

    [Fact]
    public void A_reader_added_mid_study_takes_new_work_by_load_and_a_reassignment_excludes_the_replaced_reader()
    {
        var pool = new List<ReaderCandidate> { Reader("r1", open: 10), Reader("r2", open: 10) };
        pool.Add(Reader("newcomer", open: 0));
        Assert.Contains(ReaderAssignmentRules.Choose(For(SiteB), pool).Slots, s => s.UserId == "newcomer");

        var reassigned = ReaderAssignmentRules.Choose(For(SiteB, readers: 1, excluded: "newcomer"), pool);
        Assert.Equal("r1", Assert.Single(reassigned.Slots).UserId);
    }

    [Fact]
    public void Balancing_spreads_a_batch_evenly_across_the_pool()
    {
        var open = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0, ["c"] = 0, ["d"] = 0 };
        for (var i = 0; i < 40; i++)
        {
            var decision = ReaderAssignmentRules.Choose(For(Guid.NewGuid()), open.Select(kv => Reader(kv.Key, kv.Value)).ToList());
            foreach (var slot in decision.Slots)
                open[slot.UserId]++;
        }
        Assert.All(open.Values, n => Assert.Equal(20, n));
    }
}
