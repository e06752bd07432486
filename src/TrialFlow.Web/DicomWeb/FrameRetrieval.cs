using Microsoft.Net.Http.Headers;
using TrialFlow.Dicom;
using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Dicom.Pixels;
using TrialFlow.Intake.Pipeline;

namespace TrialFlow.Web.DicomWeb;

/// <summary>
/// Frames of an archived instance (PS3.18 8.7.3.5): as stored, compressed frames in their own media type; or, when the
/// client asks for <c>multipart/related; type="application/octet-stream"</c> (the explicit VR little endian default),
/// uncompressed, decoding RLE Lossless here. Frames this server cannot decode are 406 with what it can send instead,
/// never compressed bytes under an octet-stream label. The caller has decided the instance may be seen.
/// </summary>
internal static class FrameRetrieval
{
    private const string OctetStream = "application/octet-stream";

    public static IResult Respond(IntakeStores stores, string archiveSha256, string frames, HttpRequest request)
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

        var (stored, syntax) = MediaTypeOf(file.TransferSyntax);
        var uncompressed = stored != OctetStream && DicomPixelData.CanDecode(file.TransferSyntax);
        switch (Choose(request.Headers.Accept.ToString(), stored, uncompressed))
        {
            case Rendition.AsStored:
                return new MultipartResult(stored, syntax, Parts(numbers, n => DicomPixelData.GetFrameBytes(file.Dataset, n)));
            case Rendition.Uncompressed:
                // Decoded before the response starts, so a frame that cannot be decoded is an error the client reads,
                // not a multipart body cut off half way.
                var decoded = new List<ReadOnlyMemory<byte>>();
                foreach (var n in numbers)
                {
                    try
                    {
                        decoded.Add(DicomPixelData.GetUncompressedFrameBytes(file.Dataset, n - 1, file.TransferSyntax));
                    }
                    catch (DicomValueException e)
                    {
                        return Results.Problem($"frame {n} ({file.TransferSyntax.Name}) cannot be decoded: {e.Message}", statusCode: StatusCodes.Status500InternalServerError);
                    }
                }
                return new MultipartResult(OctetStream, DicomTransferSyntax.ExplicitVRLittleEndian.Uid, decoded.Select(d => (Func<Stream>)(() => new MemoryStream(d.ToArray()))).ToList());
            default:
                var offer = uncompressed ? $"{stored} or {OctetStream}" : stored;
                return Results.Problem(
                    $"the frames are stored as {file.TransferSyntax.Name} ({file.TransferSyntax.Uid}) and can be sent as multipart/related; type=\"{offer}\", not as '{request.Headers.Accept}'",
                    statusCode: StatusCodes.Status406NotAcceptable);
        }
    }

    private enum Rendition
    {
        AsStored,
        Uncompressed,
        NotAcceptable,
    }

    /// <summary>The first acceptable media range wins (quality values are not weighed: DICOMweb clients list what they take).</summary>
    private static Rendition Choose(string accept, string stored, bool canDecode)
    {
        if (string.IsNullOrWhiteSpace(accept))
            return Rendition.AsStored;
        foreach (var range in MediaTypeHeaderValue.ParseList([accept]))
        {
            var type = range.Parameters.FirstOrDefault(p => p.Name.Equals("type", StringComparison.OrdinalIgnoreCase))?.Value.ToString().Trim('"');
            var whole = range.MediaType.ToString();
            if (whole is "*/*" || (whole is "multipart/related" or "multipart/*" && type is null or "*/*") || type == stored || whole == stored)
                return Rendition.AsStored;
            if ((type ?? whole) == OctetStream && canDecode)
                return Rendition.Uncompressed;
        }
        return Rendition.NotAcceptable;
    }

    private static List<Func<Stream>> Parts(List<int> numbers, Func<int, ReadOnlyMemory<byte>> frame) =>
        numbers.Select(n => (Func<Stream>)(() => new MemoryStream(frame(n - 1).ToArray()))).ToList();

    private static (string MediaType, string TransferSyntax) MediaTypeOf(DicomTransferSyntax syntax) => syntax.Uid switch
    {
        "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" or "1.2.840.10008.1.2.4.57" or "1.2.840.10008.1.2.4.70" => ("image/jpeg", syntax.Uid),
        "1.2.840.10008.1.2.4.80" or "1.2.840.10008.1.2.4.81" => ("image/jls", syntax.Uid),
        "1.2.840.10008.1.2.4.90" or "1.2.840.10008.1.2.4.91" => ("image/jp2", syntax.Uid),
        "1.2.840.10008.1.2.4.92" or "1.2.840.10008.1.2.4.93" => ("image/jpx", syntax.Uid),
        "1.2.840.10008.1.2.4.201" or "1.2.840.10008.1.2.4.202" or "1.2.840.10008.1.2.4.203" => ("image/jphc", syntax.Uid),
        "1.2.840.10008.1.2.5" => ("image/dicom-rle", syntax.Uid),
        _ => (OctetStream, DicomTransferSyntax.ExplicitVRLittleEndian.Uid),
    };
}
