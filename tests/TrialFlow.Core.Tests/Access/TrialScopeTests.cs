namespace TrialFlow.Core.Tests.Access;

/// <summary>Two trials on one installation: what a person of one trial sees and may change of the other.</summary>
public sealed class TrialScopeTests
{
    private static Actor StudyManagerOf(SmallTrial trial) =>
        new("u-sm-a", "Sam Study-Manager", TrialFlowRoles.StudyManager, SiteScope.Of([trial.Trial.Id], [trial.Berlin.Id, trial.Paris.Id]));

    [Fact]
    public async Task A_study_manager_of_one_trial_sees_nothing_of_the_other()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        SmallTrial a, b;
        await using (var db = database.Context(Actor.System("tests")))
        {
            a = await SmallTrial.SaveAsync(db, "TF-A");
            b = await SmallTrial.SaveAsync(db, "TF-B");
        }

        await using var aDb = database.Context(StudyManagerOf(a));

        Assert.Equal(["TF-A"], await aDb.Trials.Select(t => t.ProtocolId).ToListAsync());
        Assert.All(await aDb.VisitDefinitions.ToListAsync(), v => Assert.Equal(a.Trial.Id, v.TrialId));
        Assert.Equal(2, await aDb.VisitDefinitions.CountAsync());
        Assert.All(await aDb.Subjects.ToListAsync(), s => Assert.Equal(a.Trial.Id, s.TrialId));
        Assert.Null(await aDb.Trials.FirstOrDefaultAsync(t => t.Id == b.Trial.Id));
        Assert.Null(await aDb.Sites.FirstOrDefaultAsync(s => s.Id == b.Berlin.Id));
    }

    [Fact]
    public async Task A_blinded_reader_sees_their_trial_but_no_site_of_it()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        SmallTrial a, b;
        await using (var db = database.Context(Actor.System("tests")))
        {
            a = await SmallTrial.SaveAsync(db, "TF-A");
            b = await SmallTrial.SaveAsync(db, "TF-B");
        }

        await using var readerDb = database.Context(new Actor("u-reader-b", "Rita Reader", TrialFlowRoles.Reader, SiteScope.Of([b.Trial.Id], [])));

        Assert.Equal(["TF-B"], await readerDb.Trials.Select(t => t.ProtocolId).ToListAsync());
        Assert.Empty(await readerDb.Sites.ToListAsync());
        Assert.Empty(await readerDb.Subjects.ToListAsync());
    }

    [Fact]
    public async Task A_study_manager_cannot_add_to_another_trials_schedule_and_nothing_is_saved()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        SmallTrial a, b;
        await using (var db = database.Context(Actor.System("tests")))
        {
            a = await SmallTrial.SaveAsync(db, "TF-A");
            b = await SmallTrial.SaveAsync(db, "TF-B");
        }

        Trial other;
        await using (var system = database.Context(Actor.System("tests")))
            other = await system.Trials.Include(t => t.VisitSchedule).AsNoTracking().SingleAsync(t => t.Id == b.Trial.Id);
        await using var aDb = database.Context(StudyManagerOf(a));
        aDb.Attach(other);
        other.AddVisit("WK99", "Week 99", 693, 7, 7);

        var denied = await Assert.ThrowsAsync<TrialAccessDeniedException>(() => aDb.SaveChangesAsync());
        Assert.Equal(b.Trial.Id, denied.TrialId);
        await using var check = database.Context(Actor.System("tests"));
        Assert.False(await check.VisitDefinitions.AnyAsync(v => v.VisitKey == "WK99"));
    }

    [Fact]
    public async Task A_study_manager_who_creates_a_trial_fills_its_schedule_in_the_same_save()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        SmallTrial a;
        await using (var db = database.Context(Actor.System("tests")))
            a = await SmallTrial.SaveAsync(db, "TF-A");

        await using var aDb = database.Context(StudyManagerOf(a));
        var created = new Trial("TF-NEW", "Sponsor", "A new trial");
        created.AddVisit("BASELINE", "Baseline", 0, 28, 0);
        aDb.Trials.Add(created);
        await aDb.SaveChangesAsync();

        await using var check = database.Context(Actor.System("tests"));
        Assert.Equal(1, await check.VisitDefinitions.CountAsync(v => v.TrialId == created.Id));
    }
}
