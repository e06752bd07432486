using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;

namespace TrialFlow.Web.Queries;

/// <summary>
/// A handful of demo queries so the inbox and the aging dashboard are not empty on a fresh `dotnet run`: raised over the
/// last weeks at every site, some answered, one reopened, one resolved and closed. Written through the query service
/// (so they are audited like any other) with its clock set back to each query's raising time; actors are <c>seed:demo</c>.
/// </summary>
internal static class QueryDemoSeeder
{
    private sealed record Demo(int SiteIndex, int DaysAgo, QueryCategory Category, QueryPriority Priority, string Title, string Text, string Path);

    private static readonly Demo[] Demos =
    [
        new(0, 16, QueryCategory.MissingSeries, QueryPriority.Normal, "Portal venous series missing at week 6", "Only the localizer arrived for the week 6 CT. Please send the portal venous series.", "open"),
        new(0, 9, QueryCategory.QcFailure, QueryPriority.High, "Slice thickness 7.5 mm at baseline", "The baseline CT was reconstructed at 7.5 mm; the imaging manual requires 5 mm or less. Please send a thin reconstruction.", "answered"),
        new(0, 3, QueryCategory.ProtocolDeviation, QueryPriority.Normal, "Contrast timing outside the window", "The venous phase started 140 s after injection (protocol: 60–90 s). Please confirm the injection time.", "open"),
        new(1, 12, QueryCategory.WrongSubject, QueryPriority.Critical, "Study sent under the wrong subject", "The week 12 study arrived with Patient ID 102-003 but shows a different anatomy than baseline. Please check the subject.", "reopened"),
        new(1, 20, QueryCategory.QcFailure, QueryPriority.Normal, "Missing DICOM attribute: Slice Thickness", "Series 3 lacks Slice Thickness (0018,0050). Please resend from the modality.", "closed"),
        new(2, 6, QueryCategory.Other, QueryPriority.Normal, "Scanner not qualified for the trial", "The study was acquired on a scanner that is not on the site's qualification list. Which scanner was used?", "open"),
        new(2, 1, QueryCategory.MissingSeries, QueryPriority.High, "Chest series missing at baseline", "The chest coverage series did not arrive. Please send it.", "open"),
    ];

    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var database = services.GetRequiredService<DatabaseOptions>();
        var time = services.GetRequiredService<TimeProvider>();
        var system = Actor.System("startup");
        await using (var check = DatabaseServiceCollectionExtensions.CreateContext(database, system, time))
            if (await check.Queries.AnyAsync(cancellationToken))
                return;
        List<Core.Trials.Site> sites;
        await using (var read = DatabaseServiceCollectionExtensions.CreateContext(database, system, time))
            sites = await read.Sites.AsNoTracking().OrderBy(s => s.SiteNumber).ToListAsync(cancellationToken);
        if (sites.Count == 0)
            return;

        var lead = new Actor("seed:demo", "Quinn QC-Lead (demo data)", TrialFlowRoles.QcLead, SiteScope.Unrestricted);
        foreach (var demo in Demos)
        {
            var site = sites[demo.SiteIndex % sites.Count];
            var siteUser = new Actor("seed:demo", $"Site {site.SiteNumber} coordinator (demo data)", TrialFlowRoles.SiteUser, SiteScope.Of([site.TrialId], [site.Id]));
            var raisedAt = time.GetUtcNow().AddDays(-demo.DaysAgo);
            var at = new MovableClock(raisedAt);
            var queries = new QueryService(at, [], Microsoft.Extensions.Logging.Abstractions.NullLogger<QueryService>.Instance);
            Query query;
            await using (var db = DatabaseServiceCollectionExtensions.CreateContext(database, lead, at))
                query = await queries.RaiseAsync(db, site.Id, new QueryDraft(demo.Category, demo.Title, demo.Text) { Priority = demo.Priority }, cancellationToken);
            if (demo.Path == "open")
                continue;
            at.Now = raisedAt.AddDays(Math.Max(1, demo.DaysAgo / 3));
            await using (var db = DatabaseServiceCollectionExtensions.CreateContext(database, siteUser, at))
                await queries.AnswerAsync(db, query.Id, "Checked with the technologist; details attached in the resend.", cancellationToken: cancellationToken);
            if (demo.Path == "answered")
                continue;
            at.Now = at.Now.AddDays(1);
            await using (var db = DatabaseServiceCollectionExtensions.CreateContext(database, lead, at))
            {
                if (demo.Path == "reopened")
                {
                    await queries.ReopenAsync(db, query.Id, "The resend still shows the other subject's anatomy.", cancellationToken);
                    continue;
                }
                await queries.ResolveAsync(db, query.Id, "Received, QC passed.", cancellationToken);
                await queries.CloseAsync(db, query.Id, null, cancellationToken);
            }
        }
    }

    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
