namespace TrialFlow.Benchmarks.Queries;

/// <summary>
/// The query inbox and the aging dashboard over 20 sites × 5,000 queries on SQLite: server-side time per page (the
/// database work and the age arithmetic a page does), p50 and p95. The peer is the same page done naively: every visible
/// query loaded, then filtered, ordered, paged and aged in memory.
/// </summary>
public sealed class QueryBenchmark() : Benchmark("queries", "query inbox and aging dashboard, 20 sites × 5,000 queries on SQLite (p50/p95 per page; peer: load all, filter in memory)")
{
    public override async Task RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var sites = BenchmarkArgs.Int(args, 0, 20);
        var perSite = BenchmarkArgs.Int(args, 1, 5000);
        var iterations = BenchmarkArgs.Int(args, 2, 30);
        using var folder = new BenchmarkFolder("queries");
        var database = folder.Database;
        var now = new DateTime(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc);
        var setup = Stopwatch.StartNew();
        var siteIds = await QueryWorkload.CreateAsync(database, sites, perSite, now, cancellationToken);
        Console.WriteLine($"{sites} sites × {perSite:N0} queries written in {setup.Elapsed.TotalSeconds:F1} s; {iterations} timed runs per page after 3 warm-ups");
        Console.WriteLine();

        var cro = new Actor("u-dm", "Dana Data-Manager", TrialFlowRoles.DataManager, SiteScope.Unrestricted);
        Guid trialId;
        await using (var db = DatabaseServiceCollectionExtensions.CreateContext(database, Actor.System("bench")))
            trialId = await db.Sites.Where(s => s.Id == siteIds[0]).Select(s => s.TrialId).SingleAsync(cancellationToken);
        var siteUser = new Actor("u-site", "Sigrid Site", TrialFlowRoles.SiteUser, SiteScope.Of([trialId], [siteIds[0]]));
        var cases = new (string Page, Actor Actor, Func<TrialFlowDbContext, Task> Ours, Func<TrialFlowDbContext, Task> Naive)[]
        {
            ("inbox, site user (own site), first page", siteUser,
                db => QueryInbox.PageAsync(db, new QueryInboxFilter(), now, cancellationToken),
                db => NaiveQueries.InboxAsync(db, new QueryInboxFilter(), now, cancellationToken)),
            ("inbox, CRO (all sites), first page", cro,
                db => QueryInbox.PageAsync(db, new QueryInboxFilter(), now, cancellationToken),
                db => NaiveQueries.InboxAsync(db, new QueryInboxFilter(), now, cancellationToken)),
            ("inbox, CRO, one site, overdue only", cro,
                db => QueryInbox.PageAsync(db, new QueryInboxFilter { SiteId = siteIds[Math.Min(3, siteIds.Count - 1)], OverdueOnly = true }, now, cancellationToken),
                db => NaiveQueries.InboxAsync(db, new QueryInboxFilter { SiteId = siteIds[Math.Min(3, siteIds.Count - 1)], OverdueOnly = true }, now, cancellationToken)),
            ("inbox, CRO, page 100 (rows 2,476–2,500)", cro,
                db => QueryInbox.PageAsync(db, new QueryInboxFilter { Page = 99 }, now, cancellationToken),
                db => NaiveQueries.InboxAsync(db, new QueryInboxFilter { Page = 99 }, now, cancellationToken)),
            ("aging dashboard (aging + sponsor metrics), CRO", cro,
                async db => { await QueryAging.ComputeAsync(db, now, cancellationToken); await QueryMetrics.ComputeAsync(db, cancellationToken); },
                db => NaiveQueries.DashboardAsync(db, now, cancellationToken)),
        };

        MarkdownTable.Header("page", "TrialFlow p50", "TrialFlow p95", "naive p50", "naive p95", "naive / TrialFlow (p95)");
        foreach (var (page, actor, ours, naive) in cases)
        {
            var us = await TimeAsync(database, actor, ours, iterations);
            var peer = await TimeAsync(database, actor, naive, Math.Max(5, iterations / 3));
            Console.WriteLine($"| {page} | {us.P50:F1} ms | {us.P95:F1} ms | {peer.P50:F1} ms | {peer.P95:F1} ms | {peer.P95 / us.P95:F1} |");
        }
    }

    // A fresh context per run, as a request or a Blazor event gets one.
    private static async Task<(double P50, double P95)> TimeAsync(DatabaseOptions database, Actor actor, Func<TrialFlowDbContext, Task> page, int iterations)
    {
        var times = new List<double>();
        for (var i = -3; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            await using (var db = DatabaseServiceCollectionExtensions.CreateContext(database, actor))
                await page(db);
            if (i >= 0)
                times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (Percentile(times, 0.5), Percentile(times, 0.95));
    }

    private static double Percentile(List<double> sorted, double p)
    {
        var position = (sorted.Count - 1) * p;
        var lower = (int)Math.Floor(position);
        return lower + 1 < sorted.Count ? sorted[lower] + (sorted[lower + 1] - sorted[lower]) * (position - lower) : sorted[lower];
    }
}
