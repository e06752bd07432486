using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TrialFlow.Deid.Pseudonyms;
using TrialFlow.Intake.Pipeline;

namespace TrialFlow.Intake;

public static class IntakeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the intake pipeline, its stores and background workers. Relative profile paths resolve against
    /// <paramref name="baseDirectory"/> (where the host ships <c>rulesets/</c>). Profiles load here, so a broken
    /// profile stops the host at start-up with file, line and reason.
    /// </summary>
    public static IServiceCollection AddTrialFlowIntake(this IServiceCollection services, IConfiguration configuration, string baseDirectory)
    {
        var options = IntakeOptions.FromConfiguration(configuration, baseDirectory);
        services.AddSingleton(options);
        services.AddSingleton(new DeidProfileCatalog(options));
        services.AddSingleton(new PseudonymStore(PseudonymStoreOptions.FromConfiguration(configuration)));
        services.AddSingleton<IntakeStores>();
        services.AddSingleton<IntakeReceiver>();
        services.AddSingleton<IntakePipeline>();
        services.AddSingleton<StudyCompletion>();
        services.AddSingleton<Uploads.UploadChunkStore>();
        services.AddHostedService<IntakeWorker>();
        services.AddHostedService<StudyCompletionService>();
        return services;
    }
}
