using System.Text;
using TrialFlow.Dicom.Web;

namespace TrialFlow.Dicom.Tests.Web;

public sealed class MultipartRelatedReaderTests
{
    private const string Boundary = "b0UnDaRy-42";

    private static byte[] Body(bool closed = true, string preamble = "", params byte[][] parts)
    {
        var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes(preamble));
        foreach (var part in parts)
        {
            body.Write(Encoding.ASCII.GetBytes($"--{Boundary}  \r\nContent-Type: application/dicom\r\nContent-Length: {part.Length}\r\n\r\n"));
            body.Write(part);
            body.Write("\r\n"u8);
        }
        if (closed)
            body.Write(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
        return body.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task Parts_come_back_exactly_whatever_the_network_hands_over_at_a_time(int chunk)
    {
        // Bodies that hold CRLF, dashes and most of the delimiter, to catch a scanner that cuts too early or too late.
        byte[][] parts =
        [
            Encoding.ASCII.GetBytes($"DICM\r\n--{Boundary[..^1]}x\r\n--"),
            [.. Enumerable.Range(0, 70_000).Select(i => (byte)(i % 251))],
            [],
        ];
        var reader = new MultipartRelatedReader(new TrickleStream(Body(preamble: "ignored preamble\r\n", parts: parts), chunk), Boundary);

        var read = new List<MultipartPart>();
        while (await reader.ReadPartAsync() is { } part)
            read.Add(part);

        Assert.Equal(parts.Select(p => Convert.ToHexString(p)), read.Select(p => Convert.ToHexString(p.Body.Span)));
        Assert.All(read, p => Assert.Equal("application/dicom", p.ContentType));
    }

    [Fact]
    public async Task A_body_cut_short_is_an_error_after_the_parts_that_did_arrive()
    {
        var reader = new MultipartRelatedReader(new MemoryStream(Body(closed: false, parts: [[1, 2, 3], [4, 5, 6]])[..^4]), Boundary);

        var first = await reader.ReadPartAsync();
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => reader.ReadPartAsync());

        Assert.Equal([1, 2, 3], first!.Body.ToArray());
        Assert.Contains("cut short", error.Message);
    }

    /// <summary>A stream that hands over at most <paramref name="chunk"/> bytes per read, as a slow network does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
