using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using TrialFlow.Dicom.CharacterSets;

namespace TrialFlow.Dicom;

/// <summary>Turns element bytes into typed values and back (PS3.5 6.2 value encodings).</summary>
internal static class DicomValueCodec
{
    /// <summary>
    /// The text values of a string element: trailing padding (space, NUL) removed, split on backslash except for
    /// single-valued VRs (LT, ST, UT, UR). Leading spaces are kept except for AE (PS3.5 Table 6.2-1).
    /// </summary>
    public static string[] DecodeStrings(DicomVR vr, ReadOnlySpan<byte> bytes, DicomCharacterSet charset)
    {
        if (bytes.IsEmpty) return [];
        var text = vr.UsesSpecificCharacterSet() ? charset.Decode(bytes, vr == DicomVR.PN) : Encoding.Latin1.GetString(bytes);
        if (vr.IsSingleValuedText())
        {
            var single = text.TrimEnd('\0', ' ');
            return single.Length == 0 ? [] : [single];
        }
        text = text.TrimEnd('\0', ' ');
        if (text.Length == 0) return [];
        var values = text.Split('\\');
        if (vr is DicomVR.SH or DicomVR.LO or DicomVR.UC)
            for (var i = 0; i < values.Length; i++) values[i] = values[i].TrimEnd('\0', ' ');
        else if (vr == DicomVR.AE)
            for (var i = 0; i < values.Length; i++) values[i] = values[i].Trim();
        return values;
    }

    /// <summary>Number of values (VM) of an element as stored.</summary>
    public static int CountValues(DicomElement e, DicomCharacterSet charset)
    {
        if (e.IsEmpty) return 0;
        if (e.VR.IsString()) return DecodeStrings(e.VR, e.Buffer.GetBytes().Span, charset).Length;
        var size = e.VR.ValueSize();
        return e.VR.IsBinary() ? 1 : size == 0 ? 1 : (int)(e.Length / size);
    }

    /// <summary>Reads binary value <paramref name="index"/> of a fixed-size numeric VR as double/long.</summary>
    public static bool TryReadNumber(DicomVR vr, ReadOnlySpan<byte> b, int index, out long integer, out double real, out bool isReal)
    {
        integer = 0;
        real = 0;
        isReal = false;
        var size = vr.ValueSize();
        if (size == 0 || (long)(index + 1) * size > b.Length) return false;
        var s = b.Slice(index * size, size);
        switch (vr)
        {
            case DicomVR.US or DicomVR.OW: integer = BinaryPrimitives.ReadUInt16LittleEndian(s); break;
            case DicomVR.SS: integer = BinaryPrimitives.ReadInt16LittleEndian(s); break;
            case DicomVR.UL or DicomVR.OL: integer = BinaryPrimitives.ReadUInt32LittleEndian(s); break;
            case DicomVR.SL: integer = BinaryPrimitives.ReadInt32LittleEndian(s); break;
            case DicomVR.SV: integer = BinaryPrimitives.ReadInt64LittleEndian(s); break;
            case DicomVR.UV or DicomVR.OV: integer = (long)BinaryPrimitives.ReadUInt64LittleEndian(s); break;
            case DicomVR.FL or DicomVR.OF: real = BinaryPrimitives.ReadSingleLittleEndian(s); isReal = true; break;
            case DicomVR.FD or DicomVR.OD: real = BinaryPrimitives.ReadDoubleLittleEndian(s); isReal = true; break;
            case DicomVR.AT:
                integer = ((uint)BinaryPrimitives.ReadUInt16LittleEndian(s) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(s[2..]);
                break;
            default: return false;
        }
        if (!isReal) real = vr == DicomVR.UV ? (ulong)integer : integer;
        return true;
    }

    /// <summary>Encodes values for an element of the given VR; strings use the dataset's character set.</summary>
    public static byte[] Encode<T>(DicomTag tag, DicomVR vr, IReadOnlyList<T> values, DicomCharacterSet charset)
    {
        if (values.Count == 0) return [];
        if (vr.IsString())
        {
            var texts = new string[values.Count];
            for (var i = 0; i < texts.Length; i++) texts[i] = FormatAsText(tag, vr, values[i]);
            var joined = string.Join('\\', texts);
            byte[] bytes;
            try
            {
                bytes = vr.UsesSpecificCharacterSet() ? charset.Encode(joined) : DicomCharacterSet.Default.Encode(joined);
            }
            catch (EncoderFallbackException ex)
            {
                throw new DicomValueException($"'{joined}' cannot be encoded in Specific Character Set '{string.Join('\\', charset.Terms)}' (VR {vr.Code()}); set (0008,0005) first", tag, ex);
            }
            return PadEven(bytes, vr.PaddingByte());
        }
        if (typeof(T) == typeof(byte)) return PadEven([.. values.Cast<byte>()], 0);
        if (typeof(T) == typeof(byte[]) && values.Count == 1) return PadEven((byte[])(object)values[0]!, 0);
        var size = vr.ValueSize();
        if (size == 0) throw new DicomValueException($"cannot encode {typeof(T).Name} values as {vr.Code()}", tag);
        var result = new byte[size * values.Count];
        for (var i = 0; i < values.Count; i++) WriteNumber(tag, vr, values[i], result.AsSpan(i * size, size));
        return result;
    }

    public static byte[] PadEven(byte[] bytes, byte pad)
    {
        if ((bytes.Length & 1) == 0) return bytes;
        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = pad;
        return padded;
    }

    private static string FormatAsText<T>(DicomTag tag, DicomVR vr, T value) => value switch
    {
        null => "",
        string s => s,
        DateOnly d => DicomDateTimeParser.FormatDate(d),
        TimeOnly t => DicomDateTimeParser.FormatTime(t),
        DateTime dt => vr == DicomVR.DA ? DicomDateTimeParser.FormatDate(DateOnly.FromDateTime(dt)) : DicomDateTimeParser.FormatDateTime(dt),
        double d when vr == DicomVR.DS => FormatDecimalString(d),
        float f when vr == DicomVR.DS => FormatDecimalString(f),
        DicomPersonName pn => pn.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new DicomValueException($"cannot encode {typeof(T).Name} as {vr.Code()}", tag),
    };

    /// <summary>PS3.5 6.2: DS holds at most 16 characters.</summary>
    public static string FormatDecimalString(double d)
    {
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        for (var digits = 15; s.Length > 16 && digits > 0; digits--) s = d.ToString("G" + digits, CultureInfo.InvariantCulture);
        return s;
    }

    private static void WriteNumber<T>(DicomTag tag, DicomVR vr, T value, Span<byte> dest)
    {
        double real;
        long integer;
        switch (value)
        {
            case DicomTag t when vr == DicomVR.AT:
                BinaryPrimitives.WriteUInt16LittleEndian(dest, t.Group);
                BinaryPrimitives.WriteUInt16LittleEndian(dest[2..], t.Element);
                return;
            case double d: real = d; integer = (long)d; break;
            case float f: real = f; integer = (long)f; break;
            case ulong ul: integer = (long)ul; real = ul; break;
            case IConvertible c when value is not string:
                integer = c.ToInt64(CultureInfo.InvariantCulture);
                real = c.ToDouble(CultureInfo.InvariantCulture);
                break;
            default: throw new DicomValueException($"cannot encode {typeof(T).Name} as {vr.Code()}", tag);
        }
        switch (vr)
        {
            case DicomVR.US or DicomVR.OW: BinaryPrimitives.WriteUInt16LittleEndian(dest, checked((ushort)integer)); break;
            case DicomVR.SS: BinaryPrimitives.WriteInt16LittleEndian(dest, checked((short)integer)); break;
            case DicomVR.UL or DicomVR.OL: BinaryPrimitives.WriteUInt32LittleEndian(dest, checked((uint)integer)); break;
            case DicomVR.SL: BinaryPrimitives.WriteInt32LittleEndian(dest, checked((int)integer)); break;
            case DicomVR.SV: BinaryPrimitives.WriteInt64LittleEndian(dest, integer); break;
            case DicomVR.UV or DicomVR.OV: BinaryPrimitives.WriteUInt64LittleEndian(dest, (ulong)integer); break;
            case DicomVR.FL or DicomVR.OF: BinaryPrimitives.WriteSingleLittleEndian(dest, (float)real); break;
            case DicomVR.FD or DicomVR.OD: BinaryPrimitives.WriteDoubleLittleEndian(dest, real); break;
            case DicomVR.AT: BinaryPrimitives.WriteUInt32LittleEndian(dest, (uint)((integer >> 16) | (integer << 16))); break;
            default: throw new DicomValueException($"cannot encode numbers as {vr.Code()}", tag);
        }
    }
}
