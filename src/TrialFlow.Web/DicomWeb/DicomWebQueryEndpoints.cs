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
        var qido = QidoQuery.Parse(request.Query, QidoLevel.Study);
        var query = db.Studies.AsNoTracking();
        if (qido["StudyInstanceUID"] is { } uid)
            query = query.Where(s => s.StudyInstanceUid == uid);
        if (qido["ModalitiesInStudy"] is { } modality)
            query = query.Where(s => s.Modalities.Contains(modality));
        if (qido["StudyDate"] is { } date)
        {
            if (DateRange(date) is not var (from, to))
                throw new QidoQueryException($"StudyDate={date}: give YYYYMMDD or a range YYYYMMDD-YYYYMMDD (either end may be open)");
            query = query.Where(s => s.StudyDate >= from && s.StudyDate <= to);
        }
        if (qido["PatientID"] is { } patient)
        {
            // The subject id is the archive's Patient ID; wildcards are matched on the (few) subjects of the caller's sites.
            var candidates = db.Subjects.AsNoTracking();
            if (!QidoQuery.HasWildcards(patient))
                candidates = candidates.Where(s => s.SubjectKey == patient);
            var keys = await candidates.Select(s => new { s.Id, s.SubjectKey }).ToListAsync(ct);
            var ids = keys.Where(k => QidoQuery.Matches(k.SubjectKey, patient)).Select(k => k.Id).ToList();
            query = query.Where(s => ids.Contains(s.SubjectId));
        }
        var page = await query.OrderBy(s => s.StudyDate).ThenBy(s => s.StudyInstanceUid).Skip(qido.Offset).Take(qido.Limit + 1).ToListAsync(ct);
        var studies = page.Take(qido.Limit).ToList();
        var subjects = await db.Subjects.AsNoTracking().Where(s => studies.Select(x => x.SubjectId).Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.SubjectKey, ct);
        return Json(studies.Select(s => new JsonObject
        {
            ["0020000D"] = Value("UI", s.StudyInstanceUid),
            ["00080020"] = Value("DA", s.StudyDate?.ToString("yyyyMMdd")),
            ["00080061"] = Value("CS", s.Modalities.Split('\\')),
            ["00100020"] = Value("LO", subjects.GetValueOrDefault(s.SubjectId)),
            ["00201206"] = Value("IS", s.NumberOfSeries),
            ["00201208"] = Value("IS", s.NumberOfInstances),
        }), request, more: page.Count > qido.Limit);
    }

    private static async Task<IResult> SearchSeries(string study, TrialFlowDbContext db, HttpRequest request, CancellationToken ct)
    {
        var qido = QidoQuery.Parse(request.Query, QidoLevel.Series);
        var query = db.Series.AsNoTracking().Where(s => s.Study!.StudyInstanceUid == study);
        if (qido["SeriesInstanceUID"] is { } uid)
            query = query.Where(s => s.SeriesInstanceUid == uid);
        if (qido["Modality"] is { } modality)
            query = query.Where(s => s.Modality == modality);
        if (qido["SeriesNumber"] is { } number)
            query = int.TryParse(number, out var n) ? query.Where(s => s.SeriesNumber == n)
                : throw new QidoQueryException($"SeriesNumber={number}: give a whole number");
        var page = await query.OrderBy(s => s.SeriesNumber).ThenBy(s => s.SeriesInstanceUid).Skip(qido.Offset).Take(qido.Limit + 1).ToListAsync(ct);
        return Json(page.Take(qido.Limit).Select(s => new JsonObject
        {
            ["0020000D"] = Value("UI", study),
            ["0020000E"] = Value("UI", s.SeriesInstanceUid),
            ["00080060"] = Value("CS", s.Modality),
            ["00200011"] = Value("IS", s.SeriesNumber),
            ["0008103E"] = Value("LO", s.Description),
            ["00201209"] = Value("IS", s.NumberOfInstances),
        }), request, more: page.Count > qido.Limit);
    }

    private static async Task<IResult> SearchInstances(string study, string series, TrialFlowDbContext db, HttpRequest request, CancellationToken ct)
    {
        var qido = QidoQuery.Parse(request.Query, QidoLevel.Instance);
        var query = db.Instances.AsNoTracking().Where(i => i.Series!.SeriesInstanceUid == series && i.Series.Study!.StudyInstanceUid == study);
        if (qido["SOPInstanceUID"] is { } uid)
            query = query.Where(i => i.SopInstanceUid == uid);
        if (qido["SOPClassUID"] is { } sopClass)
            query = query.Where(i => i.SopClassUid == sopClass);
        if (qido["InstanceNumber"] is { } number)
            query = int.TryParse(number, out var n) ? query.Where(i => i.InstanceNumber == n)
                : throw new QidoQueryException($"InstanceNumber={number}: give a whole number");
        var page = await query.OrderBy(i => i.InstanceNumber).ThenBy(i => i.SopInstanceUid).Skip(qido.Offset).Take(qido.Limit + 1).ToListAsync(ct);
        return Json(page.Take(qido.Limit).Select(i => new JsonObject
        {
            ["0020000D"] = Value("UI", study),
            ["0020000E"] = Value("UI", series),
            ["00080016"] = Value("UI", i.SopClassUid),
            ["00080018"] = Value("UI", i.SopInstanceUid),
            ["00200013"] = Value("IS", i.InstanceNumber),
        }), request, more: page.Count > qido.Limit);
    }

    /// <summary>The matches; when more remain past the limit, PS3.18's Warning header says so (the client pages with offset).</summary>
    private static IResult Json(IEnumerable<JsonObject> datasets, HttpRequest request, bool more)
    {
        if (more)
            request.HttpContext.Response.Headers.Warning = "299 TrialFlow: there are more results; ask again with a larger offset";
        return Results.Text(new JsonArray([.. datasets]).ToJsonString(), "application/dicom+json");
    }

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
