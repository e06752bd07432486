namespace TrialFlow.Dicom.Json;

/// <summary>What to do with binary values (PS3.18 F.2.7): inline base64, a BulkDataURI, or leave them out.</summary>
public enum DicomJsonBulkData
{
    InlineBinary,
    BulkDataUri,
    Omit,
}

/// <summary>Options of <see cref="DicomJsonWriter"/>.</summary>
public sealed record DicomJsonOptions
{
    public DicomJsonBulkData BulkData { get; init; } = DicomJsonBulkData.InlineBinary;

    /// <summary>Binary values shorter than this are written inline, whatever <see cref="BulkData"/> says (except top-level Pixel Data).</summary>
    public long BulkDataThreshold { get; init; }

    /// <summary>Builds the BulkDataURI of an element from its tag path (outermost first). Default: "bulk/GGGGEEEE[/i/GGGGEEEE...]".</summary>
    public Func<IReadOnlyList<(DicomTag Tag, int Item)>, string>? BulkDataUriFactory { get; init; }

    /// <summary>PS3.18 F.2.1: group length elements are not part of the JSON model; set true to keep them.</summary>
    public bool IncludeGroupLengths { get; init; }

    /// <summary>Indented output for people; compact by default.</summary>
    public bool Indented { get; init; }

    public static DicomJsonOptions Default { get; } = new();
}
