using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;
using TrialFlow.Review.Domain;
using TrialFlow.Review.Forms;
using TrialFlow.Review.Service;

namespace TrialFlow.Edc.Tests.Support;

/// <summary>
/// <see cref="EdcTrial"/> with central review running for real: two qualified readers and an adjudicator with
/// passwords in Identity, the repository's RECIST form, and the review services as the API calls them — the
/// coordinator assigns readers and compares reads, readers save and sign through <see cref="ReadingService"/>, the
/// adjudicator decides through <see cref="AdjudicationService"/>. Each call runs in its own scope as its actor.
/// </summary>
public sealed class ReviewedTrial : IAsyncDisposable
{
    public const string Password = "Reviewer-pass-2026!";
    public const string Adjudicator = "u-adj";
    private static readonly Actor Coordinator = Actor.System("review-tests");
    private static readonly Actor QcLead = new("u-qc", "Quinn QC-Lead", TrialFlowRoles.QcLead, SiteScope.Unrestricted);

    private readonly ServiceProvider _services;
    private int _studies;

    private ReviewedTrial(EdcTrial edc)
    {
        Edc = edc;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TrialFlow:DataDirectory"] = edc.Directory,
            ["TrialFlow:Review:Forms"] = Repository.Path("templates", "forms"),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(edc.Clock);
        services.AddScoped<ScopeActor>();
        services.AddScoped<IActorAccessor>(sp => sp.GetRequiredService<ScopeActor>());
        services.AddTrialFlowDatabase(configuration);
        services.AddIdentityCore<TrialFlowUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<TrialFlowDbContext>();
        services.AddTrialFlowReview(configuration, edc.Directory);
        _services = services.BuildServiceProvider();
    }

    public EdcTrial Edc { get; }

    public static async Task<ReviewedTrial> CreateAsync()
    {
        var trial = new ReviewedTrial(await EdcTrial.CreateAsync());
        foreach (var (id, name, role) in new[] { ("u-rad1", "Rita Radiologist", ReviewerRole.Reader), ("u-rad2", "Rolf Radiologist", ReviewerRole.Reader), (Adjudicator, "Ada Adjudicator", ReviewerRole.Adjudicator) })
        {
            await trial.InScopeAsync(Coordinator, async sp =>
            {
                var created = await sp.GetRequiredService<UserManager<TrialFlowUser>>().CreateAsync(new TrialFlowUser { Id = id, UserName = id, DisplayName = name }, Password);
                Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
                var db = sp.GetRequiredService<TrialFlowDbContext>();
                db.ReaderQualifications.Add(new ReaderQualification(trial.Edc.TrialId, id, role, "RECIST 1.1 charter training v1", new DateOnly(2026, 1, 15)));
                await db.SaveChangesAsync("review pool for the test");
                return 0;
            });
        }
        return trial;
    }

    /// <summary>
    /// Enrols a subject at <paramref name="site"/> with its EDC baseline date and archives one CT study per timepoint:
    /// study days (from the baseline visit date) as intake takes them from the true dates, study dates shifted by
    /// −400 days as de-identification archives them. Returns the study ids by visit key.
    /// </summary>
    public async Task<Dictionary<string, Guid>> EnrolAsync(string subjectKey, string site, DateOnly baselineVisitDate, params (string VisitKey, int StudyDay)[] scans)
    {
        await using var db = Edc.Context(Coordinator);
        var subject = new Subject(Edc.TrialId, Edc.Sites[site], subjectKey, SubjectStatus.Enrolled);
        var studies = new Dictionary<string, Guid>();
        foreach (var (visitKey, day) in scans)
        {
            // The EDC dates follow-up visits the day after the scan: the scan date must not be taken from the visit.
            var visit = subject.AddVisit(Edc.Visits[visitKey], visitKey == "BASELINE" ? baselineVisitDate : baselineVisitDate.AddDays(day + 1));
            var study = new ImagingStudy(Edc.TrialId, Edc.Sites[site], subject.Id, visit.Id, $"2.25.{++_studies}", Edc.Clock.GetUtcNow().UtcDateTime);
            study.Describe(baselineVisitDate.AddDays(day - 400), "CT chest/abdomen/pelvis", day);
            study.AddSeries(study.StudyInstanceUid + ".1", "CT", 1, "Venous");
            study.Recount();
            db.Studies.Add(study);
            studies[visitKey] = study.Id;
        }
        db.Subjects.Add(subject);
        await db.SaveChangesAsync("subject for the review test");
        return studies;
    }

    /// <summary>The coordinator assigns the study's two read tasks (what the workflow's route step does).</summary>
    public Task AssignReadersAsync(Guid studyId) => InScopeAsync(Coordinator, async sp =>
    {
        var db = sp.GetRequiredService<TrialFlowDbContext>();
        var outcome = await sp.GetRequiredService<ReviewCoordinator>().AssignReadersAsync(db, studyId, CancellationToken.None);
        Assert.Null(outcome.Shortfall);
        await db.SaveChangesAsync("readers assigned");
        return 0;
    });

    /// <summary>The reader of <paramref name="slot"/> saves and signs the form with their password; fails on form errors.</summary>
    public Task<Guid> SignAsync(Guid studyId, int slot, FormData form) => AsReaderAsync(studyId, slot, async (reading, taskId, reader) =>
    {
        await reading.SaveDraftAsync(taskId, form, reader, CancellationToken.None);
        var signed = await reading.SignAsync(taskId, form, Password, reader, CancellationToken.None);
        Assert.True(signed.Errors.Count == 0, string.Join("; ", signed.Errors.Select(e => $"{e.Path}: {e.Message}")));
        return signed.Read!.ReadId;
    });

    /// <summary>The reader of <paramref name="slot"/> corrects their signed read: a new version with a reason, signed.</summary>
    public Task<Guid> CorrectAsync(Guid studyId, int slot, FormData form, string reason) => AsReaderAsync(studyId, slot, async (reading, taskId, reader) =>
    {
        await reading.CorrectAsync(taskId, reason, reader, CancellationToken.None);
        var signed = await reading.SignAsync(taskId, form, Password, reader, CancellationToken.None);
        Assert.True(signed.Errors.Count == 0, string.Join("; ", signed.Errors.Select(e => $"{e.Path}: {e.Message}")));
        return signed.Read!.ReadId;
    });

    /// <summary>The reader of <paramref name="slot"/> saves a draft and does not sign it.</summary>
    public Task<Guid> SaveDraftAsync(Guid studyId, int slot, FormData form) => AsReaderAsync(studyId, slot, async (reading, taskId, reader) =>
        (await reading.SaveDraftAsync(taskId, form, reader, CancellationToken.None)).Read!.ReadId);

    /// <summary>The coordinator compares the two signed reads (the workflow's compare step); returns the adjudication it opened, if any.</summary>
    public Task<Guid?> CompareAsync(Guid studyId) => InScopeAsync(Coordinator, async sp =>
    {
        var db = sp.GetRequiredService<TrialFlowDbContext>();
        var outcome = await sp.GetRequiredService<ReviewCoordinator>().CompareAsync(db, studyId, CancellationToken.None);
        await db.SaveChangesAsync("reads compared");
        return outcome.Adjudication?.Id;
    });

    /// <summary>The adjudicator accepts the read of <paramref name="slot"/>, with a rationale and their password.</summary>
    public async Task DecideAsync(Guid adjudicationId, Guid studyId, int slot, string rationale)
    {
        var accepted = await InScopeAsync(Coordinator, async sp =>
        {
            var db = sp.GetRequiredService<TrialFlowDbContext>();
            var task = await db.ReadTasks.SingleAsync(t => t.StudyId == studyId && t.Slot == slot);
            return await db.Reads.Where(r => r.ReadTaskId == task.Id && r.Status == ReadStatus.Signed).Select(r => r.Id).SingleAsync();
        });
        var adjudicator = new Actor(Adjudicator, "Ada Adjudicator", TrialFlowRoles.Adjudicator, SiteScope.Of([Edc.TrialId], []));
        await InScopeAsync(adjudicator, async sp =>
            await sp.GetRequiredService<AdjudicationService>().DecideAsync(adjudicationId, accepted, rationale, Password, adjudicator, CancellationToken.None));
    }

    /// <summary>The QC lead raises a query on the study; when <paramref name="withdraw"/>, cancels it again (no longer open).</summary>
    public async Task RaiseQueryAsync(Guid studyId, string title, bool withdraw)
    {
        var queries = new QueryService(Edc.Clock, [], NullLogger<QueryService>.Instance);
        await using var db = Edc.Context(QcLead);
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == studyId);
        var query = await queries.RaiseAsync(db, study.SiteId, new QueryDraft(QueryCategory.QcFailure, title, "Please check and resend.") { StudyId = studyId, SubjectId = study.SubjectId });
        if (withdraw)
            await queries.CancelAsync(db, query.Id, "Raised on the wrong study.");
    }

    public async Task<T> InScopeAsync<T>(Actor actor, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ScopeActor>().Current = actor;
        return await work(scope.ServiceProvider);
    }

    private async Task<T> AsReaderAsync<T>(Guid studyId, int slot, Func<ReadingService, Guid, Actor, Task<T>> work)
    {
        var task = await InScopeAsync(Coordinator, sp => sp.GetRequiredService<TrialFlowDbContext>().ReadTasks.AsNoTracking().SingleAsync(t => t.StudyId == studyId && t.Slot == slot));
        var reader = new Actor(task.ReaderUserId, task.ReaderUserId, TrialFlowRoles.Reader, SiteScope.Of([Edc.TrialId], []));
        Edc.Clock.Advance(TimeSpan.FromMinutes(7));
        return await InScopeAsync(reader, sp => work(sp.GetRequiredService<ReadingService>(), task.Id, reader));
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Edc.DisposeAsync();
    }

    /// <summary>The actor of one scope, set before the scope's services are used (what the host does per request).</summary>
    private sealed class ScopeActor : IActorAccessor
    {
        public Actor Current { get; set; } = Actor.Anonymous;
    }
}
