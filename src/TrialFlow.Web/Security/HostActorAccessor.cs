using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using TrialFlow.Core.Access;

namespace TrialFlow.Web.Security;

/// <summary>
/// The actor of the current scope: the signed-in user of an HTTP request or of a Blazor circuit, or an actor
/// set explicitly by background work. Anyone else is anonymous and sees no site.
/// </summary>
public sealed class HostActorAccessor(IHttpContextAccessor http, IServiceProvider services) : IActorAccessor
{
    private Actor? _explicit;
    private (ClaimsPrincipal Principal, int Generation, Actor Actor)? _cached;

    public Actor Current => _explicit ?? FromPrincipal(CurrentPrincipal());

    /// <summary>Acts as <paramref name="actor"/> for the rest of this scope (start-up, background jobs).</summary>
    public void Set(Actor actor) => _explicit = actor;

    private ClaimsPrincipal? CurrentPrincipal()
    {
        if (http.HttpContext is { } context)
            return context.User;
        // In an interactive circuit there is no HttpContext: the circuit's authentication state is the user.
        var state = services.GetService<AuthenticationStateProvider>()?.GetAuthenticationStateAsync();
        return state?.IsCompletedSuccessfully == true ? state.Result.User : state?.GetAwaiter().GetResult().User;
    }

    private Actor FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
            return Actor.Anonymous;
        // Worked out again when this node changed a membership or a trial's sites, even within the request that did:
        // the site it just onboarded, the trial it just created, are the caller's for the rest of the request.
        var directory = services.GetRequiredService<TrialDirectory>();
        var generation = directory.Generation;
        if (_cached is { } c && ReferenceEquals(c.Principal, principal) && c.Generation == generation)
            return c.Actor;
        var actor = ActorFactory.FromPrincipal(principal, directory);
        _cached = (principal, generation, actor);
        return actor;
    }
}
