using TrialFlow.Dicom.IO.Reading;
using TrialFlow.Dicom.IO.Writing;

namespace TrialFlow.Dicom.Network;

/// <summary>
/// A DIMSE message's data set (a query identifier, a match, a failed-instance list) in the presentation context's
/// transfer syntax: bare, without preamble or File Meta Information (PS3.7 6.3.1).
/// </summary>
internal static class DimseDataSet
{
    public static byte[] Encode(DicomDataset dataset, string transferSyntaxUid)
    {
        var syntax = Native(transferSyntaxUid);
        using var buffer = new MemoryStream();
        DicomFileWriter.WriteDataset(buffer, dataset, syntax.IsExplicitVR);
        return buffer.ToArray();
    }

    public static DicomDataset Decode(ReadOnlyMemory<byte> bytes, string transferSyntaxUid)
    {
        var syntax = Native(transferSyntaxUid);
        var dataset = new DicomDataset();
        using var input = new DicomInput(new MemoryStream(bytes.ToArray(), writable: false), null);
        try
        {
            new DicomDatasetParser(input, DicomReadOptions.Default, [], CancellationToken.None)
                .ParseTopLevel(dataset, new WireEncoding(syntax.IsExplicitVR, LittleEndian: true));
        }
        catch (Exception ex) when (ex is not DicomParseException and (IOException or InvalidDataException or DicomValueException or ArgumentException))
        {
            throw new DicomParseException($"unreadable DIMSE data set ({ex.Message})", 0, null, ex);
        }
        return dataset;
    }

    // Query identifiers travel in a native little-endian syntax: Q/R contexts are proposed with no other.
    private static DicomTransferSyntax Native(string uid) =>
        DicomTransferSyntax.Find(uid) is { IsEncapsulated: false, IsDeflated: false, IsLittleEndian: true } syntax
            ? syntax
            : throw new DicomNetworkException($"a DIMSE data set in transfer syntax {uid} is not supported (Explicit or Implicit VR Little Endian only)");
}
