using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;
using TrialFlow.Web.Queries;

namespace TrialFlow.Web.Tests.Queries;

/// <summary>The queries API authorizes by role and site: other sites' queries do not exist for a site user, Inspectors read only, readers see nothing.</summary>
[Collection(AppCollection.Name)]
public sealed class QueriesApiTests(TrialFlowApp app)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    internal static async Task<QueryDetailResponse> RaiseAsync(TrialFlowApp app, string siteNumber, string title)
    {
        using var lead = await app.ClientAsync("t-qclead");
        var response = await lead.PostAsJsonAsync("/api/queries", new RaiseQueryRequest(app.Sites[siteNumber], QueryCategory.MissingSeries, title, "Please send the venous series."), Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<QueryDetailResponse>(Json))!;
    }

    [Fact]
    public async Task A_site_user_sees_only_their_sites_queries_and_cannot_read_or_answer_another_sites()
    {
        var nordstadt = await RaiseAsync(app, "101", $"Nordstadt {Guid.NewGuid():N}");
        var paris = await RaiseAsync(app, "201", $"Paris {Guid.NewGuid():N}");
        using var site = await app.ClientAsync("t-siteuser");

        var inbox = (await site.GetFromJsonAsync<QueryInboxPage>("/api/queries?pageSize=200", Json))!;
        Assert.Contains(inbox.Rows, r => r.Id == nordstadt.Id);
        Assert.All(inbox.Rows, r => Assert.Equal(app.Sites["101"], r.SiteId));
        Assert.Equal(HttpStatusCode.NotFound, (await site.GetAsync($"/api/queries/{paris.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await site.PostAsJsonAsync($"/api/queries/{paris.Id}/answer", new AnswerQueryRequest("not ours"), Json)).StatusCode);
        var aging = (await site.GetFromJsonAsync<QueryAgingReport>("/api/queries/aging", Json))!;
        Assert.Equal(["101"], aging.Sites.Select(s => s.SiteNumber));

        var answered = await site.PostAsJsonAsync($"/api/queries/{nordstadt.Id}/answer", new AnswerQueryRequest("Sent again."), Json);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(QueryStatus.Answered, (await answered.Content.ReadFromJsonAsync<QueryDetailResponse>(Json))!.Status);
        // The site does not decide on its own answer.
        Assert.Equal(HttpStatusCode.Forbidden, (await site.PostAsJsonAsync($"/api/queries/{nordstadt.Id}/resolve", new QueryNoteRequest(null), Json)).StatusCode);
    }

    [Fact]
    public async Task An_inspector_reads_queries_but_every_write_is_forbidden_and_a_blinded_reader_sees_nothing()
    {
        var query = await RaiseAsync(app, "101", $"Inspected {Guid.NewGuid():N}");
        using var inspector = await app.ClientAsync("t-inspector");
        using var reader = await app.ClientAsync("t-reader");

        Assert.Equal(HttpStatusCode.OK, (await inspector.GetAsync($"/api/queries/{query.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await inspector.GetAsync("/api/queries/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.PostAsJsonAsync($"/api/queries/{query.Id}/answer", new AnswerQueryRequest("x"), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.PostAsJsonAsync($"/api/queries/{query.Id}/cancel", new QueryNoteRequest("x"), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.PostAsJsonAsync("/api/queries", new RaiseQueryRequest(app.Sites["101"], QueryCategory.Other, "t", "x"), Json)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/queries")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/api/queries/{query.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/queries/aging")).StatusCode);
    }

    [Fact]
    public async Task Answering_a_closed_query_is_a_conflict_naming_the_query()
    {
        var query = await RaiseAsync(app, "101", $"Closed {Guid.NewGuid():N}");
        using var site = await app.ClientAsync("t-siteuser");
        using var lead = await app.ClientAsync("t-qclead");
        (await site.PostAsJsonAsync($"/api/queries/{query.Id}/answer", new AnswerQueryRequest("Sent."), Json)).EnsureSuccessStatusCode();
        (await lead.PostAsJsonAsync($"/api/queries/{query.Id}/resolve", new QueryNoteRequest(null), Json)).EnsureSuccessStatusCode();
        (await lead.PostAsJsonAsync($"/api/queries/{query.Id}/close", new QueryNoteRequest(null), Json)).EnsureSuccessStatusCode();

        var refused = await site.PostAsJsonAsync($"/api/queries/{query.Id}/answer", new AnswerQueryRequest("One more."), Json);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"Query {query.Reference} is Closed: it cannot be answered.", await refused.Content.ReadAsStringAsync());
    }
}
