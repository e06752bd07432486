namespace TrialFlow.Web.Tests.Api;

[Collection(AppCollection.Name)]
public sealed class BadInputTests(TrialFlowApp app)
{
    [Fact]
    public async Task An_unknown_status_is_a_400_problem_that_names_the_field()
    {
        using var client = await app.ClientAsync("t-datamanager");
        var subject = (await client.GetFromJsonAsync<List<SubjectDto>>($"/api/sites/{app.Sites["101"]}/subjects"))![0];

        using var response = await client.PutAsync($"/api/subjects/{subject.Id}/status",
            new StringContent("""{"status":"Cured"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("$.status", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_duplicate_subject_key_is_a_conflict_and_nothing_is_created()
    {
        using var client = await app.ClientAsync("t-studymanager");

        using var response = await client.PostAsJsonAsync($"/api/sites/{app.Sites["102"]}/subjects", new { subjectKey = "101-001" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    private sealed record SubjectDto(Guid Id, string SubjectKey);
}
