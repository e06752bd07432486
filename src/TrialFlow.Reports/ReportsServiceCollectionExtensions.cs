using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TrialFlow.Reports.Dossier;
using TrialFlow.Reports.History;
using TrialFlow.Reports.History.Sections;

namespace TrialFlow.Reports;

public static class ReportsServiceCollectionExtensions
{
    /// <summary>
    /// The subject history (its built-in sections) and the PDF dossier. Needs the workflow store (<c>AddTrialFlowWorkflows</c>).
    /// Other areas add their sections with <see cref="AddHistorySection{T}"/>.
    /// </summary>
    public static IServiceCollection AddTrialFlowReports(this IServiceCollection services)
    {
        services.AddHistorySection<SubjectSection>();
        services.AddHistorySection<ImagingSection>();
        services.AddHistorySection<QcSection>();
        services.AddHistorySection<WorkflowSection>();
        services.AddHistorySection<QueriesSection>();
        services.AddHistorySection<ReviewSection>();
        services.AddHistorySection<AuditTrailSection>();
        services.TryAddSingleton<SubjectHistoryBuilder>();
        services.TryAddSingleton<DossierService>();
        return services;
    }

    /// <summary>Adds one section to every subject history page and dossier (its <see cref="IHistorySection.Order"/> places it).</summary>
    public static IServiceCollection AddHistorySection<T>(this IServiceCollection services) where T : class, IHistorySection
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHistorySection, T>());
        return services;
    }
}
