using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace TrialFlow.Web.Tests.Support;

/// <summary>
/// TrialFlow without intake's background worker: what a channel stages stays staged until a test calls
/// <see cref="SettleIntakeAsync"/>. Tests use it to see what clients see while intake has not yet processed their files,
/// without racing the worker.
/// </summary>
public sealed class IdleIntakeApp : TrialFlowApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(IntakeWorker))));
    }

    /// <summary>Processes what is staged, in arrival order, as the worker would; returns how many objects it settled.</summary>
    public async Task<int> SettleIntakeAsync()
    {
        var receiver = Services.GetRequiredService<IntakeReceiver>();
        var pipeline = Services.GetRequiredService<IntakePipeline>();
        var settled = 0;
        while (receiver.TryTakePending(out var name))
        {
            await pipeline.ProcessAsync(name, CancellationToken.None);
            settled++;
        }

        return settled;
    }
}

[CollectionDefinition(Name)]
public sealed class IdleIntakeCollection : ICollectionFixture<IdleIntakeApp>
{
    public const string Name = "TrialFlow app, intake idle";
}
