using System.Text;
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
            .WithSummary("WADO-RS: frames (1-based, comma separated) as stored, multipart/related.");
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

    private static async Task<IResult> Frames(string study, string series, string instance, string frames, TrialFlowDbContext db, IntakeStores stores, CancellationToken ct)
    {
        var hash = await Instances(db, study, series, instance).Select(i => i.ArchiveSha256).SingleOrDefaultAsync(ct);
        return hash is null ? Results.NotFound() : FramesOf(stores, hash, frames);
    }

    /// <summary>
    /// Frames (1-based, comma-separated) of an archived instance as multipart/related, as stored: uncompressed as
    /// octet-stream, compressed in their own media type (PS3.18 8.7.3.5). The caller has decided the instance may be seen.
    /// </summary>
    internal static IResult FramesOf(IntakeStores stores, string archiveSha256, string frames)
    {
        var numbers = frames.Split(',').Select(f => int.TryParse(f, out var n) ? n : 0).ToList();
        if (numbers.Any(n => n < 1))
            return Results.Problem($"frames '{frames}': give 1-based frame numbers separated by commas", statusCode: StatusCodes.Status400BadRequest);
        var file = DicomFileReader.Read(stores.Archive.PathOf(archiveSha256));
        if (!file.Dataset.Contains(DicomTags.PixelData))
            return Results.Problem("the instance has no pixel data", statusCode: StatusCodes.Status404NotFound);
        var count = DicomPixelData.GetFrameCount(file.Dataset);
        if (numbers.FirstOrDefault(n => n > count) is var missing and > 0)
            return Results.Problem($"frame {missing} does not exist: the instance has {count}", statusCode: StatusCodes.Status404NotFound);
        var parts = numbers.Select(n => (Func<Stream>)(() => new MemoryStream(DicomPixelData.GetFrameBytes(file.Dataset, n - 1).ToArray()))).ToList();
        var (mediaType, syntax) = FrameMediaType(file.TransferSyntax);
        return new MultipartResult(mediaType, syntax, parts);
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

    private static (string MediaType, string TransferSyntax) FrameMediaType(DicomTransferSyntax syntax) => syntax.Uid switch
    {
        "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" or "1.2.840.10008.1.2.4.57" or "1.2.840.10008.1.2.4.70" => ("image/jpeg", syntax.Uid),
        "1.2.840.10008.1.2.4.80" or "1.2.840.10008.1.2.4.81" => ("image/jls", syntax.Uid),
        "1.2.840.10008.1.2.4.90" or "1.2.840.10008.1.2.4.91" => ("image/jp2", syntax.Uid),
        "1.2.840.10008.1.2.4.92" or "1.2.840.10008.1.2.4.93" => ("image/jpx", syntax.Uid),
        "1.2.840.10008.1.2.4.201" or "1.2.840.10008.1.2.4.202" or "1.2.840.10008.1.2.4.203" => ("image/jphc", syntax.Uid),
        "1.2.840.10008.1.2.5" => ("image/dicom-rle", syntax.Uid),
        _ => ("application/octet-stream", DicomTransferSyntax.ExplicitVRLittleEndian.Uid),
    };

    /// <summary>Streams parts as multipart/related (PS3.18 8.7.3.3) with the given part type.</summary>
    private sealed class MultipartResult(string partType, string? transferSyntax, IReadOnlyList<Func<Stream>> parts) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            var boundary = "trialflow-" + Guid.NewGuid().ToString("N");
            var syntax = transferSyntax is null ? "" : $"; transfer-syntax={transferSyntax}";
            context.Response.ContentType = $"multipart/related; type=\"{partType}\"; boundary={boundary}";
            var body = context.Response.Body;
            foreach (var open in parts)
            {
                await body.WriteAsync(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: {partType}{syntax}\r\n\r\n"), context.RequestAborted);
                await using (var part = open())
                    await part.CopyToAsync(body, context.RequestAborted);
                await body.WriteAsync("\r\n"u8.ToArray(), context.RequestAborted);
            }

            await body.WriteAsync(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"), context.RequestAborted);
        }
    }
}
