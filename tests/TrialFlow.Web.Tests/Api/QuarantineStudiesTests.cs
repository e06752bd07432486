namespace TrialFlow.Web.Tests.Api;

/// <summary>Held objects read as studies: one group per study and site, with what tells them apart and no PHI.</summary>
[Collection(AppCollection.Name)]
public sealed class QuarantineStudiesTests(TrialFlowApp app)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task Files_of_two_studies_and_an_unreadable_one_are_listed_as_three_groups_with_their_counts_and_masked_patient_ids()
    {
        var (patientA, patientB) = (NewPatientId(), NewPatientId());
        var (studyA, studyB) = (NewStudyUid(), NewStudyUid());
        var held = await HeldObjects.UploadAsync(app,
        [
            DicomSamples.CtImage(patientId: patientA, study: studyA, instance: 1),
            DicomSamples.CtImage(patientId: patientA, study: studyA, instance: 2),
            DicomSamples.CtImage(patientId: patientA, study: studyA, instance: 3),
            DicomSamples.CtImage(patientId: patientB, study: studyB, instance: 1),
            DicomSamples.CtImage(patientId: patientB, study: studyB, instance: 2),
        ]);
        // The door refuses unreadable files now; one staged before it did (or streamed past it) is still held as unreadable.
        held.AddRange(await HeldObjects.WriteIntoQuarantineAsync(app, QuarantineReason.UnreadableFile, "not a readable DICOM object",
            $"unreadable-{Guid.NewGuid():N}", ["not a DICOM object at all"u8.ToArray()]));
        Assert.Equal(6, held.Count);
        using var dataManager = await app.ClientAsync("t-datamanager");

        var body = await dataManager.GetStringAsync("/api/quarantine/studies?status=Open&take=500");

        var page = JsonSerializer.Deserialize<StudyPageDto>(body, Json)!;
        var heldIds = held.Select(h => h.Id).ToHashSet();
        var groups = page.Groups.Where(g => g.ItemIds.Any(heldIds.Contains)).ToList();
        Assert.Equal(3, groups.Count);
        var a = groups.Single(g => g.FileCount == 3);
        var b = groups.Single(g => g.FileCount == 2);
        var unreadable = groups.Single(g => g.FileCount == 1);
        Assert.Equal(("101", "…" + patientA[^4..], new DateOnly(2026, 4, 16), "CT", 1), (a.SiteNumber, a.PatientIdHint, a.StudyDate, a.Modality, a.SeriesCount));
        Assert.Equal(new[] { new ReasonDto(QuarantineReason.UnknownSubject, 3) }, a.Reasons);
        Assert.Equal(("101", "…" + patientB[^4..], 1), (b.SiteNumber, b.PatientIdHint, b.SeriesCount));
        Assert.Equal(new[] { new ReasonDto(QuarantineReason.UnknownSubject, 2) }, b.Reasons);
        var unreadableItem = held.Single(h => h.Reason == QuarantineReason.UnreadableFile);
        Assert.Equal((unreadableItem.Id.ToString(), (string?)null, 0), (unreadable.Key, unreadable.PatientIdHint, unreadable.SeriesCount));
        Assert.Equal(new[] { new ReasonDto(QuarantineReason.UnreadableFile, 1) }, unreadable.Reasons);
        Assert.Equal(heldIds.Order(), groups.SelectMany(g => g.ItemIds).Order());
        Assert.Equal(held.Where(h => h.StudyKey == a.Key).Select(h => h.Id).Order(), a.ItemIds.Order());
        // The groups say which patient the site meant without saying who: never the whole Patient ID.
        Assert.DoesNotContain(patientA, body);
        Assert.DoesNotContain(patientB, body);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public async Task Five_hundred_held_files_of_five_studies_read_as_five_groups_and_one_request_rejects_them_all()
    {
        var files = Enumerable.Range(0, 5).SelectMany(_ =>
        {
            var (patient, study) = (NewPatientId(), NewStudyUid());
            return Enumerable.Range(1, 100).Select(i => DicomSamples.CtImage(patientId: patient, study: study, instance: i));
        }).ToList();
        var held = await HeldObjects.WriteIntoQuarantineAsync(app, QuarantineReason.UnknownSubject, "no subject of site 101 has this Patient ID", $"many-{Guid.NewGuid():N}", files);
        var heldIds = held.Select(h => h.Id).ToHashSet();
        using var dataManager = await app.ClientAsync("t-datamanager");

        var page = (await dataManager.GetFromJsonAsync<StudyPageDto>("/api/quarantine/studies?take=50", Json))!;
        var groups = page.Groups.Where(g => g.ItemIds.Any(heldIds.Contains)).ToList();
        using var rejected = await dataManager.PostAsJsonAsync("/api/quarantine/reject",
            new { studyKeys = groups.Select(g => g.Key), reason = "Test images from the site's phantom runs, not trial data" });

        Assert.Equal(5, groups.Count);
        Assert.All(groups, g => Assert.Equal(100, g.FileCount));
        Assert.True(page.TotalFiles >= 500, $"{page.TotalFiles} held objects counted");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal((500, 0), await rejected.Content.ReadFromJsonAsync<BatchDto>() is { } result ? (result.Decided, result.Failed) : (-1, -1));
    }

    [Fact]
    public async Task A_site_user_of_another_site_sees_none_of_the_groups()
    {
        var held = await HeldObjects.UploadAsync(app, [DicomSamples.CtImage(patientId: NewPatientId(), study: NewStudyUid())]);
        using var parisUser = await app.ClientAsync("t-siteuser-paris");
        using var siteUser = await app.ClientAsync("t-siteuser");

        var theirs = await parisUser.GetFromJsonAsync<StudyPageDto>("/api/quarantine/studies?take=500", Json);
        var mine = await siteUser.GetFromJsonAsync<StudyPageDto>("/api/quarantine/studies?take=500", Json);

        Assert.DoesNotContain(theirs!.Groups, g => g.ItemIds.Contains(held[0].Id));
        Assert.Contains(mine!.Groups, g => g.ItemIds.Contains(held[0].Id));
    }

    [Fact]
    public async Task Blinded_readers_cannot_list_the_groups()
    {
        using var reader = await app.ClientAsync("t-reader");

        using var response = await reader.GetAsync("/api/quarantine/studies");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    internal static string NewPatientId() => $"MRN-{Guid.NewGuid():N}"[..16].ToUpperInvariant();

    internal static string NewStudyUid() => $"1.2.826.0.1.3680043.10.{Random.Shared.Next(1, int.MaxValue)}";

    private sealed record StudyPageDto(int TotalGroups, int TotalFiles, List<GroupDto> Groups);

    private sealed record GroupDto(string Key, string SiteNumber, string? PatientIdHint, DateOnly? StudyDate, string? Modality, int SeriesCount, int FileCount,
        List<ReasonDto> Reasons, List<Guid> ItemIds);

    private sealed record ReasonDto(QuarantineReason Reason, int Count);

    private sealed record BatchDto(int Decided, int Failed);
}
