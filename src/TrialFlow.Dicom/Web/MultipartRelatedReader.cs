using System.Text;

namespace TrialFlow.Dicom.Web;

/// <summary>One body part of a multipart/related response: its headers and bytes.</summary>
public sealed record MultipartPart(IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body)
{
    public string? ContentType => Headers.TryGetValue("Content-Type", out var type) ? type : null;
}

/// <summary>
/// Reads a multipart/related body (RFC 2046 5.1, RFC 2387) from a stream part by part, as WADO-RS sends a study: only
/// one part is held in memory at a time. A body that ends before its closing delimiter is an error, never a short study.
/// </summary>
public sealed class MultipartRelatedReader(Stream body, string boundary)
{
    private readonly byte[] _delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _begun;
    private bool _done;

    /// <summary>The next part, or null after the closing delimiter.</summary>
    public async Task<MultipartPart?> ReadPartAsync(CancellationToken cancellationToken = default)
    {
        if (_done)
            return null;
        if (!_begun)
        {
            // The first delimiter has no CRLF before it: read as if one were there, then drop the preamble.
            _buffer[0] = (byte)'\r';
            _buffer[1] = (byte)'\n';
            _end = 2;
            _begun = true;
            await ReadUntilDelimiterAsync(null, cancellationToken).ConfigureAwait(false);
        }

        // After a delimiter: "--" closes the body, otherwise the rest of the line (transport padding, CRLF) and headers.
        await EnsureAsync(2, cancellationToken).ConfigureAwait(false);
        if (_buffer[_start] == '-' && _buffer[_start + 1] == '-')
        {
            _done = true;
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        while (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        using var part = new MemoryStream();
        await ReadUntilDelimiterAsync(part, cancellationToken).ConfigureAwait(false);
        return new MultipartPart(headers, part.ToArray());
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (at >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, at);
                _start += at + 2;
                return line;
            }
            if (_end - _start > 64 * 1024)
                throw new InvalidDataException("a multipart header line is longer than 64 KiB");
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                throw new InvalidDataException("the multipart body ended inside a part's headers");
        }
    }

    // Copies everything before the next delimiter to output (or drops it) and consumes the delimiter.
    private async Task ReadUntilDelimiterAsync(Stream? output, CancellationToken cancellationToken)
    {
        while (true)
        {
            var window = _buffer.AsSpan(_start, _end - _start);
            var at = window.IndexOf(_delimiter);
            if (at >= 0)
            {
                output?.Write(window[..at]);
                _start += at + _delimiter.Length;
                return;
            }

            // Keep the tail that could be the start of a delimiter split across reads.
            var safe = Math.Max(0, window.Length - _delimiter.Length);
            output?.Write(window[..safe]);
            _start += safe;
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                throw new InvalidDataException("the multipart body ended before its closing delimiter: the response was cut short");
        }
    }

    private async Task EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                throw new InvalidDataException("the multipart body ended after a delimiter");
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_eof)
            return false;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = await body.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
            return false;
        }
        _end += read;
        return true;
    }
}
