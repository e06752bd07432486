using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TrialFlow.Review.Service;

public static class ReviewServiceCollectionExtensions
{
    /// <summary>
    /// The central review: form templates (loaded here, so a broken template stops the host at start-up), the
    /// coordinator the workflow steps use, and the scoped reader, adjudicator and manager services. Needs the database
    /// and Identity registered. Signed reads and decisions are told to other modules as events (<c>Review/Events</c>).
    /// </summary>
    public static IServiceCollection AddTrialFlowReview(this IServiceCollection services, IConfiguration configuration, string baseDirectory)
    {
        var options = ReviewOptions.FromConfiguration(configuration, baseDirectory);
        services.AddSingleton(options);
        services.AddSingleton(FormTemplateCatalog.FromDirectory(options.FormsDirectory));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ReviewCoordinator>();
        services.AddScoped<SignatureVerifier>();
        services.AddScoped<ReadingService>();
        services.AddScoped<AdjudicationService>();
        services.AddScoped<ReviewManagement>();
        services.AddScoped<ReviewSettingsService>();
        services.AddScoped<TrialFlow.Core.Seeding.ITrialSeedPart, Seeding.ReviewPoolSeedPart>();
        services.AddSingleton<ReviewDemoSeeder>();
        return services;
    }
}
