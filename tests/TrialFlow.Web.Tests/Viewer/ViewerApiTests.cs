namespace TrialFlow.Web.Tests.Viewer;

/// <summary>The viewer's manifest: what the browser needs to draw the de-identified images, within the caller's sites.</summary>
[Collection(AppCollection.Name)]
public sealed class ViewerApiTests(TrialFlowApp app)
{
    [Fact]
    public async Task The_manifest_lists_each_series_with_its_geometry_and_frames_in_slice_order_and_the_frames_load()
    {
        var studyId = await ViewerStudies.ArchiveCtStudyAsync(app);
        using var client = await app.ClientAsync("t-datamanager");

        var study = Assert.Single((await client.GetFromJsonAsync<List<ViewerStudy>>($"/api/viewer/studies/{studyId}"))!);

        Assert.Equal(["TOPOGRAM", "PORTAL VENOUS AXIAL"], study.Series.Select(s => s.Description));
        var venous = study.Series[1];
        Assert.Equal((512, 512, 16, false, "MONOCHROME2", true), (venous.Rows, venous.Columns, venous.BitsAllocated, venous.Signed, venous.Photometric, venous.Displayable));
        Assert.Equal([0.7, 0.7], venous.PixelSpacing!);
        // No window in the images: the stored 12-bit range.
        Assert.Equal((2047.5, 4095.0), (venous.WindowCenter, venous.WindowWidth));
        // Slices sit at z = 0, -200, -400 mm for instances 1, 2, 3: scrolling goes from the lowest position up.
        var numbers = await app.QueryAsync(db => db.Instances.AsNoTracking().Where(i => i.Series!.SeriesInstanceUid == venous.SeriesInstanceUid)
            .ToDictionaryAsync(i => i.SopInstanceUid, i => i.InstanceNumber));
        Assert.Equal([3, 2, 1], venous.Frames.Select(f => numbers[f.SopInstanceUid]));

        using var frame = await client.GetAsync(venous.Frames[0].Url);
        Assert.Equal(HttpStatusCode.OK, frame.StatusCode);
        Assert.True((await frame.Content.ReadAsByteArrayAsync()).Length > 512 * 512 * 2);
    }

    [Fact]
    public async Task Another_sites_user_gets_404_and_a_blinded_reader_403()
    {
        var studyId = await ViewerStudies.ArchiveCtStudyAsync(app);
        using var paris = await app.ClientAsync("t-siteuser-paris");
        using var reader = await app.ClientAsync("t-reader");

        Assert.Equal(HttpStatusCode.NotFound, (await paris.GetAsync($"/api/viewer/studies/{studyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/api/viewer/studies/{studyId}")).StatusCode);
    }

    [Fact]
    public async Task Comparing_with_a_study_of_another_subject_is_refused()
    {
        var studyId = await ViewerStudies.ArchiveCtStudyAsync(app);
        var otherSubjects = await app.QueryAsync(db => db.Studies.AsNoTracking().Where(s => s.SubjectId != db.Studies.Single(x => x.Id == studyId).SubjectId).Select(s => s.Id).ToListAsync());
        using var client = await app.ClientAsync("t-datamanager");

        var response = await client.GetAsync($"/api/viewer/studies/{studyId}?compare={(otherSubjects.Count > 0 ? otherSubjects[0] : Guid.NewGuid())}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not another study of the same subject", await response.Content.ReadAsStringAsync());
    }
}
