using TrialFlow.Dicom.IO.Writing;
using TrialFlow.Dicom.Network;

namespace TrialFlow.Intake.Tests.Pipeline;

/// <summary>
/// The door parses before it acknowledges: what cannot be read is refused with a PS3.4 Annex B status and a reason,
/// nothing of it is staged, and the refusal is on record for site monitoring.
/// </summary>
public sealed class AdmissionTests
{
    public static TheoryData<string> Garbage => new() { "random bytes", "truncated", "4 GB declared length", "nested 20,000 deep", "no Study Instance UID" };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task An_object_that_cannot_be_read_is_refused_with_cannot_understand_and_nothing_is_staged(string kind)
    {
        await using var intake = await IntakeHarness.CreateAsync();

        var refused = await Assert.ThrowsAsync<IntakeRejectedException>(() => intake.StageAsync(Make(kind)));

        Assert.Equal(DicomStatus.CannotUnderstand, refused.Status);
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
        Assert.Empty(intake.Stores.Staging.List());
        await using var db = intake.Db();
        var receipt = await db.IntakeReceipts.SingleAsync();
        Assert.Equal(IntakeOutcome.Rejected, receipt.Outcome);
        Assert.Contains(refused.Message, receipt.Reason);
    }

    [Fact]
    public async Task A_data_set_that_is_not_the_SOP_class_it_was_sent_as_is_refused_with_A900()
    {
        await using var intake = await IntakeHarness.CreateAsync();
        // As a C-STORE arrives: the header says what the command said (MR), the data set is a CT image.
        var written = DicomSamples.CtImage();
        var metaEnd = 132 + 12 + (int)BitConverter.ToUInt32(written, 132 + 8);
        var header = DicomPart10.CreateFileMetaInformation("1.2.840.10008.5.1.4.1.1.4", "1.2.826.0.1.3680043.2.1.1.1",
            DicomFileReader.Read(new MemoryStream(written)).TransferSyntax.Uid, "SITE101_CT");
        using var bytes = new MemoryStream();
        bytes.Write(header);
        bytes.Write(written.AsSpan(metaEnd));

        var refused = await Assert.ThrowsAsync<IntakeRejectedException>(() => intake.StageAsync(bytes.ToArray()));

        Assert.Equal(DicomStatus.DataSetDoesNotMatchSopClass, refused.Status);
        Assert.Contains("1.2.840.10008.5.1.4.1.1.4", refused.Message);
    }

    [Fact]
    public async Task A_readable_object_is_staged()
    {
        await using var intake = await IntakeHarness.CreateAsync();

        await intake.StageAsync(DicomSamples.CtImage());

        Assert.Single(intake.Stores.Staging.List());
    }

    private static byte[] Make(string kind)
    {
        var good = DicomSamples.CtImage();
        switch (kind)
        {
            case "random bytes":
                var random = new byte[4096];
                new Random(17).NextBytes(random);
                return random;
            case "truncated":
                return good[..(good.Length - 40)];
            case "4 GB declared length":
                return WithElement(good, [0x09, 0x00, 0x10, 0x10, (byte)'U', (byte)'N', 0, 0, 0xFE, 0xFF, 0xFF, 0xEF]); // (0009,1010) UN, length 0xEFFFFFFE
            case "nested 20,000 deep":
                return Nested(20_000);
            case "no Study Instance UID":
                var file = DicomFileReader.Read(new MemoryStream(good));
                file.Dataset.Remove(DicomTags.StudyInstanceUID);
                using (var bytes = new MemoryStream())
                {
                    DicomFileWriter.Write(file, bytes);
                    return bytes.ToArray();
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>A valid file with raw element bytes appended after its last element.</summary>
    private static byte[] WithElement(byte[] file, byte[] element) => [.. file, .. element];

    /// <summary>A Part 10 file whose only element is a sequence nested <paramref name="depth"/> deep (undefined lengths).</summary>
    private static byte[] Nested(int depth)
    {
        using var bytes = new MemoryStream();
        DicomFileWriter.Write(new DicomDataset
        {
            { DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2" },
            { DicomTags.SOPInstanceUID, "1.2.826.0.1.3680043.2.9.1" },
            { DicomTags.StudyInstanceUID, "1.2.826.0.1.3680043.2.9" },
            { DicomTags.SeriesInstanceUID, "1.2.826.0.1.3680043.2.9.2" },
        }, bytes);
        var writer = new BinaryWriter(bytes);
        void Tag(ushort group, ushort element) { writer.Write(group); writer.Write(element); }
        for (var i = 0; i < depth; i++)
        {
            Tag(0x0040, 0xA730); // Content Sequence, explicit VR SQ, undefined length
            writer.Write("SQ"u8);
            writer.Write((ushort)0);
            writer.Write(0xFFFFFFFFu);
            Tag(0xFFFE, 0xE000); // item, undefined length
            writer.Write(0xFFFFFFFFu);
        }
        for (var i = 0; i < depth; i++)
        {
            Tag(0xFFFE, 0xE00D);
            writer.Write(0u);
            Tag(0xFFFE, 0xE0DD);
            writer.Write(0u);
        }
        writer.Flush();
        return bytes.ToArray();
    }
}
