namespace TrialFlow.Dicom.Tests.IO;

/// <summary>Bad input ends in a DicomParseException that says what and where — never a hang or another exception.</summary>
public sealed class ReaderErrorTests
{
    private static byte[] Part10(DicomDataset ds, DicomTransferSyntax? ts = null)
    {
        using var ms = new MemoryStream();
        DicomFileWriter.Write(ds, ms, new DicomWriteOptions { TransferSyntax = ts });
        return ms.ToArray();
    }

    private static DicomDataset Minimal() => new()
    {
        { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7" },
        { DicomTags.SOPInstanceUID, "1.2.3" },
        { DicomTags.PatientName, "Doe^John" },
        { DicomTags.PatientID, "P1" },
    };

    private static DicomParseException Fails(byte[] bytes) =>
        Assert.Throws<DicomParseException>(() => DicomFileReader.Read(new MemoryStream(bytes)));

    [Fact]
    public void Reader_rejects_a_file_truncated_inside_a_value_with_offset_and_tag()
    {
        var bytes = Part10(Minimal());
        var ex = Fails(bytes[..^3]);
        Assert.Equal(DicomTags.PatientID, ex.Tag);
        Assert.Contains("offset", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(0010,0020)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_rejects_a_length_beyond_the_remaining_bytes()
    {
        var bytes = Part10(Minimal());
        var at = IndexOfTag(bytes, 0x0010, 0x0010);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 6), 0xFFF0);
        var ex = Fails(bytes);
        Assert.Equal(DicomTags.PatientName, ex.Tag);
        Assert.Equal(at, ex.Offset);
    }

    [Fact]
    public void Reader_rejects_an_absurd_length_without_allocating_it()
    {
        var bytes = Part10(new DicomDataset(Minimal()) { { DicomTags.PixelData, DicomVR.OB, new byte[] { 1, 2 } } });
        var at = IndexOfTag(bytes, 0x7FE0, 0x0010);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 8), 0x7FFFFFF0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Fails(bytes);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000);
    }

    [Fact]
    public void Reader_rejects_an_absurd_length_from_a_stream_that_cannot_tell_its_length()
    {
        var bytes = Part10(new DicomDataset(Minimal()) { { DicomTags.PixelData, DicomVR.OB, new byte[] { 1, 2 } } });
        var at = IndexOfTag(bytes, 0x7FE0, 0x0010);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 8), 0x7FFFFFF0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomParseException>(() => DicomFileReader.Read(new UnknownLengthStream(bytes)));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000);
        Assert.Equal(DicomTags.PixelData, ex.Tag);
    }

    private sealed class UnknownLengthStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void Reader_rejects_an_invalid_VR()
    {
        var bytes = Part10(Minimal());
        var at = IndexOfTag(bytes, 0x0010, 0x0010);
        bytes[at + 4] = (byte)'z';
        bytes[at + 5] = (byte)'z';
        var ex = Fails(bytes);
        Assert.Contains("invalid VR", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_rejects_sequences_nested_a_thousand_deep()
    {
        // implicit VR LE, no meta: (0040,A730) Content Sequence, each item holding the next sequence, undefined lengths
        using var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write((ushort)0x0008); w.Write((ushort)0x0016); w.Write(4u); w.Write("1.2\0"u8);
        for (var i = 0; i < 1000; i++)
        {
            w.Write((ushort)0x0040); w.Write((ushort)0xA730); w.Write(0xFFFFFFFFu);
            w.Write((ushort)0xFFFE); w.Write((ushort)0xE000); w.Write(0xFFFFFFFFu);
        }
        var ex = Fails(ms.ToArray());
        Assert.Contains("nested deeper than 128", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new DicomTag(0x0040A730), ex.Tag);
    }

    [Fact]
    public void Reader_rejects_garbage_after_the_dataset()
    {
        var bytes = Part10(Minimal()).Concat(new byte[] { 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0, 1, 2, 3, 4 }).ToArray();
        var ex = Fails(bytes);
        Assert.Contains("after the dataset", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_reads_a_few_stray_trailing_bytes_with_a_warning()
    {
        var bytes = Part10(Minimal()).Concat(new byte[] { 0, 0 }).ToArray();
        var file = DicomFileReader.Read(new MemoryStream(bytes));
        Assert.Equal("P1", file.Dataset.GetString(DicomTags.PatientID));
        Assert.Contains(file.Warnings, w => w.Contains("stray", StringComparison.Ordinal));
    }

    [Fact]
    public void Reader_reports_an_unknown_specific_character_set_as_a_warning()
    {
        var ds = new DicomDataset(Minimal()).AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 999");
        var file = DicomFileReader.Read(new MemoryStream(Part10(ds)));
        Assert.Contains(file.Warnings, w => w.Contains("ISO_IR 999", StringComparison.Ordinal));
        Assert.Equal("Doe^John", file.Dataset.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Reader_rejects_a_non_DICOM_file()
    {
        var ex = Fails("Hello, this is certainly not a DICOM file at all."u8.ToArray());
        Assert.Equal(0, ex.Offset);
    }

    [Fact]
    public void Reader_rejects_empty_input() => Fails([]);

    [Fact]
    public void Reader_reads_badVR_file_and_keeps_the_invalid_IS_text()
    {
        var file = DicomFileReader.Read(Corpus.PathOf("test_files/badVR.dcm"));
        Assert.Equal("1A", file.Dataset.GetString(DicomTags.NumberOfFrames));
        Assert.False(file.Dataset.TryGet<int>(DicomTags.NumberOfFrames, out _));
        Assert.Contains("\"00280008\":{\"vr\":\"IS\",\"Value\":[\"1A\"]}", TrialFlow.Dicom.Json.DicomJsonWriter.Write(file.Dataset), StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_reports_the_implicit_dataset_announced_as_explicit_as_a_warning()
    {
        var file = DicomFileReader.Read(Corpus.PathOf("test_files/SC_rgb_jpeg.dcm"));
        Assert.Contains(file.Warnings, w => w.Contains("expected explicit VR but found implicit VR", StringComparison.Ordinal));
    }

    [Fact]
    public void Reader_reads_a_file_whose_meta_lacks_the_transfer_syntax_with_a_warning()
    {
        var file = DicomFileReader.Read(Corpus.PathOf("test_files/meta_missing_tsyntax.dcm"));
        Assert.Contains(file.Warnings, w => w.Contains("no Transfer Syntax UID", StringComparison.Ordinal));
    }

    [Fact]
    public void Reader_reads_a_truncated_last_item_of_a_DICOMDIR_with_a_warning_like_dcmtk()
    {
        var file = DicomFileReader.Read(Corpus.PathOf("test_files/dicomdirtests/DICOMDIR-nooffset"));
        Assert.Contains(file.Warnings, w => w.Contains("exceeds", StringComparison.Ordinal));
    }

    internal static int IndexOfTag(byte[] bytes, ushort group, ushort element)
    {
        ReadOnlySpan<byte> pattern = [(byte)group, (byte)(group >> 8), (byte)element, (byte)(element >> 8)];
        return bytes.AsSpan(132).IndexOf(pattern) + 132;
    }
}
