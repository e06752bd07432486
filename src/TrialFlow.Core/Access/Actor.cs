namespace TrialFlow.Core.Access;

/// <summary>
/// Who is acting, as the audit trail records it. Resolved per request (or per background job) and handed
/// to the DbContext, which stamps every change with it.
/// </summary>
/// <param name="UserId">Identity user id, or "system:NAME" for background work.</param>
/// <param name="UserName">Human-readable name at the time of the action (names can change later).</param>
/// <param name="Role">The role the actor acted in (their highest-privileged role when they have several).</param>
/// <param name="Scope">The sites the actor may see and change.</param>
public sealed record Actor(string UserId, string UserName, string Role, SiteScope Scope)
{
    public static Actor System(string component) => new($"system:{component}", $"TrialFlow {component}", "System", SiteScope.Unrestricted);

    public static Actor Anonymous { get; } = new("anonymous", "anonymous", "Anonymous", SiteScope.None);
}

/// <summary>Supplies the actor of the current unit of work.</summary>
public interface IActorAccessor
{
    Actor Current { get; }
}

/// <summary>An accessor for one fixed actor: CLI commands, background services, tests.</summary>
public sealed class FixedActorAccessor(Actor actor) : IActorAccessor
{
    public Actor Current { get; } = actor;
}
