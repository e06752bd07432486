using TrialFlow.Core.Events;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrialFlow.Activation;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Seeding;
using TrialFlow.Web.Audit;
using TrialFlow.Deid.Pseudonyms;
using TrialFlow.Intake;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Qc.Service;
using TrialFlow.Reports;
using TrialFlow.Review.Service;
using TrialFlow.Edc;
using TrialFlow.Workflows;
using TrialFlow.Workflows.Persistence;
using TrialFlow.Workflows.Publishing;
using TrialFlow.Web.Demo;
using TrialFlow.Web.Security;
using TrialFlow.Web.Intake;

namespace TrialFlow.Web.Startup;

/// <summary>The database at start-up: migrate, seed the demo trial into an empty database, report health.</summary>
public static class DataStartup
{
    public static IHostApplicationBuilder AddTrialFlowData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTrialFlowDatabase(builder.Configuration);
        // Modules talk through events in the outbox, delivered after commit (see docs/events.md).
        builder.Services.AddTrialFlowEvents(builder.Configuration);
        // Signed checkpoints of the audit chain's head every few minutes, beside the count trigger after saves.
        builder.Services.AddHostedService<AuditCheckpointWorker>();
        // Sign-in cookies and tokens stay valid across restarts: the key ring lives in the data folder.
        var dataDirectory = DatabaseOptions.FromConfiguration(builder.Configuration).DataDirectory;
        builder.Services.AddDataProtection().SetApplicationName("TrialFlow")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        builder.Services.AddScoped<TrialSeeder>();
        builder.Services.AddTrialFlowIntake(builder.Configuration, AppContext.BaseDirectory);
        // QC reads the headers of archived objects through intake's archive; QC runs when a StudyCompleted event is delivered.
        builder.Services.AddTrialFlowQc(builder.Configuration, AppContext.BaseDirectory, sp => sp.GetRequiredService<IntakeStores>().Archive.OpenRead);
        builder.Services.AddTrialFlowWorkflows(builder.Configuration);
        // Subject histories and PDF dossiers; other areas add their history sections with AddHistorySection<T>().
        builder.Services.AddTrialFlowReports();
        builder.Services.AddTrialFlowReview(builder.Configuration, AppContext.BaseDirectory);
        builder.Services.AddTrialFlowActivation(builder.Configuration, AppContext.BaseDirectory);
        builder.Services.AddSingleton<TrialFlow.Retrieval.Pacs.IPacsSecrets, Retrieval.DataProtectedPacsSecrets>();
        TrialFlow.Retrieval.RetrievalServiceCollectionExtensions.AddTrialFlowRetrieval(builder.Services, builder.Configuration);
        builder.Services.AddSingleton<DemoImages>();
        // After the workflows: with an export configured, the EDC exporter replaces ExportToEdc's unconfigured port.
        builder.Services.AddTrialFlowEdc(builder.Configuration, AppContext.BaseDirectory);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<IntakeHealthCheck>("intake")
            .AddCheck<EventsHealthCheck>("events");
        return builder;
    }

    /// <summary>Applies pending migrations and, on first start, seeds the demo trial and prints its users' passwords once.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<HostActorAccessor>().Set(Actor.System("startup"));
        var db = scope.ServiceProvider.GetRequiredService<TrialFlowDbContext>();
        await db.MigrateAsync();
        await app.Services.GetRequiredService<PseudonymStore>().MigrateAsync();
        await app.Services.GetRequiredService<WorkflowStore>().MigrateAsync();
        // The workflow files beside the binary seed a fresh install: each becomes version 1 (not yet bound to a trial).
        await app.Services.GetRequiredService<WorkflowDefinitions>().SeedAsync(Path.Combine(AppContext.BaseDirectory, "workflows"), Actor.System("startup"));

        var seedFile = app.Configuration["TrialFlow:Demo:SeedFile"];
        if (string.IsNullOrWhiteSpace(seedFile))
            return;
        var path = Path.IsPathRooted(seedFile) ? seedFile : Path.Combine(AppContext.BaseDirectory, seedFile);
        var seed = TrialSeedFile.Load(path);
        var credentials = await scope.ServiceProvider.GetRequiredService<TrialSeeder>().SeedAsync(seed);
        if (credentials.Count > 0)
        {
            // A fresh demo gets studies in review with readers assigned, so the readers' worklists are not empty.
            if (seed.ReviewPool is { Count: > 0 })
            {
                var studies = await scope.ServiceProvider.GetRequiredService<ReviewDemoSeeder>().SeedAsync(db, seed.Trial.ProtocolId);
                await scope.ServiceProvider.GetRequiredService<DemoImages>().AddAsync(db, studies, CancellationToken.None);
            }
            PrintCredentials(credentials, app.Services.GetRequiredService<DatabaseOptions>());
        }
    }

    private static void PrintCredentials(IReadOnlyList<SeededCredential> credentials, DatabaseOptions database)
    {
        var lines = new List<string>
        {
            "TrialFlow demo trial seeded. These passwords are shown ONCE and stored only as hashes:",
            "",
        };
        lines.AddRange(credentials.Select(c => $"  {c.UserName,-14} {c.Role,-14} {c.Password}"));
        lines.Add("");
        lines.Add($"Data folder: {database.DataDirectory}");
        Console.WriteLine();
        Console.WriteLine(string.Join(Environment.NewLine, lines));
        Console.WriteLine();
    }

    public static IEndpointRouteBuilder MapTrialFlowHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsJsonAsync(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
                });
            },
        }).AllowAnonymous();
        return endpoints;
    }
}

internal sealed class DatabaseHealthCheck(TrialFlowDbContext db, DatabaseOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy($"{options.Provider} reachable")
            : HealthCheckResult.Unhealthy($"{options.Provider} not reachable");
}
