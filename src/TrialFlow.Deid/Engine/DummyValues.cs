using TrialFlow.Dicom;

namespace TrialFlow.Deid.Engine;

/// <summary>The non-zero-length dummy of each string VR (action D): fits the VR's length and character repertoire.</summary>
internal static class DummyValues
{
    public static string For(DicomVR vr) => vr switch
    {
        DicomVR.AS => "000Y",
        DicomVR.DA => "19000101",
        DicomVR.DT => "19000101000000",
        DicomVR.TM => "000000",
        DicomVR.DS or DicomVR.IS => "0",
        DicomVR.UR => "urn:x-deidentified",
        DicomVR.PN => "DEIDENTIFIED",
        _ => "DEIDENTIFIED", // AE, CS, SH (16), LO, LT, ST, UT, UC: upper-case ASCII, 12 characters
    };
}

/// <summary>Shifts DA and DT values by whole days (Retain Longitudinal Temporal Information with Modified Dates).</summary>
internal static class DateShifter
{
    public static bool TryShift(string value, DicomVR vr, int days, out string shifted)
    {
        shifted = "";
        var v = value.Trim();
        if (v.Length == 0) return true;
        if (vr == DicomVR.DA && v.Length == 10 && v[4] == '.' && v[7] == '.') v = v.Replace(".", "", StringComparison.Ordinal); // ACR-NEMA 2.0 dates
        if (v.Length < 8 || (vr == DicomVR.DA && v.Length != 8)) return false;
        if (!DateOnly.TryParseExact(v[..8], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var date)) return false;
        if (date.DayNumber + days < DateOnly.MinValue.DayNumber || date.DayNumber + days > DateOnly.MaxValue.DayNumber) return false;
        shifted = date.AddDays(days).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + v[8..];
        return true;
    }
}
