namespace TrialFlow.Deid.Tests.Pixels;

public sealed class BurnedInAnnotationTests
{
    private static DicomDataset Image(string modality, string sopClass, string? burnedIn = null)
    {
        var ds = new DicomDataset
        {
            { DicomTags.SOPClassUID, sopClass },
            { DicomTags.SOPInstanceUID, "1.2.3.4" },
            { DicomTags.Modality, modality },
            { DicomTags.Manufacturer, "ACME" },
            { DicomTags.ManufacturerModelName, "US-1" },
            { DicomTags.SamplesPerPixel, (ushort)1 },
            { DicomTags.Rows, (ushort)4 },
            { DicomTags.Columns, (ushort)6 },
            { DicomTags.BitsAllocated, (ushort)8 },
            { DicomTags.PixelData, DicomVR.OB, Enumerable.Repeat((byte)0xFF, 24).ToArray() },
        };
        if (burnedIn is not null) ds.AddOrUpdate(DicomTags.BurnedInAnnotation, burnedIn);
        return ds;
    }

    [Theory]
    [InlineData("US", "1.2.840.10008.5.1.4.1.1.6.1", null, true)]
    [InlineData("OT", "1.2.840.10008.5.1.4.1.1.7", null, true)]
    [InlineData("CT", "1.2.840.10008.5.1.4.1.1.2", "YES", true)]
    [InlineData("CT", "1.2.840.10008.5.1.4.1.1.2", "NO", false)]
    [InlineData("MR", "1.2.840.10008.5.1.4.1.1.4", null, false)]
    public void Instances_likely_to_carry_burned_in_text_are_flagged_not_failed(string modality, string sopClass, string? burnedIn, bool flagged)
    {
        var result = DeidEngine.Deidentify(Image(modality, sopClass, burnedIn), TestPaths.TrialDefault, Engine.PhiCanaryTests.Context());
        Assert.Equal(flagged, result.NeedsBurnedInReview);
        Assert.Equal(flagged, result.Record.BurnedInAnnotationRisks.Count > 0);
    }

    [Fact]
    public void Blanking_rule_for_the_device_zeroes_its_rectangle_and_records_clean_pixel_data()
    {
        var profile = DeidProfileLoader.LoadText("""
            name: us-site
            pixelBlanking:
              - manufacturer: ACME
                model: US-1
                rows: 4
                columns: 6
                rectangles: [[0, 0, 6, 1], [4, 2, 2, 2]]
            """);
        var source = Image("US", "1.2.840.10008.5.1.4.1.1.6.1");
        var result = DeidEngine.Deidentify(source, profile, Engine.PhiCanaryTests.Context());
        Assert.False(result.NeedsBurnedInReview);
        var pixels = ((DicomElement)result.Dataset[DicomTags.PixelData]!).Buffer.GetBytes().ToArray();
        byte[] expected =
        [
            0, 0, 0, 0, 0, 0,
            255, 255, 255, 255, 255, 255,
            255, 255, 255, 255, 0, 0,
            255, 255, 255, 255, 0, 0,
        ];
        Assert.Equal(expected, pixels);
        Assert.All(((DicomElement)source[DicomTags.PixelData]!).Buffer.GetBytes().ToArray(), b => Assert.Equal(255, b)); // source untouched
        Assert.Contains("113101", result.Dataset.GetSequence(DicomTags.DeidentificationMethodCodeSequence)!.Items.Select(i => i.GetString(DicomTags.CodeValue)));
    }

    [Fact]
    public void Blanking_rule_outside_the_image_is_rejected_when_the_profile_loads()
    {
        var ex = Assert.Throws<DeidProfileException>(() => DeidProfileLoader.LoadText(
            "name: p\npixelBlanking:\n  - rows: 4\n    columns: 6\n    rectangles: [[4, 0, 4, 1]]\n", "p.yaml"));
        Assert.Equal(3, ex.Line);
    }
}
