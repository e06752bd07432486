namespace TrialFlow.Dicom;

/// <summary>A transfer syntax (PS3.5 10, Annex A): how a dataset is encoded on the wire.</summary>
public sealed record DicomTransferSyntax(string Uid, string Name, bool IsExplicitVR, bool IsLittleEndian, bool IsDeflated, bool IsEncapsulated)
{
    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, true, false, false);
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, true, false, false);
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, true, true, false);
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)", true, false, false, false);
    public static readonly DicomTransferSyntax RLELossless = Encapsulated("1.2.840.10008.1.2.5", "RLE Lossless");

    private static readonly DicomTransferSyntax[] Known =
    [
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian, RLELossless,
        new("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", true, true, false, true),
        Encapsulated("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
        Encapsulated("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
        Encapsulated("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
        Encapsulated("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])"),
        Encapsulated("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
        Encapsulated("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
        Encapsulated("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"),
        Encapsulated("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"),
        Encapsulated("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)"),
        Encapsulated("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression"),
        Encapsulated("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
        Encapsulated("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level"),
        Encapsulated("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
        Encapsulated("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
        Encapsulated("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"),
        Encapsulated("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"),
        Encapsulated("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"),
        Encapsulated("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1"),
        Encapsulated("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1"),
        Encapsulated("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"),
        Encapsulated("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)"),
        Encapsulated("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"),
        Encapsulated("1.2.840.10008.1.2.4.204", "JPIP HTJ2K Referenced"),
        Encapsulated("1.2.840.10008.1.2.4.205", "JPIP HTJ2K Referenced Deflate"),
        Encapsulated("1.2.840.10008.1.2.4.94", "JPIP Referenced"),
        Encapsulated("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate"),
    ];

    private static DicomTransferSyntax Encapsulated(string uid, string name) => new(uid, name, true, true, false, true);

    /// <summary>All transfer syntaxes this toolkit knows by UID.</summary>
    public static IReadOnlyList<DicomTransferSyntax> All => Known;

    /// <summary>The known transfer syntax for a UID, or null.</summary>
    public static DicomTransferSyntax? Find(string uid)
    {
        uid = uid.TrimEnd('\0', ' ');
        foreach (var ts in Known)
            if (ts.Uid == uid) return ts;
        return null;
    }

    public override string ToString() => $"{Name} ({Uid})";
}
