namespace TrialFlow.Web.Tests.Viewer;

/// <summary>Blinded readers reach pixels only through their own read task, never through DICOMweb.</summary>
[Collection(AppCollection.Name)]
public sealed class ReaderImagesApiTests(TrialFlowApp app)
{
    [Fact]
    public async Task A_reader_gets_the_task_studys_manifest_and_frames_under_the_charter_timepoint_name()
    {
        var studyId = await ViewerStudies.ArchiveCtStudyAsync(app);
        var task = await TaskAsync(studyId, await ReaderIdAsync("t-reader"));
        using var reader = await app.ClientAsync("t-reader");

        var study = Assert.Single((await reader.GetFromJsonAsync<List<ViewerStudy>>($"/api/review/tasks/{task}/images"))!);
        var frame = study.Series[1].Frames[0];
        using var pixels = await reader.GetAsync(frame.Url);

        Assert.Equal("Week 6", study.Label);
        Assert.StartsWith($"/api/review/tasks/{task}/frames/{studyId}/", frame.Url);
        Assert.Equal(HttpStatusCode.OK, pixels.StatusCode);
        Assert.True((await pixels.Content.ReadAsByteArrayAsync()).Length > 512 * 512 * 2);
        // The same images through DICOMweb: refused, readers are not trial staff.
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/api/viewer/studies/{studyId}")).StatusCode);
    }

    [Fact]
    public async Task Another_readers_task_and_a_study_outside_the_task_are_404()
    {
        var mine = await ViewerStudies.ArchiveCtStudyAsync(app);
        var other = await ViewerStudies.ArchiveCtStudyAsync(app);
        var myTask = await TaskAsync(mine, await ReaderIdAsync("t-reader"));
        var someoneElses = await TaskAsync(other, "another-reader");
        var otherInstance = await app.QueryAsync(db => db.Instances.AsNoTracking().Where(i => i.Series!.StudyId == other).Select(i => i.SopInstanceUid).FirstAsync());
        using var reader = await app.ClientAsync("t-reader");

        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/review/tasks/{someoneElses}/images")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/review/tasks/{myTask}/frames/{other}/{otherInstance}/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/review/tasks/{someoneElses}/frames/{other}/{otherInstance}/1")).StatusCode);
    }

    [Fact]
    public async Task An_adjudicator_sees_the_images_of_an_adjudication_assigned_to_them_and_nobody_else_does()
    {
        var studyId = await ViewerStudies.ArchiveCtStudyAsync(app);
        var adjudicatorId = await ReaderIdAsync("t-adjudicator");
        var mine = await AdjudicationAsync(studyId, adjudicatorId, slots: (1, 2));
        var someoneElses = await AdjudicationAsync(studyId, "another-adjudicator", slots: (3, 4));
        using var adjudicator = await app.ClientAsync("t-adjudicator");
        using var reader = await app.ClientAsync("t-reader");

        var study = Assert.Single((await adjudicator.GetFromJsonAsync<List<ViewerStudy>>($"/api/review/adjudications/{mine}/images"))!);
        var frame = study.Series[1].Frames[0];
        using var pixels = await adjudicator.GetAsync(frame.Url);

        Assert.Equal("Week 6", study.Label);
        Assert.StartsWith($"/api/review/adjudications/{mine}/frames/{studyId}/", frame.Url);
        Assert.Equal(HttpStatusCode.OK, pixels.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await adjudicator.GetAsync($"/api/review/adjudications/{someoneElses}/images")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await adjudicator.GetAsync(frame.Url.Replace(mine.ToString(), someoneElses.ToString()))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/api/review/adjudications/{mine}/images")).StatusCode);
    }

    /// <summary>Two reads of the study (in the given slots) and an open adjudication of them assigned to <paramref name="adjudicatorUserId"/>.</summary>
    private async Task<Guid> AdjudicationAsync(Guid studyId, string adjudicatorUserId, (int A, int B) slots)
    {
        var readA = await TaskAsync(studyId, "reader-a", slots.A);
        var readB = await TaskAsync(studyId, "reader-b", slots.B);
        return await app.QueryAsync(async db =>
        {
            var study = await db.Studies.SingleAsync(s => s.Id == studyId);
            var reads = new[] { new Read(readA, "reader-a", "recist-1.1", 1, DateTime.UtcNow), new Read(readB, "reader-b", "recist-1.1", 1, DateTime.UtcNow) };
            db.Reads.AddRange(reads);
            var adjudication = new Adjudication(study.TrialId, study.Id, study.SubjectId, reads[0].Id, reads[1].Id, "OverallResponse", adjudicatorUserId, DateTime.UtcNow, DateTime.UtcNow.AddDays(5));
            db.Adjudications.Add(adjudication);
            await db.SaveChangesAsync();
            return adjudication.Id;
        });
    }

    private Task<string> ReaderIdAsync(string userName) => app.QueryAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    private Task<Guid> TaskAsync(Guid studyId, string readerUserId, int slot = 1) => app.QueryAsync(async db =>
    {
        var study = await db.Studies.SingleAsync(s => s.Id == studyId);
        var task = new ReadTask(study.TrialId, study.Id, study.SubjectId, study.SiteId, "Week 6", study.StudyDate, slot, readerUserId, DateTime.UtcNow, DateTime.UtcNow.AddDays(10));
        db.ReadTasks.Add(task);
        await db.SaveChangesAsync();
        return task.Id;
    });
}
