namespace TrialFlow.Dicom;

/// <summary>Value representations of PS3.5 6.2 (Table 6.2-1). The numeric value is the two ASCII characters.</summary>
public enum DicomVR : ushort
{
    None = 0,
    AE = ('A' << 8) | 'E', AS = ('A' << 8) | 'S', AT = ('A' << 8) | 'T', CS = ('C' << 8) | 'S',
    DA = ('D' << 8) | 'A', DS = ('D' << 8) | 'S', DT = ('D' << 8) | 'T', FD = ('F' << 8) | 'D',
    FL = ('F' << 8) | 'L', IS = ('I' << 8) | 'S', LO = ('L' << 8) | 'O', LT = ('L' << 8) | 'T',
    OB = ('O' << 8) | 'B', OD = ('O' << 8) | 'D', OF = ('O' << 8) | 'F', OL = ('O' << 8) | 'L',
    OV = ('O' << 8) | 'V', OW = ('O' << 8) | 'W', PN = ('P' << 8) | 'N', SH = ('S' << 8) | 'H',
    SL = ('S' << 8) | 'L', SQ = ('S' << 8) | 'Q', SS = ('S' << 8) | 'S', ST = ('S' << 8) | 'T',
    SV = ('S' << 8) | 'V', TM = ('T' << 8) | 'M', UC = ('U' << 8) | 'C', UI = ('U' << 8) | 'I',
    UL = ('U' << 8) | 'L', UN = ('U' << 8) | 'N', UR = ('U' << 8) | 'R', US = ('U' << 8) | 'S',
    UT = ('U' << 8) | 'T', UV = ('U' << 8) | 'V',
}

/// <summary>Facts about each VR used by the reader, writer and accessors.</summary>
public static class DicomVRInfo
{
    /// <summary>Parses the two-character code; returns false for anything that is not a PS3.5 VR.</summary>
    public static bool TryParse(byte c0, byte c1, out DicomVR vr)
    {
        vr = (DicomVR)((c0 << 8) | c1);
        if (IsKnown(vr)) return true;
        vr = DicomVR.None;
        return false;
    }

    public static bool TryParse(string code, out DicomVR vr)
    {
        vr = DicomVR.None;
        return code.Length == 2 && TryParse((byte)code[0], (byte)code[1], out vr);
    }

    public static bool IsKnown(DicomVR vr) => vr switch
    {
        DicomVR.AE or DicomVR.AS or DicomVR.AT or DicomVR.CS or DicomVR.DA or DicomVR.DS or DicomVR.DT or DicomVR.FD
            or DicomVR.FL or DicomVR.IS or DicomVR.LO or DicomVR.LT or DicomVR.OB or DicomVR.OD or DicomVR.OF
            or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.PN or DicomVR.SH or DicomVR.SL or DicomVR.SQ
            or DicomVR.SS or DicomVR.ST or DicomVR.SV or DicomVR.TM or DicomVR.UC or DicomVR.UI or DicomVR.UL
            or DicomVR.UN or DicomVR.UR or DicomVR.US or DicomVR.UT or DicomVR.UV => true,
        _ => false,
    };

    /// <summary>The two-character code, e.g. "PN".</summary>
    public static string Code(this DicomVR vr) =>
        vr == DicomVR.None ? "??" : string.Create(2, vr, static (span, v) => { span[0] = (char)((ushort)v >> 8); span[1] = (char)((ushort)v & 0xFF); });

    /// <summary>PS3.5 7.1.2: VRs whose explicit-VR header has 2 reserved bytes and a 32-bit length.</summary>
    public static bool HasLongExplicitLength(this DicomVR vr) => vr is DicomVR.OB or DicomVR.OD or DicomVR.OF
        or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.SQ or DicomVR.SV or DicomVR.UC or DicomVR.UN
        or DicomVR.UR or DicomVR.UT or DicomVR.UV;

    /// <summary>Character string VRs (values are text, padded with a space, or NUL for UI).</summary>
    public static bool IsString(this DicomVR vr) => vr is DicomVR.AE or DicomVR.AS or DicomVR.CS or DicomVR.DA
        or DicomVR.DS or DicomVR.DT or DicomVR.IS or DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH
        or DicomVR.ST or DicomVR.TM or DicomVR.UC or DicomVR.UI or DicomVR.UR or DicomVR.UT;

    /// <summary>String VRs whose text is affected by Specific Character Set (PS3.5 6.1.2.3).</summary>
    public static bool UsesSpecificCharacterSet(this DicomVR vr) => vr is DicomVR.LO or DicomVR.LT or DicomVR.PN
        or DicomVR.SH or DicomVR.ST or DicomVR.UC or DicomVR.UT;

    /// <summary>String VRs that hold exactly one value: backslash is text, not a separator (PS3.5 6.4).</summary>
    public static bool IsSingleValuedText(this DicomVR vr) => vr is DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UR;

    /// <summary>Byte VRs that are opaque binary data (DICOM JSON InlineBinary, PS3.18 F.2.7).</summary>
    public static bool IsBinary(this DicomVR vr) => vr is DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL
        or DicomVR.OV or DicomVR.OW or DicomVR.UN;

    /// <summary>Size in bytes of one value of a fixed-size binary VR, or of the swap unit of an O* VR; 0 otherwise.</summary>
    public static int ValueSize(this DicomVR vr) => vr switch
    {
        DicomVR.US or DicomVR.SS or DicomVR.OW => 2,
        DicomVR.AT or DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.OF or DicomVR.OL => 4,
        DicomVR.FD or DicomVR.OD or DicomVR.SV or DicomVR.UV or DicomVR.OV => 8,
        _ => 0,
    };

    /// <summary>Bytes reversed together when converting from big endian (AT is two 16-bit numbers).</summary>
    public static int SwapUnit(this DicomVR vr) => vr == DicomVR.AT ? 2 : vr.ValueSize();

    /// <summary>PS3.5 6.2: byte used to pad a value to even length.</summary>
    public static byte PaddingByte(this DicomVR vr) => vr == DicomVR.UI ? (byte)0 : vr.IsString() ? (byte)' ' : (byte)0;
}
