using System.Globalization;
using System.Text;
using TrialFlow.Dicom.IO;

namespace TrialFlow.Dicom.Text;

/// <summary>A human-readable dump in the spirit of dcmtk's dcmdump: one line per element, nested items indented.</summary>
public static class DicomTextDump
{
    private const int MaxValueChars = 64;

    /// <summary>Dumps a whole file: File Meta Information, then the dataset, then any read warnings.</summary>
    public static string Write(DicomFile file)
    {
        var sb = new StringBuilder();
        if (file.FileMetaInformation.Count > 0)
        {
            sb.AppendLine("# File Meta Information (Explicit VR Little Endian)");
            WriteDataset(sb, file.FileMetaInformation, 0);
            sb.AppendLine();
        }
        sb.Append("# Dataset (").Append(file.TransferSyntax.Name).AppendLine(file.IsHeaderOnly ? ", header only)" : ")");
        WriteDataset(sb, file.Dataset, 0);
        foreach (var w in file.Warnings) sb.Append("# warning: ").AppendLine(w);
        return sb.ToString();
    }

    /// <summary>Dumps a dataset.</summary>
    public static string Write(DicomDataset dataset)
    {
        var sb = new StringBuilder();
        WriteDataset(sb, dataset, 0);
        return sb.ToString();
    }

    private static void WriteDataset(StringBuilder sb, DicomDataset ds, int depth)
    {
        foreach (var item in ds)
        {
            var indent = new string(' ', depth * 2);
            var head = $"{indent}{item.Tag.ToString().ToLowerInvariant()} {item.VR.Code()} ";
            switch (item)
            {
                case DicomSequence seq:
                    Line(sb, head + $"(Sequence #={seq.Items.Count})", seq.Items.Count, Describe(ds, item.Tag));
                    for (var i = 0; i < seq.Items.Count; i++)
                    {
                        Line(sb, $"{indent}  (fffe,e000) na (Item #={seq.Items[i].Count})", 1, $"Item {i + 1}");
                        WriteDataset(sb, seq.Items[i], depth + 2);
                    }
                    break;
                case DicomFragmentSequence frag:
                    Line(sb, head + $"(PixelSequence: offset table {frag.OffsetTable.Length} bytes, {frag.Fragments.Count} fragment(s), {frag.Fragments.Sum(f => f.Length)} bytes)",
                        frag.Fragments.Count, Describe(ds, item.Tag));
                    break;
                case DicomElement e:
                    Line(sb, head + FormatValue(ds, e), DicomValueCodec.CountValues(e, ds.CharacterSet), Describe(ds, item.Tag), e.Length);
                    break;
            }
        }
    }

    private static void Line(StringBuilder sb, string text, int vm, string name, long? length = null)
    {
        sb.Append(text.PadRight(56)).Append(" # ");
        if (length is { } l) sb.Append(l.ToString(CultureInfo.InvariantCulture).PadLeft(4)).Append(", ");
        sb.Append(vm.ToString(CultureInfo.InvariantCulture)).Append(' ').AppendLine(name);
    }

    private static string Describe(DicomDataset ds, DicomTag tag)
    {
        if (tag.IsPrivate)
            return tag.IsPrivateCreator ? "PrivateCreator" : ds.GetPrivateCreator(tag) is { } c ? $"Private ({c})" : "Private (no creator)";
        return DicomDictionary.KeywordOf(tag) ?? "Unknown";
    }

    private static string FormatValue(DicomDataset ds, DicomElement e)
    {
        if (e.IsEmpty) return "(no value)";
        if (e.Buffer.IsDeferred) return $"(on disk: {e.Length} bytes)";
        string text;
        if (e.VR.IsString())
        {
            text = "[" + string.Join('\\', DicomValueCodec.DecodeStrings(e.VR, e.Buffer.GetBytes().Span, ds.CharacterSet)) + "]";
            if (e.VR == DicomVR.UI && DicomDictionary.FindSopClassName(ds.GetString(e.Tag) ?? "") is { } sop) text = $"={sop}";
        }
        else if (e.VR.IsBinary())
        {
            var bytes = e.Buffer.GetBytes().Span;
            var shown = bytes[..Math.Min(bytes.Length, 16)].ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture));
            text = string.Join('\\', shown) + (bytes.Length > 16 ? "..." : "");
        }
        else
        {
            text = string.Join('\\', DicomValueConverter.Strings(ds, e));
        }
        return text.Length > MaxValueChars ? text[..(MaxValueChars - 3)] + "..." : text;
    }
}
