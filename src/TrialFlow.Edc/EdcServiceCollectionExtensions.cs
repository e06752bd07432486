using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TrialFlow.Edc.Fhir;
using TrialFlow.Edc.Sdtm;
using TrialFlow.Workflows.Activities;

namespace TrialFlow.Edc;

public static class EdcServiceCollectionExtensions
{
    /// <summary>
    /// The EDC exchange: OID mappings, registry import, reconciliation, status/SDTM/FHIR exports and, when
    /// <c>TrialFlow:Edc:Export:Mode</c> is set, the exporter behind the ExportToEdc activity (replacing the
    /// unconfigured one). Call after <c>AddTrialFlowWorkflows</c>. Open queries, review progress and SDTM results are
    /// read from the query and central review tables of the caller's context.
    /// </summary>
    public static IServiceCollection AddTrialFlowEdc(this IServiceCollection services, IConfiguration configuration, string baseDirectory)
    {
        var options = EdcOptions.FromConfiguration(configuration, baseDirectory);
        services.AddSingleton(options);
        services.AddSingleton<EdcMappings>();
        services.AddScoped<RegistryImport>();
        services.AddScoped<ReconciliationQuery>();
        services.AddScoped<ImagingVisitStatusQuery>();
        services.AddScoped<ImagingStudyBundleQuery>();
        services.AddSingleton<IOpenQueryCounts, QueryTableOpenCounts>();
        services.AddSingleton<IReviewProgressSource, ReadTableReviewProgress>();
        services.AddScoped<ISdtmResultsSource, ReadTableSdtmSource>();

        switch (options.ExportMode)
        {
            case EdcExportMode.FileDrop:
                services.AddSingleton<IEdcDelivery>(new FileDropDelivery(options.ExportFolder!));
                break;
            case EdcExportMode.Http:
                services.AddHttpClient(nameof(HttpPostDelivery), c => c.Timeout = TimeSpan.FromSeconds(60));
                services.AddSingleton<IEdcDelivery>(sp => new HttpPostDelivery(
                    sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(HttpPostDelivery)), options.ExportEndpoint!, options.ExportBearerToken));
                break;
        }
        if (options.ExportMode != EdcExportMode.None)
            services.Replace(ServiceDescriptor.Singleton<IVisitResultsExporter, EdcVisitResultsExporter>());
        return services;
    }
}
