namespace TrialFlow.Core.Tests.Access;

public sealed class SiteScopeTests
{
    [Fact]
    public async Task A_site_user_sees_only_records_of_their_own_site()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        SmallTrial trial;
        await using (var db = database.Context(Actors.StudyManager))
            trial = await SmallTrial.SaveAsync(db);

        await using var siteDb = database.Context(Actors.SiteUserOf(trial.Berlin));

        Assert.Equal(["101-001"], await siteDb.Subjects.Select(s => s.SubjectKey).ToListAsync());
        Assert.Equal(["101"], await siteDb.Sites.Select(s => s.SiteNumber).ToListAsync());
        Assert.Null(await siteDb.Subjects.FirstOrDefaultAsync(s => s.Id == trial.ParisSubject.Id));
        Assert.All(await siteDb.Visits.ToListAsync(), v => Assert.Equal(trial.Berlin.Id, v.SiteId));
    }

    [Fact]
    public async Task A_site_user_cannot_create_a_subject_at_another_site_and_nothing_is_saved()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        SmallTrial trial;
        await using (var db = database.Context(Actors.StudyManager))
            trial = await SmallTrial.SaveAsync(db);

        await using var siteDb = database.Context(Actors.SiteUserOf(trial.Berlin));
        siteDb.Subjects.Add(new Subject(trial.Trial.Id, trial.Paris.Id, "201-002"));

        var denied = await Assert.ThrowsAsync<SiteAccessDeniedException>(() => siteDb.SaveChangesAsync());
        Assert.Equal(trial.Paris.Id, denied.SiteId);
        await using var check = database.Context(Actors.StudyManager);
        Assert.False(await check.Subjects.AnyAsync(s => s.SubjectKey == "201-002"));
    }

    [Fact]
    public async Task A_caller_without_sites_sees_nothing()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await using (var db = database.Context(Actors.StudyManager))
            await SmallTrial.SaveAsync(db);

        await using var anonymous = database.Context(Actor.Anonymous);

        Assert.Empty(await anonymous.Subjects.ToListAsync());
        Assert.Empty(await anonymous.Sites.ToListAsync());
    }
}
