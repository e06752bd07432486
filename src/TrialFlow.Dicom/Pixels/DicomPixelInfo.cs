namespace TrialFlow.Dicom.Pixels;

/// <summary>The Image Pixel module attributes needed to find and decode frames (PS3.3 C.7.6.3).</summary>
public sealed record DicomPixelInfo(
    int Rows, int Columns, int SamplesPerPixel, int BitsAllocated, int BitsStored, int HighBit,
    bool IsSigned, int PlanarConfiguration, int NumberOfFrames, string PhotometricInterpretation)
{
    /// <summary>Reads the pixel description from a dataset; throws <see cref="DicomValueException"/> if it is incomplete.</summary>
    public static DicomPixelInfo FromDataset(DicomDataset ds)
    {
        int Required(DicomTag tag) => ds.TryGet<int>(tag, out var v) ? v : throw new DicomValueException($"{tag} is required to read pixel data", tag);
        var bitsAllocated = Required(DicomTags.BitsAllocated);
        var bitsStored = ds.GetOrDefault(DicomTags.BitsStored, bitsAllocated);
        var frames = ds.TryGet<string>(DicomTags.NumberOfFrames, out var f) && int.TryParse(f.Trim(), out var n) && n > 0 ? n : 1;
        return new DicomPixelInfo(
            Required(DicomTags.Rows), Required(DicomTags.Columns), ds.GetOrDefault(DicomTags.SamplesPerPixel, 1),
            bitsAllocated, bitsStored, ds.GetOrDefault(DicomTags.HighBit, bitsStored - 1),
            ds.GetOrDefault(DicomTags.PixelRepresentation, 0) == 1, ds.GetOrDefault(DicomTags.PlanarConfiguration, 0), frames,
            ds.GetString(DicomTags.PhotometricInterpretation) ?? "");
    }

    public int BytesPerSample => (BitsAllocated + 7) / 8;

    /// <summary>Bytes of one native frame (PS3.5 8.1.1); 1-bit data is packed.</summary>
    public long FrameLength => BitsAllocated == 1
        ? ((long)Rows * Columns * SamplesPerPixel + 7) / 8
        : (long)Rows * Columns * SamplesPerPixel * BytesPerSample;
}
