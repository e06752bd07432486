namespace TrialFlow.Dicom.IO.Writing;

/// <summary>How to write a Part 10 file.</summary>
public sealed record DicomWriteOptions
{
    /// <summary>
    /// Explicit or Implicit VR Little Endian for native data. Null: keep an encapsulated source syntax (fragments are
    /// written back unchanged), otherwise Explicit VR Little Endian.
    /// </summary>
    public DicomTransferSyntax? TransferSyntax { get; init; }

    public static DicomWriteOptions Default { get; } = new();
}
