namespace TrialFlow.Dicom.Tests.IO;

public sealed class ReaderTests
{
    /// <summary>A 100-frame 256x256 16-bit image (13 MB) whose frame f is filled with the value f.</summary>
    private static string WriteMultiFrame()
    {
        const int frames = 100, rows = 256, cols = 256;
        var pixels = new byte[frames * rows * cols * 2];
        for (var f = 0; f < frames; f++)
            for (var i = 0; i < rows * cols; i++)
                BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan((f * rows * cols + i) * 2), (ushort)f);
        var ds = new DicomDataset
        {
            { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2.1" },
            { DicomTags.SOPInstanceUID, "2.25.42" },
            { DicomTags.NumberOfFrames, frames },
            { DicomTags.SamplesPerPixel, (ushort)1 },
            { DicomTags.PhotometricInterpretation, "MONOCHROME2" },
            { DicomTags.Rows, (ushort)rows },
            { DicomTags.Columns, (ushort)cols },
            { DicomTags.BitsAllocated, (ushort)16 },
            { DicomTags.BitsStored, (ushort)16 },
            { DicomTags.HighBit, (ushort)15 },
            { DicomTags.PixelRepresentation, (ushort)0 },
            { DicomTags.PixelData, DicomVR.OW, pixels },
            { new DicomTag(0xFFFCFFFC), DicomVR.OB, new byte[] { 0, 0, 0, 0 } }, // Data Set Trailing Padding
        };
        var path = Path.Combine(Path.GetTempPath(), $"trialflow-multiframe-{Guid.NewGuid():N}.dcm");
        DicomFileWriter.Write(ds, path);
        return path;
    }

    [Fact]
    public void Header_only_reading_of_a_large_multiframe_file_stops_before_pixel_data()
    {
        var path = WriteMultiFrame();
        try
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var file = DicomFileReader.Read(path, DicomReadOptions.HeaderOnlyOptions);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(file.IsHeaderOnly);
            Assert.False(file.Dataset.Contains(DicomTags.PixelData));
            Assert.Equal(100, file.Dataset.Get<int>(DicomTags.NumberOfFrames));
            Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes for the header of a {new FileInfo(path).Length}-byte file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Full_reading_leaves_pixel_data_on_disk_until_a_frame_is_asked_for()
    {
        var path = WriteMultiFrame();
        try
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var file = DicomFileReader.Read(path);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
            var pixels = Assert.IsType<DicomElement>(file.Dataset[DicomTags.PixelData]);
            Assert.True(pixels.Buffer.IsDeferred);
            Assert.True(file.Dataset.Contains(new DicomTag(0xFFFCFFFC)));

            before = GC.GetAllocatedBytesForCurrentThread();
            var frame = DicomPixelData.DecodeFrame(file.Dataset, 57, file.TransferSyntax);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2_000_000, "only frame 57 is read");
            Assert.Equal(57, frame[0, 0]);
            Assert.Equal(57, frame[255, 255]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Deferred_pixel_data_of_a_deleted_file_fails_with_DicomParseException()
    {
        var path = WriteMultiFrame();
        var file = DicomFileReader.Read(path);
        File.Delete(path);
        var pixels = Assert.IsType<DicomElement>(file.Dataset[DicomTags.PixelData]);
        Assert.Throws<DicomParseException>(() => pixels.Buffer.GetBytes());
    }

    [Fact]
    public void Header_only_reading_also_stops_before_float_pixel_data()
    {
        var ds = new DicomDataset
        {
            { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.30" },
            { DicomTags.SOPInstanceUID, "2.25.43" },
            { DicomTags.Rows, (ushort)1 },
            { DicomTags.FloatPixelData, DicomVR.OF, 1.5f, 2.5f },
        };
        using var ms = new MemoryStream();
        DicomFileWriter.Write(ds, ms);
        ms.Position = 0;
        var header = DicomFileReader.Read(ms, DicomReadOptions.HeaderOnlyOptions);
        Assert.True(header.Dataset.Contains(DicomTags.Rows));
        Assert.False(header.Dataset.Contains(DicomTags.FloatPixelData));
        ms.Position = 0;
        Assert.Equal(2.5f, DicomFileReader.Read(ms).Dataset.Get<float>(DicomTags.FloatPixelData, 1));
    }

    [Fact]
    public void Reader_reads_undefined_length_sequence_in_implicit_VR()
    {
        // no preamble, no meta: (0008,0016) UI, then (0008,1140) SQ of undefined length with one undefined-length item
        using var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write((ushort)0x0008); w.Write((ushort)0x0016); w.Write(4u); w.Write("1.2\0"u8);
        w.Write((ushort)0x0008); w.Write((ushort)0x1140); w.Write(0xFFFFFFFFu);
        w.Write((ushort)0xFFFE); w.Write((ushort)0xE000); w.Write(0xFFFFFFFFu);
        w.Write((ushort)0x0008); w.Write((ushort)0x1155); w.Write(6u); w.Write("1.2.3\0"u8);
        w.Write((ushort)0xFFFE); w.Write((ushort)0xE00D); w.Write(0u);
        w.Write((ushort)0xFFFE); w.Write((ushort)0xE0DD); w.Write(0u);
        w.Write((ushort)0x0010); w.Write((ushort)0x0020); w.Write(2u); w.Write("P1"u8);
        ms.Position = 0;
        var file = DicomFileReader.Read(ms);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, file.TransferSyntax);
        Assert.False(file.HasPreamble);
        Assert.Equal("1.2.3", file.Dataset.Get<DicomDataset>(DicomTags.ReferencedImageSequence).GetString(DicomTags.ReferencedSOPInstanceUID));
        Assert.Equal("P1", file.Dataset.GetString(DicomTags.PatientID));
    }

    [Fact]
    public void Reader_reads_a_UN_sequence_of_undefined_length_as_implicit_VR_items_per_CP_246()
    {
        var file = DicomFileReader.Read(Corpus.PathOf("test_files/UN_sequence.dcm"));
        var sequences = file.Dataset.OfType<DicomSequence>().ToList();
        Assert.NotEmpty(sequences);
        Assert.All(sequences, s => Assert.Equal(DicomVR.SQ, s.VR));
    }

    [Fact]
    public void Reader_reads_deflated_explicit_VR_little_endian()
    {
        var file = DicomFileReader.Read(Corpus.PathOf("test_files/image_dfl.dcm"));
        Assert.True(file.TransferSyntax.IsDeflated);
        Assert.True(file.Dataset.Contains(DicomTags.PixelData));
    }

    [Fact]
    public void Reader_reads_explicit_VR_big_endian_without_meta()
    {
        var file = DicomFileReader.Read(Corpus.PathOf("test_files/ExplVR_BigEndNoMeta.dcm"));
        Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian, file.TransferSyntax);
        Assert.Empty(file.FileMetaInformation);
    }

    [Fact]
    public void Reader_keeps_encapsulated_fragments_even_when_a_fragment_contains_a_delimiter_like_pattern()
    {
        var file = DicomFileReader.Read(Corpus.PathOf("test_files/JPEG2000-embedded-sequence-delimiter.dcm"));
        var pixels = Assert.IsType<DicomFragmentSequence>(file.Dataset[DicomTags.PixelData]);
        Assert.NotEmpty(pixels.Fragments);
        Assert.Equal(1, DicomPixelData.GetFrameCount(file.Dataset));
        Assert.Equal(pixels.Fragments.Sum(f => f.Length), DicomPixelData.GetFrameBytes(file.Dataset, 0).Length);
    }

    [Fact]
    public async Task Reader_reads_from_a_non_seekable_stream_asynchronously()
    {
        var bytes = await File.ReadAllBytesAsync(Corpus.PathOf("test_files/CT_small.dcm"));
        await using var stream = new NonSeekableStream(bytes);
        var file = await DicomFileReader.ReadAsync(stream, cancellationToken: CancellationToken.None);
        Assert.Equal("CT", file.Dataset.GetString(DicomTags.Modality));
    }

    [Fact]
    public async Task Reader_honours_cancellation()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            DicomFileReader.ReadAsync(Corpus.PathOf("test_files/CT_small.dcm"), cancellationToken: cts.Token));
    }

    private sealed class NonSeekableStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 1000));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
