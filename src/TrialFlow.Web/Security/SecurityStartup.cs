using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
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
        services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.Section)
            .Validate(o => o.IsValid(), $"{SessionOptions.Section}: access tokens live at most {SessionOptions.MaxAccessTokenLifetime}, stamps are re-checked at least every {SessionOptions.MaxStampCheckInterval}.")
            .ValidateOnStart();
        services.AddSingleton<SecurityStampCache>();

        // Browsers carry the Identity cookie; API clients (the CLI, an EDC) send a bearer token.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieOrBearer;
                o.DefaultChallengeScheme = CookieOrBearer;
            })
            .AddPolicyScheme(CookieOrBearer, "Identity cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                Credentials.CarriesBearerToken(context.Request) ? IdentityConstants.BearerScheme : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme)
            .AddIdentityCookies();
        // Short access tokens, renewed with a refresh token that is honoured only while the user's stamp is unchanged.
        services.AddOptions<BearerTokenOptions>(IdentityConstants.BearerScheme).Configure<IOptions<SessionOptions>>((o, sessions) =>
        {
            o.BearerTokenExpiration = sessions.Value.AccessTokenLifetime;
            o.RefreshTokenExpiration = sessions.Value.RefreshTokenLifetime;
        });

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
        // Role and site-membership changes, a new password, a lock-out and a sign-out update the security stamp;
        // cookies are re-validated against it at this interval, bearer tokens by RevokedTokenMiddleware.
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<SessionOptions>>((o, sessions) =>
            o.ValidationInterval = sessions.Value.StampCheckInterval);

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
            .AddPolicy(Policies.QueryRaise, p => p.RequireRole(TrialFlow.Queries.Service.QueryPermissions.Raisers))
            .AddPolicy(Policies.Reading, p => p.RequireRole(TrialFlowRoles.Reader))
            .AddPolicy(Policies.Adjudicate, p => p.RequireRole(TrialFlowRoles.Adjudicator))
            .AddPolicy(Policies.ReviewOversight, p => p.RequireRole(TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator, TrialFlowRoles.Inspector))
            .AddPolicy(Policies.ReviewManage, p => p.RequireRole(TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator))
            .AddPolicy(Policies.EdcImport, p => p.RequireRole(Policies.EdcImporters))
            .AddPolicy(Policies.EdcPush, p => p.RequireRole(Policies.EdcPushers))
            .AddPolicy(Policies.EdcExport, p => p.RequireRole(Policies.EdcExporters))
            .AddPolicy(Policies.EdcResend, p => p.RequireRole(TrialFlowRoles.DataManager, TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator))
            .AddPolicy(Policies.SiteSetup, p => p.RequireRole(TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator))
            .AddPolicy(Policies.RetrospectivePull, p => p.RequireRole(TrialFlowRoles.DataManager, TrialFlowRoles.StudyManager, TrialFlowRoles.Administrator))
            .AddPolicy(Policies.Administer, p => p.RequireRole(TrialFlowRoles.Administrator));
        services.AddScoped<SignInService>();
        return builder;
    }

    /// <summary>
    /// The checks that need the authenticated user and come before authorization: revoked bearer tokens are refused,
    /// then state-changing requests from other sites.
    /// </summary>
    public static IApplicationBuilder UseTrialFlowSessionChecks(this IApplicationBuilder app) =>
        app.UseMiddleware<RevokedTokenMiddleware>().UseMiddleware<SameOriginMiddleware>();

    private static Task ApiStatusOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/dicomweb"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
