using TrialFlow.Core.Events;
using TrialFlow.Queries;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TrialFlow.Queries.Events;
using TrialFlow.Review.Events;
using TrialFlow.Review.Service;
using TrialFlow.Workflows.Activities;
using TrialFlow.Workflows.Persistence;
using TrialFlow.Workflows.Publishing;
using TrialFlow.Workflows.Queries;
using TrialFlow.Workflows.Runtime;
using TrialFlow.Workflows.Scripting;
using TrialFlow.Workflows.Validation;
using WorkflowCore.Interface;

namespace TrialFlow.Workflows;

public static class WorkflowsServiceCollectionExtensions
{
    /// <summary>
    /// The workflow runtime: catalog, validator, compiler, definitions, WorkflowCore on our EF Core persistence with a
    /// database-backed registry and the injected clock, and (with <paramref name="runInBackground"/>) the hosted engine
    /// and the StudyCompleted starter. Needs <c>AddTrialFlowDatabase</c> (DatabaseOptions, TimeProvider) first.
    /// </summary>
    public static IServiceCollection AddTrialFlowWorkflows(this IServiceCollection services, IConfiguration configuration, bool runInBackground = true) =>
        AddTrialFlowWorkflows(services, configuration, runInBackground, inMemoryPeer: false);

    /// <param name="inMemoryPeer">The benchmark's peer: WorkflowCore's own in-memory persistence instead of ours.</param>
    internal static IServiceCollection AddTrialFlowWorkflows(this IServiceCollection services, IConfiguration configuration, bool runInBackground, bool inMemoryPeer)
    {
        var options = WorkflowRuntimeOptions.FromConfiguration(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(ActivityCatalog.Default);
        services.AddSingleton<WorkflowValidator>();
        services.AddSingleton<GraphCompiler>();
        services.AddSingleton(JavaScriptSandbox.Shared);
        services.AddSingleton<WorkflowStore>();
        services.AddSingleton<WorkflowDatabase>();
        services.AddSingleton<JournalBuffer>();
        services.AddSingleton<StepRateGuard>();
        services.AddSingleton<EfPersistenceProvider>();
        services.AddSingleton<WorkflowDefinitions>();
        services.AddSingleton<StudyWorkflowStarter>();
        services.AddSingleton<Publishing.WorkflowBackfill>();
        // Instances start when a study completes or a workflow is published (events, delivered after commit).
        services.AddModuleEventHandler<StudyCompleted, StartWorkflowsOnStudyCompleted>();
        services.AddModuleEventHandler<Events.WorkflowPublished, StartWorkflowsOnPublished>();
        services.AddSingleton<StudyWorkflows>();
        services.AddSingleton<ExportIncidents>();
        // Review steps: the coordinator they call, and the handlers that release their waits when a read is signed or
        // an adjudication decided.
        services.TryAddSingleton<ReviewCoordinator>();
        services.AddModuleEventHandler<ReadSigned, ResumeOnReadSigned>();
        services.AddModuleEventHandler<AdjudicationDecided, ResumeOnAdjudicationDecided>();
        services.AddSingleton<WorkflowEngineService>();
        services.AddTransient<InputBinder>();
        services.AddTransient<IncidentRecorder>();
        // RaiseQuery and WaitForQueryResolution: the query service, its templates, and the handler that resumes a waiting workflow.
        services.AddTrialFlowQueries(configuration, AppContext.BaseDirectory);
        services.AddModuleEventHandler<QueryEnded, ResumeOnQueryEnded>();
        // The host replaces this with the EDC exporter of TrialFlow.Reports when an export is configured.
        services.TryAddSingleton<IVisitResultsExporter, UnconfiguredVisitResultsExporter>();

        services.AddWorkflow(o =>
        {
            if (!inMemoryPeer)
                o.UsePersistence(sp => sp.GetRequiredService<EfPersistenceProvider>());
            o.UsePollInterval(options.PollInterval);
            o.UseMaxConcurrentWorkflows(options.MaxConcurrentWorkflows);
            // WorkflowCore sleeps IdleTime (default 100 ms) whenever all its slots are busy, leaving a freed slot idle
            // that long: under load that, not the database, set the pace.
            o.UseIdleTime(TimeSpan.FromMilliseconds(5));
            // WorkflowCore's search index is not used (the UI reads our tables); its consumer would reload every
            // instance after every step only to hand it to a null index.
            o.EnableIndexes = false;
        });
        // Replace WorkflowCore's in-memory registry and wall clock (registered by AddWorkflow; the last registration wins).
        services.AddSingleton<IWorkflowRegistry, WorkflowDefinitionRegistry>();
        services.AddTransient<IDateTimeProvider, TimeProviderClock>();

        if (runInBackground)
        {
            services.AddHostedService(sp => sp.GetRequiredService<WorkflowEngineService>());
            services.AddHostedService<StudyWorkflowStarterService>();
        }
        return services;
    }
}
