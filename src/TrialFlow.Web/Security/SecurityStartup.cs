using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using TrialFlow.Core.Access;
using TrialFlow.Core.Identity;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Web.Security;

public static class SecurityStartup
{
    private const string CookieOrBearer = "TrialFlow";

    public static IHostApplicationBuilder AddTrialFlowSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHttpContextAccessor();
        services.AddScoped<HostActorAccessor>();
        services.AddScoped<IActorAccessor>(sp => sp.GetRequiredService<HostActorAccessor>());

        // Browsers carry the Identity cookie; API clients (the CLI, an EDC) send a bearer token.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieOrBearer;
                o.DefaultChallengeScheme = CookieOrBearer;
            })
            .AddPolicyScheme(CookieOrBearer, "Identity cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(8))
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Cookie.Name = "TrialFlow.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // An API caller gets a status code, not a redirect to an HTML page.
            o.Events.OnRedirectToLogin = context => ApiStatusOrRedirect(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => ApiStatusOrRedirect(context, StatusCodes.Status403Forbidden);
        });

        services.AddIdentityCore<TrialFlowUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.User.RequireUniqueEmail = false;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<TrialFlowDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<TrialFlowClaimsPrincipalFactory>();
        // Role and site-membership changes bump the security stamp; signed-in sessions pick them up within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.TrialRead, p => p.RequireRole(Policies.TrialReaders))
            .AddPolicy(Policies.TrialWrite, p => p.RequireRole(TrialFlowRoles.Writers))
            .AddPolicy(Policies.AuditRead, p => p.RequireRole(Policies.AuditReaders))
            .AddPolicy(Policies.Upload, p => p.RequireRole(Policies.Uploaders))
            .AddPolicy(Policies.ResolveQuarantine, p => p.RequireRole(TrialFlowRoles.DataManager, TrialFlowRoles.Administrator))
            .AddPolicy(Policies.QcEdit, p => p.RequireRole(TrialFlowRoles.QcLead, TrialFlowRoles.Administrator))
            .AddPolicy(Policies.DesignWorkflows, p => p.RequireRole(TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator))
            .AddPolicy(Policies.DossierDownload, p => p.RequireRole(Policies.DossierDownloaders))
            .AddPolicy(Policies.QueryRead, p => p.RequireRole(Policies.TrialReaders))
            .AddPolicy(Policies.QueryWork, p => p.RequireRole(Policies.QueryWorkers))
            .AddPolicy(Policies.QueryRaise, p => p.RequireRole(TrialFlow.Core.Queries.QueryPermissions.Raisers))
            .AddPolicy(Policies.Reading, p => p.RequireRole(TrialFlowRoles.Reader))
            .AddPolicy(Policies.Adjudicate, p => p.RequireRole(TrialFlowRoles.Adjudicator))
            .AddPolicy(Policies.ReviewOversight, p => p.RequireRole(TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator, TrialFlowRoles.Inspector))
            .AddPolicy(Policies.ReviewManage, p => p.RequireRole(TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator))
            .AddPolicy(Policies.EdcImport, p => p.RequireRole(Policies.EdcImporters))
            .AddPolicy(Policies.EdcPush, p => p.RequireRole(Policies.EdcPushers))
            .AddPolicy(Policies.EdcExport, p => p.RequireRole(Policies.EdcExporters))
            .AddPolicy(Policies.EdcResend, p => p.RequireRole(TrialFlowRoles.DataManager, TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator))
            .AddPolicy(Policies.Administer, p => p.RequireRole(TrialFlowRoles.Administrator));
        services.AddScoped<SignInService>();
        return builder;
    }

    private static Task ApiStatusOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/dicomweb"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
