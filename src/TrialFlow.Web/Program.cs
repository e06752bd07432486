using TrialFlow.Web.Api;
using TrialFlow.Web.Components;
using TrialFlow.Web.Queries;
using TrialFlow.Queries.Notifications;
using TrialFlow.Web.Security;
using TrialFlow.Web.Startup;

var builder = WebApplication.CreateBuilder(args);

// Static web assets (MudBlazor's CSS and JS) are served from the build output in every environment,
// not only in Development, so `dotnet run` looks the same whatever ASPNETCORE_ENVIRONMENT says.
builder.WebHost.UseStaticWebAssets();

builder.AddTrialFlowData();
builder.AddTrialFlowQueries();
builder.AddTrialFlowSecurity();
builder.AddTrialFlowApi();
builder.AddTrialFlowUi();

var app = builder.Build();

await app.PrepareDatabaseAsync();
await app.SeedDemoQueriesAsync();

app.UseTrialFlowErrors();
app.UseStaticFiles();
app.UseAuthentication();
app.UseTrialFlowSessionChecks();
app.UseAuthorization();
app.UseAntiforgery();

app.MapTrialFlowHealth();
app.MapTrialFlowAccount();
app.MapTrialFlowApi();
app.MapTrialFlowUi();

app.Run();

/// <summary>Entry point, public so WebApplicationFactory can host the app in tests.</summary>
public partial class Program;
