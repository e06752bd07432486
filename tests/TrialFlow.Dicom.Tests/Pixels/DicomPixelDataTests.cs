namespace TrialFlow.Dicom.Tests.Pixels;

public sealed class DicomPixelDataTests
{
    private static DicomDataset Image(ushort samples, ushort bits, ushort stored, ushort signed, ushort planar, int frames, byte[] pixels) => new()
    {
        { DicomTags.SamplesPerPixel, samples },
        { DicomTags.PhotometricInterpretation, samples == 3 ? "RGB" : "MONOCHROME2" },
        { DicomTags.PlanarConfiguration, planar },
        { DicomTags.NumberOfFrames, frames },
        { DicomTags.Rows, (ushort)1 },
        { DicomTags.Columns, (ushort)2 },
        { DicomTags.BitsAllocated, bits },
        { DicomTags.BitsStored, stored },
        { DicomTags.HighBit, (ushort)(stored - 1) },
        { DicomTags.PixelRepresentation, signed },
        { DicomTags.PixelData, bits > 8 ? DicomVR.OW : DicomVR.OB, pixels },
    };

    [Fact]
    public void Planar_RGB_is_returned_pixel_interleaved()
    {
        // R plane, G plane, B plane for two pixels
        var ds = Image(3, 8, 8, 0, 1, 1, [10, 11, 20, 21, 30, 31]);
        var frame = DicomPixelData.DecodeFrame(ds, 0, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal([10, 20, 30, 11, 21, 31], frame.Samples.ToArray());
    }

    [Fact]
    public void Signed_12_bit_samples_are_sign_extended_from_bits_stored()
    {
        // 0x0FFF is -1 in 12 bits; 0xF800 has garbage above the high bit and 0x0800 = -2048
        var ds = Image(1, 16, 12, 1, 0, 1, [0xFF, 0x0F, 0x00, 0xF8]);
        var frame = DicomPixelData.DecodeFrame(ds, 0, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(-1, frame[0, 0]);
        Assert.Equal(-2048, frame[0, 1]);
    }

    [Fact]
    public void Frame_N_of_native_multiframe_data_is_the_Nth_slice()
    {
        var ds = Image(1, 8, 8, 0, 0, 3, [1, 2, 3, 4, 5, 6]);
        Assert.Equal([5, 6], DicomPixelData.GetFrameBytes(ds, 2).ToArray());
        Assert.Throws<DicomValueException>(() => DicomPixelData.GetFrameBytes(ds, 3));
    }

    [Fact]
    public void Encapsulated_frames_are_found_through_the_basic_offset_table()
    {
        // two frames: frame 0 in fragments 0 and 1, frame 1 in fragment 2; BOT offsets count item headers (PS3.5 A.4)
        var fragments = new[] { new byte[] { 1, 1 }, new byte[] { 2, 2 }, new byte[] { 3, 3 } }.Select(b => DicomBuffer.FromBytes(b)).ToList();
        var bot = DicomBuffer.FromBytes(new byte[] { 0, 0, 0, 0, 20, 0, 0, 0 });
        var ds = Image(1, 8, 8, 0, 0, 2, [0]);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, bot, fragments));
        Assert.Equal([1, 1, 2, 2], DicomPixelData.GetFrameBytes(ds, 0).ToArray());
        Assert.Equal([3, 3], DicomPixelData.GetFrameBytes(ds, 1).ToArray());
    }

    [Fact]
    public void Encapsulated_frames_are_found_through_the_extended_offset_table()
    {
        // PS3.3 C.7.6.3.1.8: 64-bit offsets (from the first fragment item) and frame lengths, one fragment per frame, BOT empty
        var fragments = new[] { new byte[] { 1, 1 }, new byte[] { 2, 2, 3, 3 } }.Select(b => DicomBuffer.FromBytes(b)).ToList();
        var ds = Image(1, 8, 8, 0, 0, 2, [0]);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, fragments));
        ds.AddOrUpdate(DicomTags.ExtendedOffsetTable, DicomVR.OV, 0UL, 10UL);
        ds.AddOrUpdate(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV, 2UL, 3UL);
        Assert.Equal([1, 1], DicomPixelData.GetFrameBytes(ds, 0).ToArray());
        Assert.Equal([2, 2, 3], DicomPixelData.GetFrameBytes(ds, 1).ToArray()); // an odd frame in an even fragment
    }

    [Fact]
    public void Encapsulated_frames_without_offset_table_use_one_fragment_per_frame()
    {
        var fragments = new[] { new byte[] { 1, 1 }, new byte[] { 2, 2 } }.Select(b => DicomBuffer.FromBytes(b)).ToList();
        var ds = Image(1, 8, 8, 0, 0, 2, [0]);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, fragments));
        Assert.Equal([2, 2], DicomPixelData.GetFrameBytes(ds, 1).ToArray());
    }

    [Fact]
    public void RLE_segments_decode_to_native_samples()
    {
        // PS3.5 G: one 16-bit sample -> 2 segments (high bytes, then low bytes); each: literal run of 2 bytes
        var header = new byte[64];
        BitConverter.TryWriteBytes(header.AsSpan(0), 2u);
        BitConverter.TryWriteBytes(header.AsSpan(4), 64u);
        BitConverter.TryWriteBytes(header.AsSpan(8), 67u);
        byte[] rle = [.. header, 1, 0x12, 0x34, 0xFF, 0x56, 0x00];
        var ds = Image(1, 16, 16, 0, 0, 1, [0]);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, [DicomBuffer.FromBytes(rle)]));
        var frame = DicomPixelData.DecodeFrame(ds, 0, DicomTransferSyntax.RLELossless);
        Assert.Equal(0x1256, frame[0, 0]);
        Assert.Equal(0x3456, frame[0, 1]);
    }
}
