using System.Text;

namespace TrialFlow.Dicom.CharacterSets;

/// <summary>
/// Moves a whole dataset, nested items included, to Specific Character Set <c>ISO_IR 192</c> (UTF-8), re-encoding every
/// text value so that it reads the same. PS3.5 6.1.2.3 lets a writer replace the character set this way; it is how a
/// value the declared repertoire cannot hold (a site name with "ä" in a file that declares none) is written without
/// dropping or altering any text.
/// </summary>
internal static class UnicodeConversion
{
    public const string Term = "ISO_IR 192";

    public static void Convert(DicomDataset root)
    {
        // Decode everything first: each value is read with the character set in force where it stands, which the
        // changes below would otherwise alter half-way (an item may declare its own set, PS3.5 7.5.3).
        var texts = new List<(DicomDataset Owner, DicomElement Element, string Text)>();
        Collect(root, texts);

        RemoveNestedDeclarations(root);
        root.AddOrUpdate(new DicomElement(DicomTags.SpecificCharacterSet, DicomVR.CS, DicomValueCodec.PadEven(Encoding.ASCII.GetBytes(Term), (byte)' ')));
        foreach (var (owner, element, text) in texts)
            owner.AddOrUpdate(new DicomElement(element.Tag, element.VR, DicomValueCodec.PadEven(Encoding.UTF8.GetBytes(text), element.VR.PaddingByte())));
    }

    private static void Collect(DicomDataset dataset, List<(DicomDataset, DicomElement, string)> texts)
    {
        var charset = dataset.CharacterSet;
        foreach (var item in dataset)
        {
            switch (item)
            {
                case DicomElement { IsEmpty: false } e when e.VR.UsesSpecificCharacterSet():
                    texts.Add((dataset, e, charset.Decode(e.Buffer.GetBytes().Span, e.VR == DicomVR.PN)));
                    break;
                case DicomSequence s:
                    foreach (var child in s.Items)
                        Collect(child, texts);
                    break;
            }
        }
    }

    private static void RemoveNestedDeclarations(DicomDataset dataset)
    {
        foreach (var sequence in dataset.OfType<DicomSequence>())
            foreach (var child in sequence.Items)
            {
                child.Remove(DicomTags.SpecificCharacterSet);
                RemoveNestedDeclarations(child);
            }
    }
}
