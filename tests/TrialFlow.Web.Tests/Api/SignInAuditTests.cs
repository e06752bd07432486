namespace TrialFlow.Web.Tests.Api;

[Collection(AppCollection.Name)]
public sealed class SignInAuditTests(TrialFlowApp app)
{
    [Fact]
    public async Task Sign_ins_and_failed_sign_ins_are_audited_and_repeated_failures_lock_the_account()
    {
        using var client = await app.ClientAsync();
        // A dedicated user so the lockout does not disturb other tests.
        using (var admin = await app.ClientAsync("t-administrator"))
        {
            var created = await admin.PostAsJsonAsync("/api/users", new { userName = "t-lockout", displayName = "Lock Out", role = "QcLead" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/token", new { userName = "t-lockout", password = "wrong-password" })).StatusCode);

        var locked = await client.PostAsJsonAsync("/api/auth/token", new { userName = "t-lockout", password = "wrong-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync());

        var events = await app.QueryAsync(db => db.AuditEvents.Where(e => e.ActorName == "Lock Out" && e.EntityType == "User").OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
        Assert.Equal(4, events.Count(a => a == "SignInFailed"));
        Assert.Contains("LockedOut", events);
    }

    [Fact]
    public async Task A_successful_sign_in_is_audited()
    {
        using var _ = await app.ClientAsync("t-qclead");

        var signIn = await app.QueryAsync(db => db.AuditEvents.Where(e => e.Action == "SignIn" && e.ActorName == "Test QcLead").OrderBy(e => e.Sequence).LastAsync());
        Assert.Equal("QcLead", signIn.ActorRole);
        Assert.Contains("\"channel\":\"token\"", signIn.NewValues);
    }

    [Fact]
    public async Task An_unknown_user_name_is_audited_as_typed()
    {
        using var client = await app.ClientAsync();

        await client.PostAsJsonAsync("/api/auth/token", new { userName = "nobody-here", password = "whatever-password" });

        Assert.True(await app.QueryAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "SignInFailed" && e.EntityId == "nobody-here")));
    }

    [Fact]
    public async Task Granting_a_role_is_audited_with_the_administrator_as_actor()
    {
        using var admin = await app.ClientAsync("t-administrator");
        var created = await (await admin.PostAsJsonAsync("/api/users", new { userName = "t-grant", displayName = "Grant Me", role = "QcLead" })).Content.ReadFromJsonAsync<CreatedDto>();

        var response = await admin.PutAsync($"/api/users/{created!.User.Id}/roles/DataManager", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var grant = await app.QueryAsync(db => db.AuditEvents.Where(e => e.EntityType == "UserRole" && e.EntityId.StartsWith(created.User.Id)).OrderBy(e => e.Sequence).LastAsync());
        Assert.Equal(("Create", "Test Administrator"), (grant.Action, grant.ActorName));
    }

    [Fact]
    public async Task Changing_an_enrolled_subject_needs_a_reason()
    {
        using var client = await app.ClientAsync("t-datamanager");
        var subject = await app.QueryAsync(db => db.Subjects.Where(s => s.SubjectKey == "102-001").Select(s => s.Id).SingleAsync());

        var withoutReason = await client.PutAsJsonAsync($"/api/subjects/{subject}/status", new { status = "Completed" });
        var withReason = await client.PutAsJsonAsync($"/api/subjects/{subject}/status", new { status = "Completed", reason = "Completed treatment per protocol" });

        Assert.True(withoutReason.StatusCode == HttpStatusCode.UnprocessableEntity, await withoutReason.Content.ReadAsStringAsync());
        Assert.Contains("requires a reason", await withoutReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, withReason.StatusCode);
        Assert.True(await app.QueryAsync(db => db.AuditEvents.AnyAsync(e => e.EntityId == subject.ToString() && e.Reason == "Completed treatment per protocol")));
    }

    private sealed record UserDto(string Id);

    private sealed record CreatedDto(UserDto User, string InitialPassword);
}
