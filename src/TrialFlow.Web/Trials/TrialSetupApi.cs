using Microsoft.AspNetCore.Http.HttpResults;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Trials;

/// <summary>Trials created from templates by study managers and administrators.</summary>
public static class TrialSetupApi
{
    public static IEndpointRouteBuilder MapTrialSetupApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/trial-templates", ListTemplates).WithTags("Trials").WithName("ListTrialTemplates")
            .WithSummary("The trial templates of templates/trials a new trial starts from.").RequireAuthorization(Policies.SiteSetup);
        endpoints.MapPost("/api/trials", CreateTrial).WithTags("Trials").WithName("CreateTrial")
            .WithSummary("Create a trial from a template; values left out are the template's. The creator becomes a member.")
            .RequireAuthorization(Policies.SiteSetup);
        return endpoints;
    }

    private static Ok<IReadOnlyList<TrialTemplate>> ListTemplates(TrialTemplateCatalog templates) => TypedResults.Ok(templates.All);

    private static async Task<Results<Created<CreatedTrial>, ValidationProblem, ProblemHttpResult>> CreateTrial(
        CreateTrialRequest request, TrialCreation creation, CancellationToken ct)
    {
        try
        {
            var created = await creation.CreateAsync(request, ct);
            return TypedResults.Created($"/api/trials/{created.Id}", created);
        }
        catch (TrialSetupException e)
        {
            return TypedResults.ValidationProblem(e.Errors);
        }
        catch (TrialExistsException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "A trial with this protocol id exists");
        }
    }
}
