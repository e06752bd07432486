using System.Globalization;
using TrialFlow.Core.Imaging;
using TrialFlow.Dicom;

namespace TrialFlow.Web.Viewer;

/// <summary>
/// Orders the images of a series for scrolling: by position along the slice normal (the cross product of the image
/// orientation's row and column directions) when both images carry position and orientation, else by instance number,
/// then by SOP Instance UID so the order is stable.
/// </summary>
internal static class SliceOrder
{
    public static int Compare(DicomDataset a, ImagingInstance instanceA, DicomDataset b, ImagingInstance instanceB)
    {
        if (Along(a) is { } da && Along(b) is { } db && da != db)
            return da.CompareTo(db);
        var byNumber = (instanceA.InstanceNumber ?? int.MaxValue).CompareTo(instanceB.InstanceNumber ?? int.MaxValue);
        return byNumber != 0 ? byNumber : string.CompareOrdinal(instanceA.SopInstanceUid, instanceB.SopInstanceUid);
    }

    /// <summary>The image position projected on the slice normal, in mm; null when the header lacks either attribute.</summary>
    internal static double? Along(DicomDataset header)
    {
        var position = Numbers(header, DicomTags.ImagePositionPatient);
        var orientation = Numbers(header, DicomTags.ImageOrientationPatient);
        if (position is not [var x, var y, var z])
            return null;
        if (orientation is not [var r1, var r2, var r3, var c1, var c2, var c3])
            return z; // axial acquisitions without orientation: z is the normal's direction
        var (n1, n2, n3) = (r2 * c3 - r3 * c2, r3 * c1 - r1 * c3, r1 * c2 - r2 * c1);
        return x * n1 + y * n2 + z * n3;
    }

    private static double[]? Numbers(DicomDataset header, DicomTag tag)
    {
        var values = header.GetStrings(tag);
        var parsed = values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN).ToArray();
        return parsed.Length > 0 && parsed.All(double.IsFinite) ? parsed : null;
    }
}
