namespace TrialFlow.Dicom.IO;

/// <summary>A read (or to-be-written) DICOM Part 10 file: File Meta Information, dataset and what was noticed.</summary>
public sealed class DicomFile(DicomDataset fileMetaInformation, DicomDataset dataset, DicomTransferSyntax transferSyntax)
{
    /// <summary>Group 0002 (PS3.10 7.1); empty when the input had no meta header.</summary>
    public DicomDataset FileMetaInformation { get; } = fileMetaInformation;

    public DicomDataset Dataset { get; } = dataset;

    /// <summary>The transfer syntax the dataset was encoded with.</summary>
    public DicomTransferSyntax TransferSyntax { get; } = transferSyntax;

    /// <summary>Problems that did not stop reading (as pydicom and dcmtk also accept), with their byte offsets.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>True when the input had the 128-byte preamble and "DICM".</summary>
    public bool HasPreamble { get; init; }

    /// <summary>True when reading stopped before Pixel Data.</summary>
    public bool IsHeaderOnly { get; init; }
}
