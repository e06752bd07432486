namespace TrialFlow.Web.Tests.Viewer;

public sealed class SliceOrderTests
{
    private static DicomDataset Header(string[] position, string[]? orientation = null)
    {
        var header = new DicomDataset { { DicomTags.ImagePositionPatient, position } };
        if (orientation is not null)
            header.Add(DicomTags.ImageOrientationPatient, orientation);
        return header;
    }

    [Fact]
    public void Sagittal_slices_are_placed_along_their_normal_whatever_their_y_and_z()
    {
        // Rows along y, columns along -z: the normal (row × column) is -x.
        string[] sagittal = ["0", "1", "0", "0", "0", "-1"];

        Assert.Equal(12.5, SliceOrder.Along(Header(["-12.5", "40", "300"], sagittal)));
        Assert.Equal(-7.5, SliceOrder.Along(Header(["7.5", "-90", "-20"], sagittal)));
    }

    [Fact]
    public void Axial_slices_without_orientation_use_z_and_images_without_position_have_none()
    {
        Assert.Equal(-200, SliceOrder.Along(Header(["-250", "-250", "-200"])));
        Assert.Null(SliceOrder.Along(new DicomDataset()));
        Assert.Null(SliceOrder.Along(Header(["1", "2"])));
    }
}
