namespace TrialFlow.Dicom.IO.Reading;

/// <summary>How to read a DICOM file or stream.</summary>
public sealed record DicomReadOptions
{
    /// <summary>Stop before pixel data — (7FE0,0008) Float, (7FE0,0009) Double Float or (7FE0,0010) Pixel Data — without reading it or anything after it.</summary>
    public bool HeaderOnly { get; init; }

    /// <summary>
    /// Values at least this long are left in the file and read on demand, when reading from a file path.
    /// Streams without a path are read into memory.
    /// </summary>
    public long DeferValuesLongerThan { get; init; } = 64 * 1024;

    /// <summary>Deepest nesting of sequences accepted; deeper input is rejected (PS3.5 does not limit it, we do).</summary>
    public int MaxSequenceDepth { get; init; } = 128;

    public static DicomReadOptions Default { get; } = new();

    public static DicomReadOptions HeaderOnlyOptions { get; } = new() { HeaderOnly = true };
}
