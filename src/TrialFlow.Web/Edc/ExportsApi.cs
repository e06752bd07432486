using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Edc.Fhir;
using TrialFlow.Edc.Sdtm;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Edc;

/// <summary>Results for analysis: SDTM TU/TR/RS as CSV (streamed) and FHIR R4 ImagingStudy bundles.</summary>
public static class ExportsApi
{
    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Exports").RequireAuthorization(Policies.EdcExport);
        api.MapGet("/trials/{trialId:guid}/sdtm/{domain}.csv", Sdtm).WithName("GetSdtmDomain")
            .WithSummary("SDTM TU, TR or RS of the trial's independent review as CSV, written while it is read.");
        api.MapGet("/subjects/{subjectId:guid}/fhir/imaging-studies", Fhir).WithName("GetSubjectImagingStudiesFhir")
            .WithSummary("The subject's imaging studies as a FHIR R4 Bundle (ImagingStudy, ResearchSubject, ResearchStudy, WADO-RS Endpoint).");
        return endpoints;
    }

    private static async Task<Results<EmptyHttpResult, NotFound, ProblemHttpResult>> Sdtm(
        Guid trialId, string domain, HttpContext http, TrialFlowDbContext db, ISdtmResultsSource source, CancellationToken ct)
    {
        var code = domain.ToUpperInvariant();
        if (code is not ("TU" or "TR" or "RS"))
            return TypedResults.Problem($"'{domain}' is not an exported SDTM domain; use tu, tr or rs.", statusCode: StatusCodes.Status404NotFound);
        var studyId = await db.Trials.Where(t => t.Id == trialId).Select(t => t.ProtocolId).SingleOrDefaultAsync(ct);
        if (studyId is null)
            return TypedResults.NotFound();
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{code.ToLowerInvariant()}.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false), bufferSize: 64 * 1024);
        await SdtmWriter.WriteAsync(studyId, source.SubjectsAsync(trialId, ct),
            code == "TU" ? writer : null, code == "TR" ? writer : null, code == "RS" ? writer : null, ct);
        return TypedResults.Empty;
    }

    private static async Task<Results<ContentHttpResult, NotFound>> Fhir(Guid subjectId, HttpRequest request, ImagingStudyBundleQuery query, CancellationToken ct)
    {
        var wadoRs = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/dicomweb");
        var bundle = await query.ForSubjectAsync(subjectId, wadoRs, ct);
        return bundle is null ? TypedResults.NotFound() : TypedResults.Text(ImagingStudyBundle.ToJson(bundle), "application/fhir+json");
    }
}
