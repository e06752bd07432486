using TrialFlow.Deid.Profiles;
using TrialFlow.Dicom;

namespace TrialFlow.Deid.Pixels;

/// <summary>
/// Flags instances that may carry burned-in text (names, dates in the pixels): the flag is part of the result so intake
/// can hold the instance for review; it never fails de-identification.
/// </summary>
public static class BurnedInAnnotation
{
    // Modalities whose images commonly carry burned-in text: ultrasound, secondary capture, other, external camera,
    // endoscopy, document, and screen captures.
    private static readonly HashSet<string> RiskyModalities = new(StringComparer.Ordinal) { "US", "SC", "OT", "XC", "ES", "DOC" };

    /// <summary>Reasons the instance may show burned-in text (empty when none); <paramref name="blanking"/> is the matching rule, if any.</summary>
    public static List<string> Assess(DicomDataset dataset, DeidProfile profile, out PixelBlankingRule? blanking)
    {
        var reasons = new List<string>();
        var burnedIn = dataset.GetString(DicomTags.BurnedInAnnotation)?.Trim();
        if (string.Equals(burnedIn, "YES", StringComparison.OrdinalIgnoreCase)) reasons.Add("Burned In Annotation (0028,0301) is YES");
        var modality = dataset.GetString(DicomTags.Modality)?.Trim().ToUpperInvariant();
        if (modality is not null && RiskyModalities.Contains(modality)) reasons.Add($"modality {modality} often carries burned-in text");
        var sopClass = dataset.GetString(DicomTags.SOPClassUID)?.Trim() ?? "";
        // PS3.4 B.5: 1.2.840.10008.5.1.4.1.1.7[.x] Secondary Capture (single and multi-frame)
        if (sopClass == "1.2.840.10008.5.1.4.1.1.7" || sopClass.StartsWith("1.2.840.10008.5.1.4.1.1.7.", StringComparison.Ordinal))
            reasons.Add("secondary capture SOP class");
        var imageType = dataset.GetStrings(DicomTags.ImageType).Select(s => s.Trim().ToUpperInvariant()).ToArray();
        if (imageType.Contains("SCREEN SAVE") || imageType.Contains("SCREENSHOT")) reasons.Add("image type says it is a screen capture");
        var conversion = dataset.GetString(DicomTags.ConversionType)?.Trim();
        if (conversion is "WSD" or "SYN") reasons.Add($"conversion type {conversion} (workstation/synthetic image)");

        blanking = null;
        if (dataset.Contains(DicomTags.PixelData) && profile.PixelBlanking.Count > 0)
        {
            var rows = dataset.GetOrDefault(DicomTags.Rows, 0);
            var columns = dataset.GetOrDefault(DicomTags.Columns, 0);
            var manufacturer = dataset.GetString(DicomTags.Manufacturer);
            var model = dataset.GetString(DicomTags.ManufacturerModelName);
            blanking = profile.PixelBlanking.FirstOrDefault(r => r.Matches(manufacturer, model, rows, columns));
        }
        // A rule for this device blanks the known text regions: what the flags warned about is handled.
        if (blanking is not null) reasons.Clear();
        return reasons;
    }
}

/// <summary>Sets rectangles of native pixel data to zero in every frame (RSNA CTP pixel anonymizer style).</summary>
internal static class PixelBlanker
{
    public static bool TryBlank(DicomDataset source, DicomDataset output, PixelBlankingRule rule, out string? reason)
    {
        reason = null;
        if (source[DicomTags.PixelData] is not DicomElement pixels)
        {
            reason = "a pixel blanking rule matches but the pixel data is compressed (encapsulated): cannot blank, hold for review";
            return false;
        }
        var bitsAllocated = source.GetOrDefault(DicomTags.BitsAllocated, 0);
        var samples = source.GetOrDefault(DicomTags.SamplesPerPixel, 1);
        var planar = source.GetOrDefault(DicomTags.PlanarConfiguration, 0);
        var frames = Math.Max(1, source.GetOrDefault(DicomTags.NumberOfFrames, 1));
        if (bitsAllocated is not (8 or 16 or 32))
        {
            reason = $"a pixel blanking rule matches but Bits Allocated is {bitsAllocated}: cannot blank, hold for review";
            return false;
        }
        var bytesPerSample = bitsAllocated / 8;
        long frameLength = (long)rule.Rows * rule.Columns * samples * bytesPerSample;
        if (pixels.Length < frameLength * frames)
        {
            reason = "a pixel blanking rule matches but the pixel data is shorter than its frames: cannot blank, hold for review";
            return false;
        }
        var data = pixels.Buffer.GetBytes().ToArray();
        for (var f = 0; f < frames; f++)
        {
            var frame = data.AsSpan((int)(f * frameLength), (int)frameLength);
            foreach (var r in rule.Rectangles)
            {
                for (var y = r.Top; y < r.Top + r.Height; y++)
                {
                    if (planar == 1 && samples > 1)
                    {
                        var plane = rule.Rows * rule.Columns * bytesPerSample;
                        for (var s = 0; s < samples; s++)
                            frame.Slice(s * plane + (y * rule.Columns + r.Left) * bytesPerSample, r.Width * bytesPerSample).Clear();
                    }
                    else
                    {
                        var pixel = samples * bytesPerSample;
                        frame.Slice((y * rule.Columns + r.Left) * pixel, r.Width * pixel).Clear();
                    }
                }
            }
        }
        output.AddOrUpdate(new DicomElement(DicomTags.PixelData, pixels.VR, data));
        return true;
    }
}
