namespace TrialFlow.Dicom.Pixels;

/// <summary>
/// One decoded frame as a plain sample buffer: pixel-interleaved (R,G,B,R,G,B … whatever the planar configuration of the
/// source), values sign-extended from Bits Stored, one <see cref="int"/> per sample (32-bit unsigned data is stored as
/// its bit pattern; read it with <see cref="GetUnsigned"/>).
/// </summary>
public sealed class DicomFrame(DicomPixelInfo info, int[] samples)
{
    public DicomPixelInfo Info { get; } = info;

    public int Rows => Info.Rows;

    public int Columns => Info.Columns;

    public int SamplesPerPixel => Info.SamplesPerPixel;

    /// <summary>All samples, row by row, pixel-interleaved.</summary>
    public ReadOnlySpan<int> Samples => samples;

    /// <summary>Sample <paramref name="sample"/> of the pixel at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public long this[int row, int column, int sample = 0]
    {
        get
        {
            var v = samples[((row * Columns) + column) * SamplesPerPixel + sample];
            return Info.IsSigned ? v : (uint)v;
        }
    }

    public uint GetUnsigned(int index) => (uint)samples[index];
}
