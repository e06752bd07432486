using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using TrialFlow.Core.Access;

namespace TrialFlow.Web.Security;

/// <summary>Sign-in and sign-out: an HTML form post for browsers, a JSON token endpoint for API clients.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapTrialFlowAccount(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/login", LoginForm).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost("/account/logout", Logout).ExcludeFromDescription();
        endpoints.MapPost("/api/auth/token", Token).AllowAnonymous().WithTags("Authentication")
            .WithSummary("Exchange a user name and password for a bearer token (API clients, the CLI).");
        endpoints.MapPost("/api/auth/refresh", Refresh).AllowAnonymous().WithTags("Authentication")
            .WithSummary("Exchange a refresh token for a new access token, while the user's roles, sites, password and sessions are unchanged.");
        return endpoints;
    }

    private static async Task<RedirectHttpResult> LoginForm([FromForm] string userName, [FromForm] string password, [FromForm] string? returnUrl, SignInService signIn)
    {
        var outcome = await signIn.SignInAsync(userName, password, bearer: false);
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        return outcome == SignInOutcome.SignedIn
            ? TypedResults.LocalRedirect(target)
            : TypedResults.LocalRedirect($"/account/login?error={(outcome == SignInOutcome.LockedOut ? "locked" : "invalid")}&returnUrl={Uri.EscapeDataString(target)}");
    }

    private static async Task<RedirectHttpResult> Logout(SignInService signIn, IActorAccessor actor)
    {
        await signIn.SignOutAsync(actor.Current);
        return TypedResults.LocalRedirect("/account/login");
    }

    /// <summary>On success the bearer handler writes the token response itself; otherwise a 401 problem.</summary>
    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Token(TokenRequest request, SignInService signIn)
    {
        var outcome = await signIn.SignInAsync(request.UserName, request.Password, bearer: true);
        return outcome switch
        {
            SignInOutcome.SignedIn => TypedResults.Empty,
            SignInOutcome.LockedOut => TypedResults.Problem("The account is locked after repeated failed sign-ins; try again later.", statusCode: StatusCodes.Status401Unauthorized),
            _ => TypedResults.Problem("Unknown user name or wrong password.", statusCode: StatusCodes.Status401Unauthorized),
        };
    }

    /// <summary>On success the bearer handler writes the new token response itself; otherwise a 401 problem.</summary>
    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> Refresh(RefreshRequest request, SignInService signIn) =>
        await signIn.RefreshAsync(request.RefreshToken) is { } principal
            ? TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme)
            : TypedResults.Problem("The refresh token has expired, or the session was ended (role, site membership or password changed, account locked, or signed out). Sign in again.",
                statusCode: StatusCodes.Status401Unauthorized);

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}

public sealed record TokenRequest(string UserName, string Password);

public sealed record RefreshRequest(string RefreshToken);
