using TrialFlow.Dicom.Text;

namespace TrialFlow.Dicom.Tests.Text;

public sealed class DicomTextDumpTests
{
    [Fact]
    public void Dump_shows_meta_dataset_nesting_names_and_SOP_class_names()
    {
        var dump = DicomTextDump.Write(DicomFileReader.Read(Corpus.PathOf("test_files/rtplan.dcm")));
        Assert.Contains("# File Meta Information", dump, StringComparison.Ordinal);
        Assert.Contains("# Dataset (Implicit VR Little Endian)", dump, StringComparison.Ordinal);
        Assert.Contains("(0010,0010) PN [Last^First^mid^pre]", dump, StringComparison.Ordinal);
        Assert.Contains("=RT Plan Storage", dump, StringComparison.Ordinal);
        Assert.Contains("  (fffe,e000) na (Item #=", dump, StringComparison.Ordinal);
        Assert.Contains("DoseReferenceSequence", dump, StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_names_private_elements_by_their_creator()
    {
        var dump = DicomTextDump.Write(DicomFileReader.Read(Corpus.PathOf("test_files/CT_small.dcm")));
        Assert.Contains("Private (GEMS_", dump, StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_of_encapsulated_pixel_data_counts_fragments()
    {
        var dump = DicomTextDump.Write(DicomFileReader.Read(Corpus.PathOf("test_files/JPEG2000.dcm")));
        Assert.Contains("(PixelSequence: offset table", dump, StringComparison.Ordinal);
    }
}
