using Microsoft.Extensions.Hosting;
using TrialFlow.Workflows.Persistence;
using WorkflowCore.Interface;

namespace TrialFlow.Workflows.Runtime;

/// <summary>Migrates the workflow tables and runs WorkflowCore's host for the lifetime of the application.</summary>
public sealed class WorkflowEngineService(WorkflowStore store, IWorkflowHost host) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        await host.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => host.StopAsync(cancellationToken);
}
