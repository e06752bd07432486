namespace TrialFlow.Dicom.Pixels;

/// <summary>A JPEG Huffman table in the decoding form of T.81 F.2.2.3 (MINCODE, MAXCODE, VALPTR per code length).</summary>
internal sealed class JpegHuffmanTable
{
    private readonly int[] _minCode = new int[17];
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valuePointer = new int[17];
    private readonly byte[] _values;

    public JpegHuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
    {
        _values = values.ToArray();
        int code = 0, k = 0;
        for (var length = 1; length <= 16; length++)
        {
            _valuePointer[length] = k;
            _minCode[length] = code;
            code += counts[length - 1];
            k += counts[length - 1];
            _maxCode[length] = counts[length - 1] == 0 ? -1 : code - 1;
            code <<= 1;
        }
        _maxCode[17] = int.MaxValue; // stops a corrupt stream at 17 bits
    }

    public int Decode(ref JpegBitReader bits)
    {
        var code = bits.Read(1);
        var length = 1;
        while (code > _maxCode[length])
        {
            code = (code << 1) | bits.Read(1);
            if (++length > 16)
                throw JpegLosslessDecoder.Error("JPEG Huffman code longer than 16 bits: the entropy-coded data is corrupt");
        }
        return _values[_valuePointer[length] + code - _minCode[length]];
    }
}
