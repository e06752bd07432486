using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Imaging;
using TrialFlow.Core.Persistence;
using TrialFlow.Dicom;
using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Dicom.Json;
using TrialFlow.Dicom.Pixels;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.DicomWeb;

/// <summary>
/// WADO-RS over the de-identified archive (PS3.18 10.4): instances of a study, series or instance as
/// multipart/related application/dicom; their metadata as DICOM JSON with pixel data referenced by BulkDataURI; and
/// single frames, which is what a viewer fetches while scrolling. Scoped to the caller's sites like every query.
/// </summary>
public static class WadoRsEndpoints
{
    public static IEndpointRouteBuilder MapWadoRs(this IEndpointRouteBuilder endpoints)
    {
        var web = endpoints.MapGroup("/dicomweb/studies/{study}").WithTags("DICOMweb").RequireAuthorization(Policies.TrialRead);
        web.MapGet("", (string study, TrialFlowDbContext db, IntakeStores stores, CancellationToken ct) =>
            RetrieveAsync(db, stores, Instances(db, study), ct)).WithName("WadoStudy").WithSummary("WADO-RS: every instance of a study, multipart/related application/dicom.");
        web.MapGet("/series/{series}", (string study, string series, TrialFlowDbContext db, IntakeStores stores, CancellationToken ct) =>
            RetrieveAsync(db, stores, Instances(db, study, series), ct)).WithName("WadoSeries");
        web.MapGet("/series/{series}/instances/{instance}", (string study, string series, string instance, TrialFlowDbContext db, IntakeStores stores, CancellationToken ct) =>
            RetrieveAsync(db, stores, Instances(db, study, series, instance), ct)).WithName("WadoInstance");
        web.MapGet("/metadata", (string study, TrialFlowDbContext db, IntakeStores stores, HttpRequest request, CancellationToken ct) =>
            MetadataAsync(db, stores, request, Instances(db, study), ct)).WithName("WadoStudyMetadata");
        web.MapGet("/series/{series}/metadata", (string study, string series, TrialFlowDbContext db, IntakeStores stores, HttpRequest request, CancellationToken ct) =>
            MetadataAsync(db, stores, request, Instances(db, study, series), ct)).WithName("WadoSeriesMetadata");
        web.MapGet("/series/{series}/instances/{instance}/metadata", (string study, string series, string instance, TrialFlowDbContext db, IntakeStores stores, HttpRequest request, CancellationToken ct) =>
            MetadataAsync(db, stores, request, Instances(db, study, series, instance), ct)).WithName("WadoInstanceMetadata");
        web.MapGet("/series/{series}/instances/{instance}/bulk/{**path}", Bulk).WithName("WadoBulkData")
            .WithSummary("WADO-RS: one binary value named by its tag path (GGGGEEEE[/item/GGGGEEEE...]), as referenced in metadata.");
        web.MapGet("/series/{series}/instances/{instance}/frames/{frames}", Frames).WithName("WadoFrames")
            .WithSummary("WADO-RS: frames (1-based, comma separated), multipart/related: as stored, or uncompressed when asked for application/octet-stream.");
        return endpoints;
    }

    /// <summary>Archived instances of a study, optionally one series or one instance, in series then instance order.</summary>
    private static IQueryable<ImagingInstance> Instances(TrialFlowDbContext db, string study, string? series = null, string? instance = null)
    {
        var query = db.Instances.AsNoTracking().Where(i => i.Series!.Study!.StudyInstanceUid == study && i.Status == InstanceStatus.Archived);
        if (series is not null)
            query = query.Where(i => i.Series!.SeriesInstanceUid == series);
        if (instance is not null)
            query = query.Where(i => i.SopInstanceUid == instance);
        return query.OrderBy(i => i.Series!.SeriesNumber).ThenBy(i => i.InstanceNumber);
    }

    private static async Task<IResult> RetrieveAsync(TrialFlowDbContext db, IntakeStores stores, IQueryable<ImagingInstance> query, CancellationToken ct)
    {
        var hashes = await query.Select(i => i.ArchiveSha256).ToListAsync(ct);
        return hashes.Count == 0
            ? Results.NotFound()
            : new MultipartResult("application/dicom", null, hashes.Select(h => (Func<Stream>)(() => stores.Archive.OpenRead(h))).ToList());
    }

    private static async Task<IResult> MetadataAsync(TrialFlowDbContext db, IntakeStores stores, HttpRequest request, IQueryable<ImagingInstance> query, CancellationToken ct)
    {
        var instances = await query.Select(i => new { i.ArchiveSha256, Series = i.Series!.SeriesInstanceUid, Study = i.Series.Study!.StudyInstanceUid, i.SopInstanceUid }).ToListAsync(ct);
        if (instances.Count == 0)
            return Results.NotFound();
        var root = $"{request.Scheme}://{request.Host}{request.PathBase}/dicomweb";
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var i in instances)
            {
                var instanceUri = $"{root}/studies/{i.Study}/series/{i.Series}/instances/{i.SopInstanceUid}";
                var dataset = DicomFileReader.Read(stores.Archive.PathOf(i.ArchiveSha256)).Dataset;
                // Pixel data is referenced, not inlined: a viewer asks for the frames it shows (PS3.18 F.2.7).
                DicomJsonWriter.Write(writer, dataset, new DicomJsonOptions
                {
                    BulkData = DicomJsonBulkData.BulkDataUri,
                    BulkDataThreshold = 1024,
                    BulkDataUriFactory = path => path is [{ Tag: var tag }] && tag == DicomTags.PixelData
                        ? $"{instanceUri}/frames/{string.Join(',', Enumerable.Range(1, DicomPixelData.GetFrameCount(dataset)))}"
                        : $"{instanceUri}/bulk/{string.Join('/', path.Select((p, n) => n == path.Count - 1 ? p.Tag.ToJsonKey() : $"{p.Tag.ToJsonKey()}/{p.Item}"))}",
                });
            }
            writer.WriteEndArray();
        }

        return Results.Bytes(buffer.ToArray(), "application/dicom+json");
    }

    private static async Task<IResult> Frames(string study, string series, string instance, string frames, HttpRequest request, TrialFlowDbContext db, IntakeStores stores, CancellationToken ct)
    {
        var hash = await Instances(db, study, series, instance).Select(i => i.ArchiveSha256).SingleOrDefaultAsync(ct);
        return hash is null ? Results.NotFound() : FrameRetrieval.Respond(stores, hash, frames, request);
    }

    private static async Task<IResult> Bulk(string study, string series, string instance, string path, TrialFlowDbContext db, IntakeStores stores, CancellationToken ct)
    {
        var hash = await Instances(db, study, series, instance).Select(i => i.ArchiveSha256).SingleOrDefaultAsync(ct);
        if (hash is null)
            return Results.NotFound();
        var dataset = DicomFileReader.Read(stores.Archive.PathOf(hash)).Dataset;
        return BulkDataPath.Find(dataset, path) is { } element
            ? new MultipartResult("application/octet-stream", null, [() => new MemoryStream(element.Buffer.GetBytes().ToArray())])
            : Results.Problem($"'{path}' names no binary value of this instance", statusCode: StatusCodes.Status404NotFound);
    }
}
