using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Seeding;
using TrialFlow.Web.Security;
using TrialFlow.Web.Trials;

namespace TrialFlow.Web.Api;

/// <summary>User administration. Every grant, revocation and trial or site membership change lands in the audit trail.</summary>
public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.Administer);
        api.MapGet("/", ListUsers).WithName("ListUsers");
        api.MapPost("/", CreateUser).WithName("CreateUser").WithSummary("Create a user with a generated initial password, returned once.");
        api.MapPut("/{userId}/roles/{role}", GrantRole).WithName("GrantRole");
        api.MapDelete("/{userId}/roles/{role}", RevokeRole).WithName("RevokeRole");
        api.MapPut("/{userId}/sites/{siteId:guid}", AddMembership).WithName("AddSiteMembership");
        api.MapDelete("/{userId}/sites/{siteId:guid}", RemoveMembership).WithName("RemoveSiteMembership");
        api.MapPut("/{userId}/trials/{trialId:guid}", AddTrialMembership).WithName("AddTrialMembership")
            .WithSummary("The user works on the trial: their roles apply to it from their next request.");
        api.MapDelete("/{userId}/trials/{trialId:guid}", RemoveTrialMembership).WithName("RemoveTrialMembership");
        return endpoints;
    }

    private static async Task<Ok<List<UserResponse>>> ListUsers(UserManager<TrialFlowUser> users, TrialFlowDbContext db, CancellationToken ct)
    {
        var all = await users.Users.OrderBy(u => u.UserName).ToListAsync(ct);
        var result = new List<UserResponse>();
        foreach (var u in all)
            result.Add(await DescribeAsync(u, users, db, ct));
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Created<CreatedUserResponse>, ValidationProblem>> CreateUser(
        CreateUserRequest request, UserManager<TrialFlowUser> users, TrialFlowDbContext db, TrialDirectory directory, CancellationToken ct)
    {
        if (!TrialFlowRoles.IsKnown(request.Role))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"Unknown role '{request.Role}'."] });
        var unknownTrials = (request.Trials ?? []).Except(await db.Trials.Select(t => t.Id).ToListAsync(ct)).ToList();
        if (unknownTrials.Count > 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["trials"] = [$"No trial {string.Join(", ", unknownTrials)}."] });
        var password = TrialSeeder.GeneratePassword();
        var user = new TrialFlowUser { UserName = request.UserName, DisplayName = request.DisplayName };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["userName"] = created.Errors.Select(e => e.Description).ToArray() });
        await users.AddToRoleAsync(user, request.Role);
        foreach (var site in request.Sites ?? [])
            db.SiteMemberships.Add(new SiteMembership(user.Id, site));
        foreach (var trial in (request.Trials ?? []).Distinct())
            db.TrialMemberships.Add(new TrialMembership(user.Id, trial));
        await db.SaveChangesAsync(ct);
        directory.Forget();
        return TypedResults.Created($"/api/users/{user.Id}", new CreatedUserResponse(await DescribeAsync(user, users, db, ct), password));
    }

    private static async Task<Results<NoContent, NotFound, ValidationProblem>> GrantRole(string userId, string role, UserManager<TrialFlowUser> users)
    {
        if (!TrialFlowRoles.IsKnown(role))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"Unknown role '{role}'."] });
        if (await users.FindByIdAsync(userId) is not { } user)
            return TypedResults.NotFound();
        if (!await users.IsInRoleAsync(user, role))
            await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound>> RevokeRole(string userId, string role, UserManager<TrialFlowUser> users)
    {
        if (await users.FindByIdAsync(userId) is not { } user || !await users.IsInRoleAsync(user, role))
            return TypedResults.NotFound();
        await users.RemoveFromRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound>> AddMembership(string userId, Guid siteId, UserManager<TrialFlowUser> users, TrialFlowDbContext db, CancellationToken ct)
    {
        if (await users.FindByIdAsync(userId) is not { } user || !await db.Sites.AnyAsync(s => s.Id == siteId, ct))
            return TypedResults.NotFound();
        if (!await db.SiteMemberships.AnyAsync(m => m.UserId == userId && m.SiteId == siteId, ct))
        {
            db.SiteMemberships.Add(new SiteMembership(userId, siteId));
            await db.SaveChangesAsync(ct);
        }

        await users.UpdateSecurityStampAsync(user);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound>> RemoveMembership(string userId, Guid siteId, UserManager<TrialFlowUser> users, TrialFlowDbContext db, CancellationToken ct)
    {
        var membership = await db.SiteMemberships.SingleOrDefaultAsync(m => m.UserId == userId && m.SiteId == siteId, ct);
        if (membership is null || await users.FindByIdAsync(userId) is not { } user)
            return TypedResults.NotFound();
        db.SiteMemberships.Remove(membership);
        await db.SaveChangesAsync(ct);
        await users.UpdateSecurityStampAsync(user);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound>> AddTrialMembership(string userId, Guid trialId, TrialFlowDbContext db, TrialDirectory directory, CancellationToken ct) =>
        await TrialMemberships.AddAsync(db, directory, userId, trialId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> RemoveTrialMembership(string userId, Guid trialId, TrialFlowDbContext db, TrialDirectory directory, CancellationToken ct) =>
        await TrialMemberships.RemoveAsync(db, directory, userId, trialId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<UserResponse> DescribeAsync(TrialFlowUser user, UserManager<TrialFlowUser> users, TrialFlowDbContext db, CancellationToken ct)
    {
        var roles = await users.GetRolesAsync(user);
        var sites = await db.SiteMemberships.Where(m => m.UserId == user.Id).Select(m => m.SiteId).ToListAsync(ct);
        var trials = await db.TrialMemberships.Where(m => m.UserId == user.Id).Select(m => m.TrialId).ToListAsync(ct);
        return new UserResponse(user.Id, user.UserName ?? "", user.DisplayName, roles.Order().ToList(), sites, await users.IsLockedOutAsync(user), trials);
    }
}
