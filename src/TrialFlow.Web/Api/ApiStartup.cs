using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using TrialFlow.Core.Access;
using TrialFlow.Core.Audit;
using TrialFlow.Review.Domain;
using TrialFlow.Review.Service;
using TrialFlow.Web.Activation;
using TrialFlow.Web.DicomWeb;
using TrialFlow.Web.Edc;
using TrialFlow.Web.Intake;
using TrialFlow.Web.Qc;
using TrialFlow.Web.Queries;
using TrialFlow.Web.Reports;
using TrialFlow.Web.Retrieval;
using TrialFlow.Web.Review;
using TrialFlow.Web.Trials;
using TrialFlow.Web.Viewer;

namespace TrialFlow.Web.Api;

public static class ApiStartup
{
    public static IHostApplicationBuilder AddTrialFlowApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        // Enumerations travel as their names ("Enrolled"), never as numbers that change meaning on reordering.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddExceptionHandler<DomainExceptionHandler>();
        builder.Services.AddSingleton<ViewerManifestBuilder>();
        builder.Services.AddSingleton<ReaderImageAccess>();
        builder.Services.AddScoped<QuarantineBatchDecisions>();
        builder.Services.AddSingleton(sp => Trials.TrialTemplateCatalog.FromDirectory(
            sp.GetRequiredService<IConfiguration>()["TrialFlow:Trials:Templates"] ?? Path.Combine(AppContext.BaseDirectory, "templates", "trials")));
        builder.Services.AddScoped<Trials.TrialCreation>();
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "TrialFlow API";
            document.Info.Description = "Clinical-trial imaging: trials, sites, subjects, studies and the audit trail. Authenticate with a bearer token from POST /api/auth/token or the browser's sign-in cookie.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseTrialFlowErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    public static IEndpointRouteBuilder MapTrialFlowApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        endpoints.MapTrialsApi();
        endpoints.MapTrialSetupApi();
        endpoints.MapSitesApi();
        endpoints.MapActivationApi();
        endpoints.MapRetrievalApi();
        endpoints.MapSubjectsApi();
        endpoints.MapAuditApi();
        endpoints.MapUsersApi();
        endpoints.MapUploadsApi();
        endpoints.MapStowRs();
        endpoints.MapDicomWebQueries();
        endpoints.MapWadoRs();
        endpoints.MapQuarantineApi();
        endpoints.MapIntakeMonitoringApi();
        endpoints.MapQcApi();
        endpoints.MapViewerApi();
        endpoints.MapDossierApi();
        endpoints.MapAdherenceApi();
        endpoints.MapQueriesApi();
        endpoints.MapReviewApi();
        endpoints.MapReviewImagesApi();
        endpoints.MapEdcApi();
        endpoints.MapEdcExportIncidentsApi();
        endpoints.MapExportsApi();
        return endpoints;
    }
}

/// <summary>Maps the domain's refusals to problem details a client can act on; nothing was saved in any of these cases.</summary>
internal sealed class DomainExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Malformed request"),
            SiteAccessDeniedException => (StatusCodes.Status403Forbidden, "Outside your sites"),
            TrialAccessDeniedException => (StatusCodes.Status403Forbidden, "Outside your trials"),
            TrialFlow.Queries.Domain.QueryNotFoundException => (StatusCodes.Status404NotFound, "Query not found"),
            TrialFlow.Queries.Domain.QueryPermissionException => (StatusCodes.Status403Forbidden, "Not yours to do"),
            TrialFlow.Queries.Domain.QueryTransitionException => (StatusCodes.Status409Conflict, "Not in this status"),
            TrialFlow.Core.Imaging.StudyTransitionException => (StatusCodes.Status409Conflict, "Not in this status"),
            AuditReasonRequiredException => (StatusCodes.Status422UnprocessableEntity, "A reason is required"),
            ReviewNotFoundException => (StatusCodes.Status404NotFound, "Not found"),
            ReviewStateException => (StatusCodes.Status409Conflict, "Not possible in the record's state"),
            SignatureRejectedException => (StatusCodes.Status422UnprocessableEntity, "Signature rejected"),
            TrialFlow.Edc.EdcFileException => (StatusCodes.Status400BadRequest, "The EDC file could not be read"),
            TrialFlow.Edc.EdcMappingException => (StatusCodes.Status422UnprocessableEntity, "The EDC mapping is incomplete"),
            TrialFlow.Activation.Service.SiteNotFoundException => (StatusCodes.Status404NotFound, "Site not found"),
            TrialFlow.Activation.Service.TrialNotFoundException => (StatusCodes.Status404NotFound, "Trial not found"),
            TrialFlow.Activation.Service.QualificationScanNotFoundException => (StatusCodes.Status404NotFound, "Qualification scan not found"),
            TrialFlow.Activation.Domain.ActivationException => (StatusCodes.Status409Conflict, "Not possible for this site now"),
            TrialFlow.Web.DicomWeb.QidoQueryException => (StatusCodes.Status400BadRequest, "This search cannot be answered"),
            TrialFlow.Retrieval.Cohorts.CohortFileException => (StatusCodes.Status400BadRequest, "The cohort file has mistakes"),
            TrialFlow.Retrieval.Jobs.PacsUnavailableException => (StatusCodes.Status502BadGateway, "The site's PACS did not answer"),
            TrialFlow.Retrieval.Jobs.PullJobNotFoundException => (StatusCodes.Status404NotFound, "Pull job not found"),
            TrialFlow.Retrieval.Domain.PullJobStateException => (StatusCodes.Status409Conflict, "Not possible for this pull now"),
            ArgumentException => (StatusCodes.Status400BadRequest, "Invalid value"),
            _ => (0, ""),
        };
        if (status == 0)
            return false;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = exception.InnerException is { } inner && exception is BadHttpRequestException ? $"{exception.Message} {inner.Message}" : exception.Message },
            Exception = exception,
        });
    }
}
