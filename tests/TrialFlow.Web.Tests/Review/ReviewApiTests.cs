namespace TrialFlow.Web.Tests.Review;

/// <summary>Blinding, electronic signatures, adjudication and reassignment, over the API.</summary>
[Collection(AppCollection.Name)]
public sealed class ReviewApiTests(TrialFlowApp app)
{
    private const string ReaderA = "t-reader";
    private const string ReaderB = "t-reader-b";

    private static object Baseline(string mm) => new
    {
        fields = new Dictionary<string, string> { ["imageQuality"] = "Adequate" },
        groups = new Dictionary<string, object[]>
        {
            ["targetLesions"] = [new Dictionary<string, string> { ["lesionId"] = "T1", ["organ"] = "Liver", ["status"] = "Measured", ["diameterMm"] = mm }],
        },
    };

    [Fact]
    public async Task A_reader_sees_only_their_own_task_and_gets_404_for_the_other_readers_task_and_403_for_trial_records()
    {
        var (taskA, taskB, studyUid) = await TimepointAsync();
        using var reader = await app.ClientAsync(ReaderA);

        var worklist = await reader.GetStringAsync("/api/review/tasks");
        Assert.Contains(taskA.ToString(), worklist);
        Assert.DoesNotContain(taskB.ToString(), worklist);
        Assert.DoesNotContain("102-001", worklist);
        Assert.DoesNotContain("Klinikum am See", worklist);

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/review/tasks/{taskB}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.PutAsJsonAsync($"/api/review/tasks/{taskB}/draft", Baseline("40"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.PostAsJsonAsync($"/api/review/tasks/{taskB}/sign", new { form = Baseline("40"), password = TrialFlowApp.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/review/tasks/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/api/trials/{app.TrialId}/sites")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/dicomweb/studies/{studyUid}/metadata")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/api/trials/{app.TrialId}/review/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/review/adjudications")).StatusCode);

        var own = await reader.GetStringAsync($"/api/review/tasks/{taskA}");
        Assert.Contains(studyUid, own);
        Assert.DoesNotContain("102-001", own);
        Assert.DoesNotContain(taskB.ToString(), own);
    }

    [Fact]
    public async Task A_read_is_signed_only_with_the_password_then_locked_and_corrected_as_a_new_version_with_a_reason()
    {
        var (taskA, _, _) = await TimepointAsync();
        using var reader = await app.ClientAsync(ReaderA);

        var wrong = await reader.PostAsJsonAsync($"/api/review/tasks/{taskA}/sign", new { form = Baseline("40"), password = "not-my-password" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("password", await wrong.Content.ReadAsStringAsync());
        Assert.False(await app.QueryAsync(db => db.Reads.AnyAsync(r => r.ReadTaskId == taskA && r.Status == ReadStatus.Signed)));

        var invalid = await reader.PostAsJsonAsync($"/api/review/tasks/{taskA}/sign", new { form = Baseline("8"), password = TrialFlowApp.Password });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("below 10 mm", await invalid.Content.ReadAsStringAsync());

        var signed = await reader.PostAsJsonAsync($"/api/review/tasks/{taskA}/sign", new { form = Baseline("40"), password = TrialFlowApp.Password });
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        var read = await app.QueryAsync(db => db.Reads.SingleAsync(r => r.ReadTaskId == taskA));
        var signature = await app.QueryAsync(db => db.ElectronicSignatures.SingleAsync(s => s.RecordId == read.Id));
        Assert.Equal((ReadStatus.Signed, "I confirm this assessment", "Test Reader"), (read.Status, signature.Meaning, signature.SignerName));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(read.Content))), signature.ContentSha256);
        Assert.True(await app.QueryAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "Signed" && e.EntityId == read.Id.ToString() && e.NewValues!.Contains("I confirm this assessment"))));

        Assert.Equal(HttpStatusCode.Conflict, (await reader.PutAsJsonAsync($"/api/review/tasks/{taskA}/draft", Baseline("41"))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsJsonAsync($"/api/review/tasks/{taskA}/corrections", new { reason = "T1 remeasured on the 1.25 mm series" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsJsonAsync($"/api/review/tasks/{taskA}/sign", new { form = Baseline("41"), password = TrialFlowApp.Password })).StatusCode);
        var versions = await app.QueryAsync(db => db.Reads.Where(r => r.ReadTaskId == taskA).OrderBy(r => r.Version).ToListAsync());
        Assert.Equal([(1, ReadStatus.Superseded, (string?)null), (2, ReadStatus.Signed, "T1 remeasured on the 1.25 mm series")], versions.Select(v => (v.Version, v.Status, v.CorrectionReason)));
    }

    [Fact]
    public async Task The_adjudicator_sees_both_reads_unnamed_accepts_one_with_a_rationale_and_the_metrics_count_it()
    {
        var (taskA, taskB, _) = await TimepointAsync();
        using (var a = await app.ClientAsync(ReaderA))
            (await a.PostAsJsonAsync($"/api/review/tasks/{taskA}/sign", new { form = Baseline("40"), password = TrialFlowApp.Password })).EnsureSuccessStatusCode();
        using (var b = await app.ClientAsync(ReaderB))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/api/review/tasks/{taskA}")).StatusCode);
            (await b.PostAsJsonAsync($"/api/review/tasks/{taskB}/sign", new { form = Baseline("55"), password = TrialFlowApp.Password })).EnsureSuccessStatusCode();
        }
        var adjudicationId = await OpenAdjudicationAsync(taskA, taskB);

        using var adjudicator = await app.ClientAsync("t-adjudicator");
        var view = await adjudicator.GetStringAsync($"/api/review/adjudications/{adjudicationId}");
        Assert.DoesNotContain("Test Reader", view);
        Assert.DoesNotContain("102-001", view);
        using var json = JsonDocument.Parse(view);
        var readA = json.RootElement.GetProperty("a").GetProperty("readId").GetGuid();
        Assert.Equal("40", json.RootElement.GetProperty("a").GetProperty("computed").GetProperty("sumOfDiametersMm").GetString());
        Assert.Equal("55", json.RootElement.GetProperty("b").GetProperty("computed").GetProperty("sumOfDiametersMm").GetString());

        using (var reader = await app.ClientAsync(ReaderA))
            Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/api/review/adjudications/{adjudicationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await adjudicator.PostAsJsonAsync($"/api/review/adjudications/{adjudicationId}/decision",
            new { acceptedReadId = readA, rationale = "A measured the long axis.", password = "wrong" })).StatusCode);
        (await adjudicator.PostAsJsonAsync($"/api/review/adjudications/{adjudicationId}/decision",
            new { acceptedReadId = readA, rationale = "A measured the long axis.", password = TrialFlowApp.Password })).EnsureSuccessStatusCode();

        Assert.True(await app.QueryAsync(db => db.Reads.Where(r => r.Id == readA).Select(r => r.IsAccepted).SingleAsync()));
        using var manager = await app.ClientAsync("t-studymanager");
        using var agreement = JsonDocument.Parse(await manager.GetStringAsync($"/api/trials/{app.TrialId}/review/agreement"));
        Assert.True(agreement.RootElement.GetProperty("overall").GetProperty("adjudicated").GetInt32() >= 1);
        Assert.True(agreement.RootElement.GetProperty("adjudicatorSidedWith").GetProperty("Test Reader").GetProperty("accepted").GetInt32() >= 1);
    }

    [Fact]
    public async Task A_study_manager_reassigns_with_a_reason_that_the_audit_trail_keeps_and_a_reader_cannot()
    {
        var (_, taskB, _) = await TimepointAsync();
        using (var reader = await app.ClientAsync(ReaderA))
            Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync($"/api/review/tasks/{taskB}/reassign", new { reason = "mine now" })).StatusCode);
        using var manager = await app.ClientAsync("t-studymanager");
        Assert.Equal(HttpStatusCode.BadRequest, (await manager.PostAsJsonAsync($"/api/review/tasks/{taskB}/reassign", new { readerUserName = "t-reader-c", reason = " " })).StatusCode);

        var moved = await manager.PostAsJsonAsync($"/api/review/tasks/{taskB}/reassign", new { readerUserName = "t-reader-c", reason = "Reader B on leave until March" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var readerC = await UserIdAsync("t-reader-c");
        Assert.Equal(readerC, await app.QueryAsync(db => db.ReadTasks.Where(t => t.Id == taskB).Select(t => t.ReaderUserId).SingleAsync()));
        Assert.True(await app.QueryAsync(db => db.AuditEvents.AnyAsync(e => e.EntityType == "ReadTask" && e.EntityId == taskB.ToString() && e.Reason == "Reader B on leave until March")));
        // Reader A already reads this timepoint: never both slots to one reader.
        Assert.Equal(HttpStatusCode.Conflict, (await manager.PostAsJsonAsync($"/api/review/tasks/{taskB}/reassign", new { readerUserName = ReaderA, reason = "try" })).StatusCode);
    }

    [Fact]
    public async Task The_read_page_shows_the_readers_own_task_beside_its_series_and_refuses_the_other_readers_task()
    {
        var (taskA, taskB, studyUid) = await TimepointAsync();
        using var reader = await app.ClientAsync(ReaderA);

        var worklist = await reader.GetStringAsync("/review");
        Assert.Contains($"/review/tasks/{taskA}", worklist);
        Assert.DoesNotContain($"/review/tasks/{taskB}", worklist);
        var page = await reader.GetStringAsync($"/review/tasks/{taskA}");
        Assert.Contains("read-task-images", page);
        Assert.Contains("Venous 1.25 mm", page);
        // Readers get pixels through their task only: no DICOMweb address (headers) on the page.
        Assert.DoesNotContain("/dicomweb/", page);
        Assert.Contains("Target lesions", page);
        Assert.DoesNotContain("102-001", page);
        Assert.Contains("not one of yours", await reader.GetStringAsync($"/review/tasks/{taskB}"));
    }

    /// <summary>A fresh completed study of subject 102-001 with two read tasks: slot 1 t-reader, slot 2 t-reader-b.</summary>
    private async Task<(Guid TaskA, Guid TaskB, string StudyUid)> TimepointAsync()
    {
        await EnsureReadersAsync();
        var readerA = await UserIdAsync(ReaderA);
        var readerB = await UserIdAsync(ReaderB);
        return await app.QueryAsync(async db =>
        {
            var subject = await db.Subjects.SingleAsync(s => s.SubjectKey == "102-001");
            var uid = $"2.25.{Random.Shared.NextInt64(1, long.MaxValue)}";
            var study = new ImagingStudy(subject.TrialId, subject.SiteId, subject.Id, null, uid, DateTime.UtcNow);
            study.Describe(new DateOnly(2026, 5, 11), "CT", 0);
            study.AddSeries(uid + ".1", "CT", 1, "Venous 1.25 mm");
            study.Recount();
            study.MarkComplete(DateTime.UtcNow);
            db.Studies.Add(study);
            // Each study is a new subject's baseline for these tests: a subject of its own keeps the timepoints apart.
            var a = new ReadTask(subject.TrialId, study.Id, Guid.NewGuid(), subject.SiteId, "Baseline", study.StudyDate, 1, readerA, DateTime.UtcNow, DateTime.UtcNow.AddDays(10));
            var b = new ReadTask(subject.TrialId, study.Id, a.SubjectId, subject.SiteId, "Baseline", study.StudyDate, 2, readerB, DateTime.UtcNow, DateTime.UtcNow.AddDays(10));
            db.ReadTasks.AddRange(a, b);
            await db.SaveChangesAsync();
            return (a.Id, b.Id, uid);
        });
    }

    private async Task<Guid> OpenAdjudicationAsync(Guid taskA, Guid taskB)
    {
        var adjudicator = await UserIdAsync("t-adjudicator");
        return await app.QueryAsync(async db =>
        {
            var a = await db.Reads.SingleAsync(r => r.ReadTaskId == taskA && r.Status == ReadStatus.Signed);
            var b = await db.Reads.SingleAsync(r => r.ReadTaskId == taskB && r.Status == ReadStatus.Signed);
            var task = await db.ReadTasks.SingleAsync(t => t.Id == taskA);
            var adjudication = new Adjudication(task.TrialId, task.StudyId, task.SubjectId, a.Id, b.Id, "SumOfDiameters differs", adjudicator, DateTime.UtcNow, DateTime.UtcNow.AddDays(10));
            db.Adjudications.Add(adjudication);
            await db.SaveChangesAsync();
            return adjudication.Id;
        });
    }

    private async Task EnsureReadersAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TrialFlow.Web.Security.HostActorAccessor>().Set(TrialFlow.Core.Access.Actor.System("tests"));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
        var db = scope.ServiceProvider.GetRequiredService<TrialFlow.Core.Persistence.TrialFlowDbContext>();
        foreach (var (name, display) in new[] { (ReaderB, "Test Reader B"), ("t-reader-c", "Test Reader C") })
        {
            if (await users.FindByNameAsync(name) is not null)
                continue;
            var user = new TrialFlowUser { UserName = name, DisplayName = display };
            await users.CreateAsync(user, TrialFlowApp.Password);
            await users.AddToRoleAsync(user, TrialFlowRoles.Reader);
            await app.JoinDemoTrialAsync(name);
        }
        foreach (var name in new[] { ReaderA, ReaderB, "t-reader-c" })
        {
            var id = (await users.FindByNameAsync(name))!.Id;
            if (!await db.ReaderQualifications.AnyAsync(q => q.UserId == id))
                db.ReaderQualifications.Add(new ReaderQualification(app.TrialId, id, ReviewerRole.Reader, "RECIST 1.1 training (tests)", new DateOnly(2026, 1, 1)));
        }
        await db.SaveChangesAsync();
    }

    private Task<string> UserIdAsync(string userName) => app.QueryAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());
}
