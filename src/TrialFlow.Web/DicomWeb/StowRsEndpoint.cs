using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;
using TrialFlow.Dicom;
using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Intake.Staging;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.DicomWeb;

/// <summary>
/// DICOMweb STOW-RS (PS3.18 10.5): <c>POST /dicomweb/studies</c> with a multipart/related body of application/dicom
/// parts. Each part intake admits is durably staged before the response, which lists it in the Referenced SOP Sequence;
/// parts it refuses (unreadable, too large, not application/dicom) are listed in the Failed SOP Sequence with their
/// Failure Reason, the detail in a Warning header. A malformed body is a 400 naming the problem. The site is the caller's (or <c>?site=</c>).
/// </summary>
public static class StowRsEndpoint
{
    // PS3.18 Table 10.5.3-2 / PS3.4 Annex GG failure reasons.
    private const ushort CannotUnderstand = 0xC000;

    public static IEndpointRouteBuilder MapStowRs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/dicomweb/studies", StoreAsync).RequireAuthorization(Policies.Upload).WithTags("DICOMweb")
            .WithName("StowRs").WithSummary("STOW-RS: store instances (multipart/related; type=\"application/dicom\").")
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> StoreAsync(HttpRequest request, string? site, TrialFlowDbContext db, IntakeReceiver intake, TimeProvider time, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
            return Results.Problem("STOW-RS expects Content-Type: multipart/related; type=\"application/dicom\"; boundary=...", statusCode: StatusCodes.Status415UnsupportedMediaType);
        var target = await SiteAsync(db, site, ct);
        if (target is null)
            return Results.Problem(site is null
                ? "Name the site with ?site=NUMBER: you belong to more than one, or to none."
                : $"Site '{site}' is not one of your sites.", statusCode: StatusCodes.Status404NotFound);

        var referenced = new JsonArray();
        var failed = new JsonArray();
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
                await StorePartAsync(section, request, target, db, intake, time, referenced, failed, ct);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or BadHttpRequestException)
        {
            // A broken body (wrong boundary, cut short) is the client's error, never a 500. Parts before the break were
            // staged and will be archived; sending the whole request again stores nothing twice.
            var problem = e is IOException
                ? $"the body ends before its closing boundary --{boundary}--: it was cut short, or its parts are not delimited by the boundary the Content-Type names"
                : e.Message;
            return Results.Problem($"The multipart/related body is malformed: {problem}." +
                (referenced.Count > 0 ? $" ({referenced.Count} part(s) before the break were stored; sending them again is harmless.)" : ""),
                statusCode: StatusCodes.Status400BadRequest);
        }
        if (referenced.Count == 0 && failed.Count == 0)
            return Results.Problem($"The multipart/related body has no parts (boundary \"{boundary}\").", statusCode: StatusCodes.Status400BadRequest);

        var response = new JsonObject();
        if (failed.Count > 0)
            response["00081198"] = new JsonObject { ["vr"] = "SQ", ["Value"] = failed };
        if (referenced.Count > 0)
            response["00081199"] = new JsonObject { ["vr"] = "SQ", ["Value"] = referenced };
        var status = failed.Count == 0 ? StatusCodes.Status200OK : referenced.Count == 0 ? StatusCodes.Status409Conflict : StatusCodes.Status202Accepted;
        return Results.Text(response.ToJsonString(), "application/dicom+json", statusCode: status);
    }

    private static async Task StorePartAsync(MultipartSection section, HttpRequest request, Site target, TrialFlowDbContext db, IntakeReceiver intake,
        TimeProvider time, JsonArray referenced, JsonArray failed, CancellationToken ct)
    {
        if (section.ContentType is { } partType && !partType.StartsWith("application/dicom", StringComparison.OrdinalIgnoreCase))
        {
            failed.Add(Failure(request.HttpContext.Response, null, null, CannotUnderstand, $"part of type {partType} is not application/dicom"));
            return;
        }

        using var part = new MemoryStream();
        await section.Body.CopyToAsync(part, ct);
        part.Position = 0;
        var (sopClass, sopInstance) = Identify(part, ct);
        try
        {
            // The door parses the part before it is staged: what it cannot read is refused here, not acknowledged.
            await intake.StageAsync(new StagedObject(IntakeChannel.StowRs, target.TrialId, target.Id, time.GetUtcNow().UtcDateTime, db.Actor.UserName,
                null, null, null, part.Length), part, ct);
            referenced.Add(Reference(sopClass, sopInstance));
        }
        catch (IntakeRejectedException e)
        {
            failed.Add(Failure(request.HttpContext.Response, sopClass ?? e.SopClassUid, sopInstance ?? e.SopInstanceUid, e.Status.Code, e.Message));
        }
    }

    /// <summary>The part's SOP Class and Instance UIDs for the response, as far as its header can be read; the stream is rewound.</summary>
    private static (string? SopClass, string? SopInstance) Identify(MemoryStream part, CancellationToken ct)
    {
        try
        {
            var header = DicomFileReader.Read(part, DicomReadOptions.HeaderOnlyOptions, ct).Dataset;
            return (header.GetString(DicomTags.SOPClassUID)?.Trim('\0', ' '), header.GetString(DicomTags.SOPInstanceUID)?.Trim('\0', ' '));
        }
        catch (DicomException)
        {
            return (null, null); // the door says why
        }
        finally
        {
            part.Position = 0;
        }
    }

    private static async Task<Site?> SiteAsync(TrialFlowDbContext db, string? site, CancellationToken ct)
    {
        var visible = db.Sites.AsNoTracking();
        if (site is null)
        {
            var sites = await visible.Take(2).ToListAsync(ct);
            return sites.Count == 1 ? sites[0] : null;
        }

        return Guid.TryParse(site, out var id)
            ? await visible.SingleOrDefaultAsync(s => s.Id == id, ct)
            : await visible.SingleOrDefaultAsync(s => s.SiteNumber == site, ct);
    }

    private static JsonObject Reference(string? sopClass, string? sopInstance) => new()
    {
        ["00081150"] = Uid(sopClass),
        ["00081155"] = Uid(sopInstance),
    };

    private static JsonObject Failure(HttpResponse response, string? sopClass, string? sopInstance, ushort reason, string comment)
    {
        // PS3.18 8.7.3: human-readable detail travels in Warning headers; the dataset carries the Failure Reason code.
        response.Headers.Append("Warning", $"299 TrialFlow \"{comment.Replace('"', '\'')}\"");
        return Failure(sopClass, sopInstance, reason);
    }

    private static JsonObject Failure(string? sopClass, string? sopInstance, ushort reason) => new()
    {
        ["00081150"] = Uid(sopClass),
        ["00081155"] = Uid(sopInstance),
        ["00081197"] = new JsonObject { ["vr"] = "US", ["Value"] = new JsonArray(reason) },
    };

    private static JsonObject Uid(string? uid) =>
        uid is null ? new JsonObject { ["vr"] = "UI" } : new JsonObject { ["vr"] = "UI", ["Value"] = new JsonArray(uid) };
}
