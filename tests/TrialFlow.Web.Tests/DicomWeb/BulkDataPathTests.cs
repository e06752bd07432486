using TrialFlow.Web.DicomWeb;

namespace TrialFlow.Web.Tests.DicomWeb;

public sealed class BulkDataPathTests
{
    private static readonly DicomTag IconImageSequence = new(0x0088, 0x0200);

    [Fact]
    public void A_path_into_a_sequence_item_finds_the_nested_value()
    {
        var icon = new DicomDataset();
        icon.Add(new DicomElement(DicomTags.PixelData, DicomVR.OW, DicomBuffer.FromBytes(new byte[] { 1, 2, 3, 4 })));
        var dataset = new DicomDataset();
        dataset.Add(new DicomSequence(IconImageSequence, [new DicomDataset(), icon]));

        var found = BulkDataPath.Find(dataset, "00880200/1/7FE00010");

        Assert.Equal(new byte[] { 1, 2, 3, 4 }, found!.Buffer.GetBytes().ToArray());
    }

    [Theory]
    [InlineData("00880200/2/7FE00010")]
    [InlineData("00880200/x/7FE00010")]
    [InlineData("00880200/0")]
    [InlineData("7FE0")]
    [InlineData("7FE00010")]
    public void A_path_that_names_nothing_finds_nothing(string path)
    {
        var dataset = new DicomDataset();
        dataset.Add(new DicomSequence(IconImageSequence, [new DicomDataset()]));

        Assert.Null(BulkDataPath.Find(dataset, path));
    }
}
