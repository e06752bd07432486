namespace TrialFlow.Dicom.Pixels;

/// <summary>
/// Reads entropy-coded bits most significant first, undoing byte stuffing (FF00 → FF). At a marker it feeds zeros
/// (F.2.2.5) and stays put, so <see cref="Restart"/> and the end of the scan find the marker.
/// </summary>
internal ref struct JpegBitReader(ReadOnlySpan<byte> data, int position)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position = position;
    private int _buffer;
    private int _count;

    /// <summary>Where the scan's data ended: at the marker that follows it.</summary>
    public readonly int End => _position;

    public int Read(int count)
    {
        while (_count < count)
        {
            _buffer = (_buffer << 8) | NextByte();
            _count += 8;
        }
        _count -= count;
        return (_buffer >> _count) & ((1 << count) - 1);
    }

    /// <summary>Drops the bits left in the current byte and steps over the RSTn marker that must come next.</summary>
    public void Restart()
    {
        _count = 0;
        _buffer = 0;
        if (_position + 1 < _data.Length && _data[_position] == 0xFF && _data[_position + 1] is >= 0xD0 and <= 0xD7)
            _position += 2;
        else
            throw JpegLosslessDecoder.Error($"JPEG restart marker expected at byte {_position}");
    }

    private int NextByte()
    {
        if (_position >= _data.Length)
            return 0;
        var value = _data[_position];
        if (value != 0xFF)
        {
            _position++;
            return value;
        }
        if (_position + 1 < _data.Length && _data[_position + 1] == 0x00)
        {
            _position += 2;
            return 0xFF;
        }
        return 0; // a marker: the scan's data is over
    }
}
