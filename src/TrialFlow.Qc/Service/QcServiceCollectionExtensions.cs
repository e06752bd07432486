using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TrialFlow.Core.Events;
using TrialFlow.Qc.Protocols;

namespace TrialFlow.Qc.Service;

public static class QcServiceCollectionExtensions
{
    /// <summary>
    /// Registers QC: the protocol catalog (loaded here, so a broken protocol file stops the host at start-up), the
    /// ruleset store, the QC service and, unless <c>TrialFlow:Qc:RunOnIntake</c> is false, the
    /// <see cref="StudyCompleted"/> handler that runs QC on completed studies. <paramref name="openArchived"/> opens an archived object by its SHA-256.
    /// </summary>
    public static IServiceCollection AddTrialFlowQc(this IServiceCollection services, IConfiguration configuration, string baseDirectory,
        Func<IServiceProvider, Func<string, Stream>> openArchived)
    {
        var options = QcOptions.FromConfiguration(configuration, baseDirectory);
        services.AddSingleton(options);
        services.AddSingleton(ProtocolCatalog.FromDirectory(options.ProtocolDirectory));
        services.AddSingleton<QcRulesetStore>();
        services.AddSingleton(sp => new ArchivedImages(openArchived(sp)));
        services.AddSingleton<QcService>();
        services.AddSingleton<QualificationQc>();
        if (options.RunOnIntake)
            services.AddModuleEventHandler<StudyCompleted, QcOnStudyCompleted>();
        return services;
    }
}
