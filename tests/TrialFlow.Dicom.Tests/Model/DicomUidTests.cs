namespace TrialFlow.Dicom.Tests.Model;

public sealed class DicomUidTests
{
    [Fact]
    public void Generated_UIDs_are_valid_UUID_derived_and_unique()
    {
        var a = DicomUid.Generate();
        var b = DicomUid.Generate();
        Assert.StartsWith("2.25.", a, StringComparison.Ordinal);
        Assert.True(DicomUid.IsValid(a));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void The_implementation_class_UID_is_the_documented_UUID_root()
    {
        var root = DicomUid.FromGuid(Guid.Parse("5f0c9a7e-3b1d-4c2a-9e6f-7a8b9c0d1e2f"));
        Assert.Equal(TrialFlow.Dicom.IO.Writing.TrialFlowImplementation.ImplementationClassUid, root + ".1");
        Assert.True(DicomUid.IsValid(TrialFlow.Dicom.IO.Writing.TrialFlowImplementation.ImplementationClassUid));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2", true)]
    [InlineData("1.2.03", false)]
    [InlineData("1..2", false)]
    [InlineData("1.2.a", false)]
    [InlineData("", false)]
    public void UID_validation_follows_PS3_5_9_1(string uid, bool valid) => Assert.Equal(valid, DicomUid.IsValid(uid));
}
