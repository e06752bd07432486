using TrialFlow.Review.Service;

namespace TrialFlow.Web.Tests.Review;

/// <summary>Three readers per timepoint: any dissent goes to the adjudicator, who sees all three reads and may accept the third.</summary>
[Collection(AppCollection.Name)]
public sealed class ThreeReaderAdjudicationTests(TrialFlowApp app)
{
    private static readonly string[] Readers = ["t-reader", "t-reader-b", "t-reader-c"];

    [Fact]
    public async Task A_dissenting_third_reader_opens_an_adjudication_showing_reads_A_B_and_C_and_the_adjudicator_accepts_C()
    {
        await EnsureReadersAsync();
        var subjectId = Guid.NewGuid();
        var baseline = await TimepointAsync(subjectId, "Baseline", new DateOnly(2026, 3, 2));
        var week6 = await TimepointAsync(subjectId, "Week 6", new DateOnly(2026, 4, 13));
        // Everyone: T1 liver 40 mm at baseline. Week 6: 20 and 21 mm (PR) for A and B, 45 mm (SD) for C.
        foreach (var (reader, baselineTask, week6Task, mm) in Readers.Select((r, i) => (r, baseline.Tasks[i], week6.Tasks[i], new[] { "20", "21", "45" }[i])))
        {
            using var client = await app.ClientAsync(reader);
            (await client.PostAsJsonAsync($"/api/review/tasks/{baselineTask}/sign", new { form = Liver("40"), password = TrialFlowApp.Password })).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync($"/api/review/tasks/{week6Task}/sign", new { form = Liver(mm), password = TrialFlowApp.Password })).EnsureSuccessStatusCode();
        }
        Assert.Null(await CompareAsync(baseline.StudyId));
        var adjudication = await CompareAsync(week6.StudyId);
        Assert.NotNull(adjudication);
        Assert.Equal("OverallResponse: PR vs PR vs SD", adjudication.Differences);
        await GiveToTestAdjudicatorAsync(adjudication.Id);

        using var adjudicator = await app.ClientAsync("t-adjudicator");
        var text = await adjudicator.GetStringAsync($"/api/review/adjudications/{adjudication.Id}");
        Assert.DoesNotContain("Test Reader", text);
        using var view = JsonDocument.Parse(text);
        var sides = view.RootElement.GetProperty("sides").EnumerateArray()
            .Select(s => (Label: s.GetProperty("label").GetString(), ReadId: s.GetProperty("readId").GetGuid(), Response: s.GetProperty("computed").GetProperty("overallResponse").GetString()))
            .ToList();
        Assert.Equal([("A", "PR"), ("B", "PR"), ("C", "SD")], sides.Select(s => (s.Label, s.Response)));
        Assert.Contains("Read C", await adjudicator.GetStringAsync($"/review/adjudications/{adjudication.Id}"));

        var baselineRead = await app.QueryAsync(db => db.Reads.Where(r => r.ReadTaskId == baseline.Tasks[2]).Select(r => r.Id).SingleAsync());
        var notCompared = await adjudicator.PostAsJsonAsync($"/api/review/adjudications/{adjudication.Id}/decision",
            new { acceptedReadId = baselineRead, rationale = "wrong read", password = TrialFlowApp.Password });
        Assert.Equal(HttpStatusCode.BadRequest, notCompared.StatusCode);
        Assert.Contains("is not one of the 3 reads", await notCompared.Content.ReadAsStringAsync());

        (await adjudicator.PostAsJsonAsync($"/api/review/adjudications/{adjudication.Id}/decision",
            new { acceptedReadId = sides[2].ReadId, rationale = "C measured the long axis; A and B the short one.", password = TrialFlowApp.Password })).EnsureSuccessStatusCode();
        var accepted = await app.QueryAsync(db => db.Reads.Where(r => sides.Select(s => s.ReadId).Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.IsAccepted));
        Assert.Equal([false, false, true], sides.Select(s => accepted[s.ReadId]));
    }

    private static object Liver(string mm) => new
    {
        fields = new Dictionary<string, string> { ["imageQuality"] = "Adequate" },
        groups = new Dictionary<string, object[]>
        {
            ["targetLesions"] = [new Dictionary<string, string> { ["lesionId"] = "T1", ["organ"] = "Liver", ["status"] = "Measured", ["diameterMm"] = mm }],
        },
    };

    /// <summary>A completed study of a subject of its own (a fresh id) read by the three readers in slots 1–3.</summary>
    private async Task<(Guid StudyId, List<Guid> Tasks)> TimepointAsync(Guid subjectId, string timepoint, DateOnly scanDate)
    {
        var readerIds = new List<string>();
        foreach (var name in Readers)
            readerIds.Add(await app.QueryAsync(db => db.Users.Where(u => u.UserName == name).Select(u => u.Id).SingleAsync()));
        return await app.QueryAsync(async db =>
        {
            var site = await db.Subjects.Where(s => s.SubjectKey == "102-001").Select(s => new { s.TrialId, s.SiteId, s.Id }).SingleAsync();
            var uid = $"2.25.{Random.Shared.NextInt64(1, long.MaxValue)}";
            var study = new ImagingStudy(site.TrialId, site.SiteId, site.Id, null, uid, DateTime.UtcNow);
            study.Describe(scanDate, "CT", 0);
            study.MarkComplete(DateTime.UtcNow);
            db.Studies.Add(study);
            var tasks = readerIds.Select((reader, i) => new ReadTask(site.TrialId, study.Id, subjectId, site.SiteId, timepoint, scanDate, i + 1, reader, DateTime.UtcNow, DateTime.UtcNow.AddDays(10))).ToList();
            db.ReadTasks.AddRange(tasks);
            await db.SaveChangesAsync();
            return (study.Id, tasks.Select(t => t.Id).ToList());
        });
    }

    /// <summary>The CompareReads step through the coordinator; null when the reads agree.</summary>
    private Task<Adjudication?> CompareAsync(Guid studyId)
    {
        var coordinator = app.Services.GetRequiredService<ReviewCoordinator>();
        return app.QueryAsync(async db =>
        {
            var outcome = await coordinator.CompareAsync(db, studyId, CancellationToken.None);
            await db.SaveChangesAsync("workflow CompareReads (test)");
            return outcome.Adjudication;
        });
    }

    /// <summary>
    /// The shared host's adjudicator pool is the demo's (whose password was printed once): the adjudication goes to the
    /// test adjudicator, as a study manager's reassignment would.
    /// </summary>
    private Task GiveToTestAdjudicatorAsync(Guid adjudicationId) => app.QueryAsync(async db =>
    {
        var adjudicator = await db.Users.Where(u => u.UserName == "t-adjudicator").Select(u => u.Id).SingleAsync();
        var adjudication = await db.Adjudications.SingleAsync(a => a.Id == adjudicationId);
        adjudication.Reassign(adjudicator, adjudication.DueAt);
        return await db.SaveChangesAsync("adjudication given to the test adjudicator");
    });

    private async Task EnsureReadersAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TrialFlow.Web.Security.HostActorAccessor>().Set(TrialFlow.Core.Access.Actor.System("tests"));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
        foreach (var (name, display) in new[] { ("t-reader-b", "Test Reader B"), ("t-reader-c", "Test Reader C") })
        {
            if (await users.FindByNameAsync(name) is not null)
                continue;
            var user = new TrialFlowUser { UserName = name, DisplayName = display };
            Assert.True((await users.CreateAsync(user, TrialFlowApp.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, TrialFlowRoles.Reader)).Succeeded);
            await app.JoinDemoTrialAsync(name);
        }
    }
}
