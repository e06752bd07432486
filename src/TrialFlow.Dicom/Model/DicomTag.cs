using System.Globalization;

namespace TrialFlow.Dicom;

/// <summary>A data element tag (group, element) as in PS3.5 7.1; immutable and ordered as on the wire.</summary>
public readonly record struct DicomTag(uint Value) : IComparable<DicomTag>
{
    public DicomTag(ushort group, ushort element) : this(((uint)group << 16) | element) { }

    public ushort Group => (ushort)(Value >> 16);

    public ushort Element => (ushort)Value;

    /// <summary>PS3.5 7.8: odd groups other than 0001, 0003, 0005, 0007 and FFFF hold private data elements.</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0007 && Group != 0xFFFF;

    /// <summary>PS3.5 7.8.1: (gggg,0010-00FF) in a private group reserve a block for a private creator.</summary>
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x0010 and <= 0x00FF;

    /// <summary>PS3.5 7.2: (gggg,0000) group length elements.</summary>
    public bool IsGroupLength => Element == 0;

    /// <summary>For a private element (gggg,xxee) the tag of the creator that reserved its block: (gggg,00xx).</summary>
    public DicomTag PrivateCreatorTag => new(Group, (ushort)(Element >> 8));

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public static bool operator <(DicomTag a, DicomTag b) => a.Value < b.Value;
    public static bool operator >(DicomTag a, DicomTag b) => a.Value > b.Value;
    public static bool operator <=(DicomTag a, DicomTag b) => a.Value <= b.Value;
    public static bool operator >=(DicomTag a, DicomTag b) => a.Value >= b.Value;

    /// <summary>"(0010,0020)"</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");

    /// <summary>"00100020" as used by DICOM JSON (PS3.18 F.2.1.1).</summary>
    public string ToJsonKey() => Value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>Parses "(0010,0020)", "0010,0020" or "00100020".</summary>
    public static DicomTag Parse(string text)
    {
        var s = text.Trim().TrimStart('(').TrimEnd(')').Replace(",", "", StringComparison.Ordinal);
        if (s.Length != 8 || !uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
            throw new FormatException($"'{text}' is not a DICOM tag");
        return new DicomTag(v);
    }

    public static implicit operator DicomTag(uint value) => new(value);

    // PS3.5 7.5: item and delimitation tags
    internal static readonly DicomTag Item = new(0xFFFEE000);
    internal static readonly DicomTag ItemDelimitation = new(0xFFFEE00D);
    internal static readonly DicomTag SequenceDelimitation = new(0xFFFEE0DD);
}
