namespace TrialFlow.Web.Tests.Security;

/// <summary>An open interactive page keeps its session only while the account's security stamp is the one it signed in with.</summary>
[Collection(AppCollection.Name)]
public sealed class OpenPageRevalidationTests(TrialFlowApp app)
{
    [Fact]
    public async Task An_open_page_loses_its_session_when_the_account_signs_out_elsewhere_or_is_locked_out()
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostActorAccessor>().Set(Actor.System("tests"));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<TrialFlowUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<TrialFlowUser>>();
        var user = new TrialFlowUser { UserName = $"t-open-page-{Guid.NewGuid():N}", DisplayName = "Open page" };
        Assert.True((await users.CreateAsync(user, TrialFlowApp.Password)).Succeeded);
        var provider = ActivatorUtilities.CreateInstance<StampRevalidatingAuthenticationStateProvider>(app.Services);
        var page = await signIn.CreateUserPrincipalAsync(user);

        Assert.True(await provider.StillValidAsync(page));

        await users.UpdateSecurityStampAsync(user); // what sign-out, a role or site change and a new password do
        Assert.False(await provider.StillValidAsync(page));

        var fresh = await signIn.CreateUserPrincipalAsync(user);
        Assert.True(await provider.StillValidAsync(fresh));
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddMinutes(15));
        Assert.False(await provider.StillValidAsync(fresh));
    }
}
