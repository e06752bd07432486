using TrialFlow.Queries.Service;
using TrialFlow.Queries.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TrialFlow.Queries;

public static class QueriesServiceCollectionExtensions
{
    /// <summary>
    /// The query service and the query templates from <c>TrialFlow:Queries:Templates</c> (default <c>templates/queries</c>
    /// beside the binary). Safe to call more than once (the workflow runtime and the host both do).
    /// </summary>
    public static IServiceCollection AddTrialFlowQueries(this IServiceCollection services, IConfiguration configuration, string baseDirectory)
    {
        var configured = configuration["TrialFlow:Queries:Templates"];
        var directory = string.IsNullOrWhiteSpace(configured) ? Path.Combine(baseDirectory, "templates", "queries")
            : Path.IsPathRooted(configured) ? configured : Path.Combine(baseDirectory, configured);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new QueryTemplates(directory));
        services.TryAddSingleton<QueryService>();
        return services;
    }
}
