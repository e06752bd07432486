using TrialFlow.Queries;
using TrialFlow.Queries.Notifications;
using TrialFlow.Queries.Domain;
using TrialFlow.Queries.Service;

namespace TrialFlow.Web.Queries;

public static class QueriesStartup
{
    /// <summary>The query service and templates, the escalation job, and e-mail of notifications (off unless TrialFlow:Mail:Enabled).</summary>
    public static IHostApplicationBuilder AddTrialFlowQueries(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTrialFlowQueries(builder.Configuration, AppContext.BaseDirectory);
        builder.Services.AddTrialFlowQueryNotifications(builder.Configuration);
        return builder;
    }

    /// <summary>Seeds the demo queries when the demo trial is seeded (TrialFlow:Demo:SeedFile) and there are none yet.</summary>
    public static async Task SeedDemoQueriesAsync(this WebApplication app)
    {
        if (string.IsNullOrWhiteSpace(app.Configuration["TrialFlow:Demo:SeedFile"]) || !app.Services.GetRequiredService<QueryOptions>().SeedDemo)
            return;
        await QueryDemoSeeder.SeedAsync(app.Services);
    }
}
