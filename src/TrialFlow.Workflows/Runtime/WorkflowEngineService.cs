using Microsoft.Extensions.Hosting;
using TrialFlow.Workflows.Persistence;
using WorkflowCore.Interface;

namespace TrialFlow.Workflows.Runtime;

/// <summary>Migrates the workflow tables and runs WorkflowCore's host for the lifetime of the application.</summary>
public sealed class WorkflowEngineService(WorkflowStore store, IWorkflowHost host) : IHostedService
{
    private int _state; // 0 not started, 1 running, 2 stopped

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        await host.StartAsync(cancellationToken);
        Interlocked.CompareExchange(ref _state, 1, 0);
    }

    /// <summary>
    /// Stops WorkflowCore once, and only if it started: its host throws (NullReferenceException in its life-cycle event
    /// publisher) when stopped twice or before it started, which test hosts and failed start-ups both do.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1)
            return;
        try
        {
            await host.StopAsync(cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            // WorkflowCore registers its singleton life-cycle event publisher a second time as a transient
            // IBackgroundTask; a DI scope that resolved it disposes the singleton's queue, and stopping then throws.
            // At shutdown nothing depends on those in-memory events (they are not the audit trail): the host is stopped.
        }
    }
}
