using Microsoft.Extensions.Logging.Abstractions;

namespace TrialFlow.Queries.Tests;

/// <summary>A migrated database with the small trial (Berlin 101, Paris 201) and the query service on the test clock.</summary>
internal sealed class QueryFixture : IAsyncDisposable
{
    private QueryFixture(TestDatabase database, SmallTrial trial)
    {
        Database = database;
        Trial = trial;
        Service = new QueryService(database.Clock, [], NullLogger<QueryService>.Instance);
    }

    public TestDatabase Database { get; }

    public SmallTrial Trial { get; }

    public QueryService Service { get; }

    public static Actor QcLead { get; } = new("u-qc", "Quinn QC-Lead", TrialFlowRoles.QcLead, SiteScope.Unrestricted);

    public static Actor Inspector { get; } = new("u-insp", "Ines Inspector", TrialFlowRoles.Inspector, SiteScope.Unrestricted);

    public Actor BerlinSiteUser => Actors.SiteUserOf(Trial.Berlin);

    public Actor ParisSiteUser => Actors.SiteUserOf(Trial.Paris);

    public Actor BerlinMonitor => new("u-mon", "Mona Monitor", TrialFlowRoles.Monitor, SiteScope.Of([Trial.Berlin.TrialId], [Trial.Berlin.Id]));

    public static async Task<QueryFixture> CreateAsync(DateTimeOffset? now = null)
    {
        var database = await TestDatabase.CreateSqliteAsync();
        if (now is { } at)
            database.Clock.SetUtcNow(at);
        await using var db = database.Context(Actor.System("tests"));
        return new QueryFixture(database, await SmallTrial.SaveAsync(db));
    }

    public TrialFlowDbContext Db(Actor actor) => Database.Context(actor);

    public async Task<Query> RaiseAtBerlinAsync(QueryPriority priority = QueryPriority.Normal, Actor? by = null)
    {
        await using var db = Db(by ?? QcLead);
        return await Service.RaiseAsync(db, Trial.Berlin.Id, new QueryDraft(QueryCategory.MissingSeries, "Venous series missing", "The portal venous series of the baseline CT did not arrive; please send it.")
        {
            SubjectId = Trial.BerlinSubject.Id,
            Priority = priority,
        });
    }

    public async Task<T> AsAsync<T>(Actor actor, Func<TrialFlowDbContext, Task<T>> action)
    {
        await using var db = Db(actor);
        return await action(db);
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
