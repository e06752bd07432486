using System.Globalization;

namespace TrialFlow.Dicom;

/// <summary>Converts one value of an item to the type a caller asks for.</summary>
internal static class DicomValueConverter
{
    public static string[] Strings(DicomDataset ds, DicomElement e)
    {
        if (e.VR.IsString()) return DicomValueCodec.DecodeStrings(e.VR, e.Buffer.GetBytes().Span, ds.CharacterSet);
        if (e.VR.IsBinary() || e.VR.ValueSize() == 0) return [];
        var bytes = e.Buffer.GetBytes().Span;
        var n = (int)(e.Length / e.VR.ValueSize());
        var result = new string[n];
        for (var i = 0; i < n; i++)
        {
            DicomValueCodec.TryReadNumber(e.VR, bytes, i, out var l, out var d, out var isReal);
            result[i] = e.VR == DicomVR.AT ? new DicomTag((uint)l).ToJsonKey()
                : isReal ? d.ToString("R", CultureInfo.InvariantCulture)
                : e.VR == DicomVR.UV ? ((ulong)l).ToString(CultureInfo.InvariantCulture) : l.ToString(CultureInfo.InvariantCulture);
        }
        return result;
    }

    public static bool TryConvert<T>(DicomDataset ds, DicomItem item, int index, out T value)
    {
        value = default!;
        object? result = null;
        switch (item)
        {
            case DicomSequence seq:
                if (typeof(T) == typeof(DicomDataset) && index < seq.Items.Count) result = seq.Items[index];
                break;
            case DicomFragmentSequence frag:
                if (typeof(T) == typeof(byte[]) && index < frag.Fragments.Count) result = frag.Fragments[index].GetBytes().ToArray();
                break;
            case DicomElement e:
                result = ConvertElement<T>(ds, e, index);
                break;
        }
        if (result is T t)
        {
            value = t;
            return true;
        }
        return false;
    }

    public static bool TryConvertText<T>(DicomVR vr, string text, out T value)
    {
        if (FromText(typeof(T), vr, text) is T t)
        {
            value = t;
            return true;
        }
        value = default!;
        return false;
    }

    private static object? ConvertElement<T>(DicomDataset ds, DicomElement e, int index)
    {
        var type = typeof(T);
        if (type == typeof(byte[])) return e.Buffer.GetBytes().ToArray();
        if (e.VR.IsString())
        {
            var values = Strings(ds, e);
            if (index < 0 || index >= values.Length) return null;
            return FromText(type, e.VR, values[index]);
        }
        if (type == typeof(string))
        {
            var values = Strings(ds, e);
            return index >= 0 && index < values.Length ? values[index] : null;
        }
        if (!DicomValueCodec.TryReadNumber(e.VR, e.Buffer.GetBytes().Span, index, out var l, out var d, out var isReal)) return null;
        if (type == typeof(DicomTag)) return e.VR == DicomVR.AT ? new DicomTag((uint)l) : null;
        return isReal ? FromDouble(type, d) : FromInteger(type, l);
    }

    private static object? FromText(Type type, DicomVR vr, string text)
    {
        var s = text.Trim();
        if (type == typeof(string)) return text;
        if (type == typeof(DicomPersonName)) return DicomPersonName.Parse(text);
        if (type == typeof(DateOnly)) return DicomDateTimeParser.TryParseDate(s, out var d) ? d : null;
        if (type == typeof(TimeOnly)) return DicomDateTimeParser.TryParseTime(s, out var t) ? t : null;
        if (type == typeof(DateTimeOffset)) return DicomDateTimeParser.TryParseDateTime(s, out var dto) ? dto : null;
        if (type == typeof(DateTime))
        {
            if (vr == DicomVR.DA) return DicomDateTimeParser.TryParseDate(s, out var da) ? da.ToDateTime(TimeOnly.MinValue) : null;
            return DicomDateTimeParser.TryParseDateTime(s, out var dt) ? dt.DateTime : null;
        }
        if (type == typeof(DicomTag)) return null;
        if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return FromInteger(type, l);
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var dbl)) return FromDouble(type, dbl);
        return null;
    }

    private static object? FromInteger(Type type, long l)
    {
        try
        {
            if (type == typeof(int)) return checked((int)l);
            if (type == typeof(long)) return l;
            if (type == typeof(uint)) return checked((uint)l);
            if (type == typeof(ulong)) return (ulong)l;
            if (type == typeof(ushort)) return checked((ushort)l);
            if (type == typeof(short)) return checked((short)l);
            if (type == typeof(byte)) return checked((byte)l);
            if (type == typeof(double)) return (double)l;
            if (type == typeof(float)) return (float)l;
            if (type == typeof(decimal)) return (decimal)l;
        }
        catch (OverflowException)
        {
            return null;
        }
        return null;
    }

    private static object? FromDouble(Type type, double d)
    {
        if (type == typeof(double)) return d;
        if (type == typeof(float)) return (float)d;
        if (type == typeof(decimal)) return double.IsFinite(d) ? (decimal)d : null;
        if (Math.Floor(d) == d && double.IsFinite(d) && Math.Abs(d) < 9.2e18) return FromInteger(type, (long)d);
        return null;
    }
}
