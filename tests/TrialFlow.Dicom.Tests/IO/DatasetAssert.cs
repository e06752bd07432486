namespace TrialFlow.Dicom.Tests.IO;

/// <summary>
/// Two datasets are equal when they hold the same tags with the same bytes (a value padded to even length by the
/// writer, PS3.5 7.1.1, counts as equal) and, unless written in implicit VR, the same VRs.
/// Implicit VR cannot carry the VR of private elements or the OB/OW choice of pixel data (PS3.5 A.1), so those may differ there.
/// </summary>
internal static class DatasetAssert
{
    public static void Equal(DicomDataset expected, DicomDataset actual, bool implicitVr, string path = "")
    {
        var e = expected.Where(i => !i.Tag.IsGroupLength).ToList();
        var a = actual.Where(i => !i.Tag.IsGroupLength).ToList();
        Assert.True(e.Select(i => i.Tag).SequenceEqual(a.Select(i => i.Tag)),
            $"{path}: tags differ: [{string.Join(",", e.Select(i => i.Tag).Except(a.Select(i => i.Tag)))}] vs [{string.Join(",", a.Select(i => i.Tag).Except(e.Select(i => i.Tag)))}]");
        for (var k = 0; k < e.Count; k++)
        {
            var x = e[k];
            var y = a[k];
            var p = $"{path}/{x.Tag}";
            if (!implicitVr || (!x.Tag.IsPrivate && x.Tag != DicomTags.PixelData && x.VR != DicomVR.UN))
                Assert.True(x.VR == y.VR, $"{p}: VR {x.VR} vs {y.VR}");
            switch (x)
            {
                case DicomSequence sx:
                    var sy = Assert.IsType<DicomSequence>(y);
                    Assert.True(sx.Items.Count == sy.Items.Count, $"{p}: {sx.Items.Count} vs {sy.Items.Count} items");
                    for (var i = 0; i < sx.Items.Count; i++) Equal(sx.Items[i], sy.Items[i], implicitVr, $"{p}/{i}");
                    break;
                case DicomFragmentSequence fx:
                    var fy = Assert.IsType<DicomFragmentSequence>(y);
                    Assert.True(fx.OffsetTable.GetBytes().Span.SequenceEqual(fy.OffsetTable.GetBytes().Span), $"{p}: offset table");
                    Assert.Equal(fx.Fragments.Count, fy.Fragments.Count);
                    for (var i = 0; i < fx.Fragments.Count; i++)
                        Assert.True(fx.Fragments[i].GetBytes().Span.SequenceEqual(fy.Fragments[i].GetBytes().Span), $"{p}: fragment {i}");
                    break;
                case DicomElement ex:
                    if (y is DicomSequence && implicitVr && ex.VR == DicomVR.UN) break; // a private SQ read back by CP-246 rules
                    var ey = Assert.IsType<DicomElement>(y);
                    var bx = ex.Buffer.GetBytes().Span;
                    var by = ey.Buffer.GetBytes().Span;
                    var same = bx.SequenceEqual(by) || ((bx.Length & 1) == 1 && by.Length == bx.Length + 1 && by[..bx.Length].SequenceEqual(bx));
                    Assert.True(same, $"{p}: values differ ({bx.Length} vs {by.Length} bytes)");
                    break;
            }
        }
    }
}
