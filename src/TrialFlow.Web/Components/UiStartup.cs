using MudBlazor.Services;

namespace TrialFlow.Web.Components;

public static class UiStartup
{
    public static IHostApplicationBuilder AddTrialFlowUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        // An open page loses its session within the stamp-check interval when the account's authority changes.
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, Security.StampRevalidatingAuthenticationStateProvider>();
        builder.Services.AddMudServices();
        builder.Services.AddScoped<Trials.CurrentTrial>();
        return builder;
    }

    public static WebApplication MapTrialFlowUi(this WebApplication app)
    {
        // Style sheets and scripts are needed before sign-in, so static assets are open to anonymous callers.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
