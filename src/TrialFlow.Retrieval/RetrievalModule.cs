using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TrialFlow.Intake;
using TrialFlow.Retrieval.Jobs;
using TrialFlow.Retrieval.Pacs;

namespace TrialFlow.Retrieval;

public static class RetrievalServiceCollectionExtensions
{
    /// <summary>
    /// Retrospective pulls: the PACS registry, pull jobs and the runner that retrieves them into intake (which must be
    /// registered). The host provides <see cref="IPacsSecrets"/> (its data-protection keys).
    /// </summary>
    public static IServiceCollection AddTrialFlowRetrieval(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(RetrievalOptions.FromConfiguration(configuration));
        services.TryAddSingleton(sp => new IdentifierSeal(sp.GetRequiredService<IntakeOptions>().StagingKey));
        services.TryAddSingleton<PacsClients>();
        services.TryAddSingleton<PacsRegistry>();
        services.TryAddSingleton<StudyRetriever>();
        services.TryAddSingleton<PullJobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<PullJobRunner>());
        services.TryAddSingleton<PullJobs>();
        return services;
    }
}
