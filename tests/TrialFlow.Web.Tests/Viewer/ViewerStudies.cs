namespace TrialFlow.Web.Tests.Viewer;

/// <summary>
/// Sends a protocol CT study (a localizer and 3 venous slices, 0.7 mm pixels) by STOW-RS, by default as site 101's user
/// for subject 101-001; another site's user, subject and scan date make another subject's timepoint.
/// </summary>
internal static class ViewerStudies
{
    public static async Task<Guid> ArchiveCtStudyAsync(TrialFlowApp app, string user = "t-siteuser", string patientId = "101-001", string studyDate = "20260416")
    {
        var before = (await app.QueryAsync(db => db.Studies.Select(s => s.Id).ToListAsync())).ToHashSet();
        using var client = await app.ClientAsync(user);
        using var body = new MultipartContent("related", "B-" + Guid.NewGuid().ToString("N"));
        foreach (var file in new CtStudy($"1.2.826.0.1.3680043.6.{Random.Shared.Next(1, int.MaxValue)}", patientId, studyDate).Files())
            body.Add(new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("application/dicom") } });
        (await client.PostAsync("/dicomweb/studies", body)).EnsureSuccessStatusCode();
        // Bounded by the Web tests' one wait bound (Browsers.Timeout): intake is slow on a busy machine, never wrong.
        var deadline = DateTime.UtcNow + Browsers.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            // Intake replaces the source UIDs: ours is the study that was not there before, once all 4 images are in.
            var mine = await app.QueryAsync(db => db.Studies.AsNoTracking().Where(s => !before.Contains(s.Id) && s.NumberOfInstances == 4).Select(s => (Guid?)s.Id).FirstOrDefaultAsync());
            if (mine is { } id)
                return id;
            await Task.Delay(100);
        }
        throw new TimeoutException($"intake did not archive the 4 images within {Browsers.Timeout.TotalSeconds:0} s ({Browsers.TimeoutVariable})");
    }
}
