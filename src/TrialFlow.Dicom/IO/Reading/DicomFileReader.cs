using System.IO.Compression;
using System.Text;

namespace TrialFlow.Dicom.IO.Reading;

/// <summary>
/// Reads DICOM Part 10 files (PS3.10 7) and bare datasets without preamble or meta header.
/// Every problem with the input ends in a <see cref="DicomParseException"/>.
/// </summary>
public static class DicomFileReader
{
    /// <summary>Reads a file; large values (pixel data) stay on disk until asked for.</summary>
    public static DicomFile Read(string path, DicomReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var stream = new FileHandleStream(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read));
        return Read(stream, path, options ?? DicomReadOptions.Default, cancellationToken);
    }

    /// <summary>Reads from a stream (network intake); values are read into memory.</summary>
    public static DicomFile Read(Stream stream, DicomReadOptions? options = null, CancellationToken cancellationToken = default) =>
        Read(stream, null, options ?? DicomReadOptions.Default, cancellationToken);

    /// <summary>Reads a file without blocking the caller's thread.</summary>
    public static Task<DicomFile> ReadAsync(string path, DicomReadOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Read(path, options, cancellationToken), cancellationToken);

    /// <summary>Reads from a stream that may deliver slowly: buffers it asynchronously, then parses.</summary>
    public static async Task<DicomFile> ReadAsync(Stream stream, DicomReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        return Read(buffer, null, options ?? DicomReadOptions.Default, cancellationToken);
    }

    private static DicomFile Read(Stream stream, string? path, DicomReadOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return ReadCore(stream, path, options, cancellationToken);
        }
        catch (DicomParseException)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or DicomValueException or OverflowException or ArgumentException)
        {
            throw new DicomParseException($"unreadable input ({ex.Message})", stream.CanSeek ? stream.Position : 0, null, ex);
        }
    }

    private static DicomFile ReadCore(Stream stream, string? path, DicomReadOptions options, CancellationToken cancellationToken)
    {
        using var input = new DicomInput(stream, path);
        var warnings = new List<string>();
        var parser = new DicomDatasetParser(input, options, warnings, cancellationToken);
        var meta = new DicomDataset();
        var hasPreamble = false;

        // PS3.10 7.1: 128-byte preamble then "DICM"
        if (input.Ensure(132) && Encoding.ASCII.GetString(input.Peek(132)[128..]) == "DICM")
        {
            input.Advance(132);
            hasPreamble = true;
        }
        else if (input.Ensure(4) && Encoding.ASCII.GetString(input.Peek(4)) == "DICM")
        {
            input.Advance(4);
            hasPreamble = true;
            warnings.Add("'DICM' without preamble");
        }
        if (!input.Ensure(8)) throw new DicomParseException(hasPreamble ? "no dataset after the preamble" : "input too short to be DICOM", input.Position, null);

        parser.ParseMeta(meta);
        DicomTransferSyntax? ts = null;
        if (meta.GetString(DicomTags.TransferSyntaxUID) is { Length: > 0 } uid)
        {
            ts = DicomTransferSyntax.Find(uid);
            if (ts is null)
            {
                warnings.Add($"unknown transfer syntax {uid}; read as explicit VR little endian with encapsulated pixel data");
                ts = new DicomTransferSyntax(uid, uid, true, true, false, true);
            }
        }
        else
        {
            if (meta.Count > 0) warnings.Add("File Meta Information has no Transfer Syntax UID; guessed from the data");
            ts = GuessTransferSyntax(input, hasPreamble || meta.Count > 0);
        }

        var dataset = new DicomDataset();
        if (ts.IsDeflated)
        {
            // PS3.5 A.5: the dataset after the meta header is a raw deflate stream (RFC 1951)
            var compressedStart = input.Position;
            var rest = input.ReadBytes(checked((int)Math.Min(input.Remaining, int.MaxValue)), null);
            var inflated = Inflate(rest, compressedStart);
            using var inner = new DicomInput(new MemoryStream(inflated, writable: false), null);
            new DicomDatasetParser(inner, options, warnings, cancellationToken).ParseTopLevel(dataset, new WireEncoding(true, true));
        }
        else
        {
            parser.ParseTopLevel(dataset, new WireEncoding(ts.IsExplicitVR, ts.IsLittleEndian));
        }
        warnings.AddRange(dataset.CharacterSet.Warnings); // e.g. an unknown Specific Character Set term, decoded as Latin-1
        return new DicomFile(meta, dataset, ts) { Warnings = warnings, HasPreamble = hasPreamble, IsHeaderOnly = options.HeaderOnly };
    }

    private static byte[] Inflate(byte[] compressed, long offset)
    {
        // Deflate expands at most ~1032:1; refuse anything claiming more so a bomb cannot exhaust memory.
        var limit = Math.Min((long)compressed.Length * 1032 + 1024, Array.MaxLength);
        using var deflate = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = deflate.Read(buffer)) > 0)
        {
            if (output.Length + n > limit) throw new DicomParseException("deflated dataset expands beyond any plausible size", offset, null);
            output.Write(buffer, 0, n);
        }
        return output.ToArray();
    }

    // Without a transfer syntax, look at the first element the way pydicom and dcmtk do: a VR-like pair of letters
    // after the tag means explicit VR; a first group that reads as ≥ 0x0400 little-endian is a big-endian file.
    private static DicomTransferSyntax GuessTransferSyntax(DicomInput input, bool lenient)
    {
        if (!input.Ensure(8)) throw new DicomParseException("input too short to be DICOM", input.Position, null);
        var span = input.Peek(8);
        var groupLe = span[0] | (span[1] << 8);
        var groupBe = (span[0] << 8) | span[1];
        var explicitVr = DicomVRInfo.TryParse(span[4], span[5], out _);
        var bigEndian = explicitVr && groupLe >= 0x0400;
        var group = bigEndian ? groupBe : groupLe;
        if (!lenient && group > 0x0008 && group != 0x0010 && group != 0x0018 && group != 0x0020 && group != 0x0028)
            throw new DicomParseException($"not DICOM: no preamble, no meta header, and the first tag group {group:X4} is not one a dataset starts with", 0, null);
        if (explicitVr) return bigEndian ? DicomTransferSyntax.ExplicitVRBigEndian : DicomTransferSyntax.ExplicitVRLittleEndian;
        return DicomTransferSyntax.ImplicitVRLittleEndian;
    }
}
