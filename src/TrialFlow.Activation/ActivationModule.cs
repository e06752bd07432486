using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TrialFlow.Activation.Domain;
using TrialFlow.Activation.Service;
using TrialFlow.Core.Events;
using TrialFlow.Intake.Events;

namespace TrialFlow.Activation;

public static class ActivationServiceCollectionExtensions
{
    /// <summary>
    /// Onboarding and activation, with the checklists from <c>TrialFlow:Activation:Checklists</c> (default
    /// <c>templates/activation</c> beside the binary), read and checked at start.
    /// </summary>
    public static IServiceCollection AddTrialFlowActivation(this IServiceCollection services, IConfiguration configuration, string baseDirectory)
    {
        var configured = configuration["TrialFlow:Activation:Checklists"];
        var directory = string.IsNullOrWhiteSpace(configured) ? Path.Combine(baseDirectory, "templates", "activation")
            : Path.IsPathRooted(configured) ? configured : Path.Combine(baseDirectory, configured);
        services.TryAddSingleton(_ => ChecklistCatalog.FromDirectory(directory));
        services.TryAddSingleton<SiteActivation>();
        services.TryAddSingleton<SiteOnboarding>();
        services.TryAddSingleton<ScannerQualification>();
        services.TryAddSingleton(_ => new Storage.EvidenceFiles(Path.Combine(TrialFlow.Core.Persistence.DatabaseOptions.FromConfiguration(configuration).DataDirectory, "evidence")));
        services.AddModuleEventHandler<QualificationScanCompleted, EvaluateQualificationScan>();
        services.AddScoped<TrialFlow.Core.Seeding.ITrialSeedPart, Seeding.ChecklistSeedPart>();
        return services;
    }
}
