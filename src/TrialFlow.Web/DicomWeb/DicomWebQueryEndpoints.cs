using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.DicomWeb;

/// <summary>
/// QIDO-RS over the de-identified archive (PS3.18 10.6), authorized like the rest of the API and scoped to the caller's
/// sites; WADO-RS beside it in <see cref="WadoRsEndpoints"/>. Only de-identified objects are ever described or served:
/// staging and quarantine are not reachable from here.
/// </summary>
public static class DicomWebQueryEndpoints
{
    public static IEndpointRouteBuilder MapDicomWebQueries(this IEndpointRouteBuilder endpoints)
    {
        var web = endpoints.MapGroup("/dicomweb").WithTags("DICOMweb").RequireAuthorization(Policies.TrialRead);
        web.MapGet("/studies", SearchStudies).WithName("QidoStudies").WithSummary("QIDO-RS: studies (StudyInstanceUID, PatientID = subject id, StudyDate, ModalitiesInStudy).");
        web.MapGet("/studies/{study}/series", SearchSeries).WithName("QidoSeries");
        web.MapGet("/studies/{study}/series/{series}/instances", SearchInstances).WithName("QidoInstances");
        return endpoints;
    }

    private static async Task<IResult> SearchStudies(TrialFlowDbContext db, HttpRequest request, CancellationToken ct)
    {
        var query = db.Studies.AsNoTracking();
        if (request.Query["StudyInstanceUID"].ToString() is { Length: > 0 } uid)
            query = query.Where(s => s.StudyInstanceUid == uid);
        if (request.Query["ModalitiesInStudy"].ToString() is { Length: > 0 } modality)
            query = query.Where(s => s.Modalities.Contains(modality));
        if (request.Query["StudyDate"].ToString() is { Length: > 0 } date && DateRange(date) is var (from, to))
            query = query.Where(s => s.StudyDate >= from && s.StudyDate <= to);
        var studies = await query.OrderBy(s => s.StudyDate).Take(1000).ToListAsync(ct);
        var subjects = await db.Subjects.AsNoTracking().Where(s => studies.Select(x => x.SubjectId).Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.SubjectKey, ct);
        if (request.Query["PatientID"].ToString() is { Length: > 0 } patient)
            studies = studies.Where(s => subjects.GetValueOrDefault(s.SubjectId) == patient).ToList();
        return Json(studies.Select(s => new JsonObject
        {
            ["0020000D"] = Value("UI", s.StudyInstanceUid),
            ["00080020"] = Value("DA", s.StudyDate?.ToString("yyyyMMdd")),
            ["00080061"] = Value("CS", s.Modalities.Split('\\')),
            ["00100020"] = Value("LO", subjects.GetValueOrDefault(s.SubjectId)),
            ["00201206"] = Value("IS", s.NumberOfSeries),
            ["00201208"] = Value("IS", s.NumberOfInstances),
        }));
    }

    private static async Task<IResult> SearchSeries(string study, TrialFlowDbContext db, CancellationToken ct)
    {
        var series = await db.Series.AsNoTracking().Where(s => s.Study!.StudyInstanceUid == study).OrderBy(s => s.SeriesNumber).ToListAsync(ct);
        return Json(series.Select(s => new JsonObject
        {
            ["0020000D"] = Value("UI", study),
            ["0020000E"] = Value("UI", s.SeriesInstanceUid),
            ["00080060"] = Value("CS", s.Modality),
            ["00200011"] = Value("IS", s.SeriesNumber),
            ["0008103E"] = Value("LO", s.Description),
            ["00201209"] = Value("IS", s.NumberOfInstances),
        }));
    }

    private static async Task<IResult> SearchInstances(string study, string series, TrialFlowDbContext db, CancellationToken ct)
    {
        var instances = await db.Instances.AsNoTracking().Where(i => i.Series!.SeriesInstanceUid == series && i.Series.Study!.StudyInstanceUid == study)
            .OrderBy(i => i.InstanceNumber).ToListAsync(ct);
        return Json(instances.Select(i => new JsonObject
        {
            ["0020000D"] = Value("UI", study),
            ["0020000E"] = Value("UI", series),
            ["00080016"] = Value("UI", i.SopClassUid),
            ["00080018"] = Value("UI", i.SopInstanceUid),
            ["00200013"] = Value("IS", i.InstanceNumber),
        }));
    }

    private static IResult Json(IEnumerable<JsonObject> datasets) =>
        Results.Text(new JsonArray([.. datasets]).ToJsonString(), "application/dicom+json");

    private static JsonObject Value(string vr, object? value)
    {
        var element = new JsonObject { ["vr"] = vr };
        switch (value)
        {
            case null:
                break;
            case string[] many:
                element["Value"] = new JsonArray([.. many.Select(m => (JsonNode?)JsonValue.Create(m))]);
                break;
            case string one:
                element["Value"] = new JsonArray(JsonValue.Create(one));
                break;
            case int number:
                element["Value"] = new JsonArray(JsonValue.Create(number));
                break;
        }

        return element;
    }

    /// <summary>QIDO date matching (PS3.18 8.3.4.6): "YYYYMMDD" or a range "YYYYMMDD-YYYYMMDD" with open ends.</summary>
    private static (DateOnly From, DateOnly To)? DateRange(string text)
    {
        static DateOnly? Parse(string s) => DateOnly.TryParseExact(s, "yyyyMMdd", out var d) ? d : null;
        var parts = text.Split('-');
        return parts.Length switch
        {
            1 when Parse(parts[0]) is { } day => (day, day),
            2 => (Parse(parts[0]) ?? DateOnly.MinValue, Parse(parts[1]) ?? DateOnly.MaxValue),
            _ => null,
        };
    }
}
