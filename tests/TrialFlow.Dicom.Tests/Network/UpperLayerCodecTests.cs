namespace TrialFlow.Dicom.Tests.Network;

/// <summary>PDU, DIMSE command set and Part 10 framing codecs, without a network.</summary>
public sealed class UpperLayerCodecTests
{
    [Fact]
    public void Association_request_round_trips_AE_titles_contexts_and_user_information()
    {
        var bytes = PduCodec.EncodeAssociateRequest("TRIALFLOW", "SITE01",
            [new ProposedContextItem(1, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"])],
            new UserInformation(32768, null, null));
        Assert.Equal((byte)PduType.AssociateRequest, bytes[0]);
        var rq = PduCodec.ParseAssociateRequest(bytes.AsSpan(6));
        Assert.Equal(1, rq.ProtocolVersion);
        Assert.Equal("TRIALFLOW", rq.CalledAeTitle);
        Assert.Equal("SITE01", rq.CallingAeTitle);
        Assert.Equal(PduCodec.ApplicationContextName, rq.ApplicationContextName);
        var pc = Assert.Single(rq.Contexts);
        Assert.Equal(["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"], pc.TransferSyntaxes);
        Assert.Equal(32768u, rq.UserInformation.MaxPduLength);
        Assert.Equal(TrialFlowImplementation.ImplementationClassUid, rq.UserInformation.ImplementationClassUid);
        Assert.Equal(TrialFlowImplementation.ImplementationVersionName, rq.UserInformation.ImplementationVersionName);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(67)]
    public void A_truncated_association_request_is_a_protocol_error_not_a_crash(int length)
    {
        var bytes = PduCodec.EncodeAssociateRequest("A", "B", [new ProposedContextItem(1, "1.2", ["1.2.840.10008.1.2"])], new UserInformation(0, null, null));
        var ex = Assert.Throws<DicomPduException>(() => PduCodec.ParseAssociateRequest(bytes.AsSpan(6, length)));
        Assert.Equal(DicomAbortReason.InvalidPduParameterValue, ex.Reason);
    }

    [Fact]
    public void Role_selection_for_a_C_GET_round_trips_in_the_user_information()
    {
        var bytes = PduCodec.EncodeAssociateRequest("PACS", "TRIALFLOW",
            [new ProposedContextItem(1, "1.2.840.10008.5.1.4.1.2.2.3", ["1.2.840.10008.1.2.1"]), new ProposedContextItem(3, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.1"])],
            new UserInformation(32768, null, null, [new RoleSelection("1.2.840.10008.5.1.4.1.1.2", ScuRole: false, ScpRole: true)]));

        var rq = PduCodec.ParseAssociateRequest(bytes.AsSpan(6));

        Assert.Equal([new RoleSelection("1.2.840.10008.5.1.4.1.1.2", false, true)], rq.UserInformation.Roles);
        Assert.Equal(32768u, rq.UserInformation.MaxPduLength);
    }

    [Fact]
    public void A_response_command_set_with_dcmtks_failed_instance_list_is_read_leniently_and_a_request_one_is_refused()
    {
        // What Orthanc 1.10 sent as a C-GET-RSP: group 0000 followed by (0008,0000) and (0008,0058) in the same command set.
        var command = Convert.FromHexString(
            "000000000400000074000000000002001C000000312E322E3834302E31303030382E352E312E342E312E322E322E3300000000010200000010800000200102000000010000000008020000000101000000090200000000FF0000201002000000000000002110020000000000000022100200000001000000231002000000000008000000040000002A0000000800580022000000312E322E3832362E302E312E333638303034332E382E3439382E37332E312E312E31");

        var response = DimseCommand.Parse(command, lenient: true);

        Assert.Equal((0x8010, 0xFF00, 1), (response.CommandField, response.Status!.Value, response.FailedSuboperations!.Value));
        Assert.Equal(["1.2.826.0.1.3680043.8.498.73.1.1.1"], response.FailedSopInstanceUids);
        Assert.Throws<DicomPduException>(() => DimseCommand.Parse(command));
    }

    [Fact]
    public void Every_truncation_and_byte_flip_of_an_association_request_parses_or_fails_cleanly()
    {
        var bytes = PduCodec.EncodeAssociateRequest("TRIALFLOW", "SITE01",
            [new ProposedContextItem(1, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.1"]), new ProposedContextItem(3, "1.2.840.10008.1.1", ["1.2.840.10008.1.2"])],
            new UserInformation(16384, null, null));
        var body = bytes[6..];
        for (var cut = 0; cut < body.Length; cut++) ParseOrProtocolError(body[..cut]);
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var copy = (byte[])body.Clone();
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
            ParseOrProtocolError(copy);
        }

        static void ParseOrProtocolError(byte[] data)
        {
            try
            {
                PduCodec.ParseAssociateRequest(data);
            }
            catch (DicomPduException)
            {
            }
        }
    }

    [Fact]
    public void Command_set_round_trips_and_carries_its_group_length()
    {
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CStoreRequest, MessageId = 7, AffectedSopClassUid = "1.2.840.10008.5.1.4.1.1.2",
            AffectedSopInstanceUid = "1.2.3", Priority = 0, CommandDataSetType = 0,
        };
        var bytes = command.Encode();
        Assert.Equal((uint)(bytes.Length - 12), BitConverter.ToUInt32(bytes, 8));
        Assert.Equal(0, bytes.Length % 2);
        var parsed = DimseCommand.Parse(bytes);
        Assert.Equal(DimseCommandField.CStoreRequest, parsed.CommandField);
        Assert.Equal((ushort)7, parsed.MessageId);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", parsed.AffectedSopClassUid);
        Assert.Equal("1.2.3", parsed.AffectedSopInstanceUid);
        Assert.True(parsed.HasDataSet);
    }

    [Fact]
    public void A_command_set_without_command_field_is_a_protocol_error()
    {
        var bytes = new DimseCommand { CommandField = 1, CommandDataSetType = 0x0101 }.Encode();
        Assert.Throws<DicomPduException>(() => DimseCommand.Parse(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<DicomPduException>(() => DimseCommand.Parse(new byte[] { 0, 0, 0x10, 0, 2, 0, 0, 0, 0x20, 0 }));
    }

    [Fact]
    public void Part10_meta_header_plus_received_bytes_is_a_file_our_reader_reads()
    {
        var path = Path.Combine(NetworkCorpus.Folder, "CT_small.dcm");
        var header = DicomPart10.ReadHeader(path);
        var meta = DicomPart10.CreateFileMetaInformation(header.SopClassUid, header.SopInstanceUid, header.TransferSyntaxUid, "SITE01");
        var file = DicomFileReader.Read(new MemoryStream([.. meta, .. NetworkCorpus.DataSetBytes(path)]));
        Assert.Equal(header.SopInstanceUid, file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.Equal(header.SopClassUid, file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID));
        Assert.Equal(TrialFlowImplementation.ImplementationClassUid, file.FileMetaInformation.GetString(DicomTags.ImplementationClassUID));
        Assert.Equal("SITE01", file.FileMetaInformation.GetString(DicomTags.SourceApplicationEntityTitle));
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal(header.SopInstanceUid, file.Dataset.GetString(DicomTags.SOPInstanceUID));
        var reread = DicomPart10.ReadHeader(new MemoryStream(meta));
        Assert.Equal(meta.Length, reread.DataSetOffset);
    }

    [Fact]
    public void Negotiation_prefers_the_configured_order_and_names_the_reason_for_a_rejection()
    {
        var sops = new HashSet<string> { "1.2.840.10008.5.1.4.1.1.2" };
        var order = DicomServerDefaults.TransferSyntaxes.ToList();
        var accepted = DicomPresentationNegotiation.Negotiate(new ProposedContextItem(1, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"]), sops, order);
        Assert.Equal((DicomPresentationContextResult.Acceptance, "1.2.840.10008.1.2.1"), (accepted.Result, accepted.TransferSyntax));
        Assert.Equal(DicomPresentationContextResult.AbstractSyntaxNotSupported,
            DicomPresentationNegotiation.Negotiate(new ProposedContextItem(3, "1.2.3", ["1.2.840.10008.1.2"]), sops, order).Result);
        Assert.Equal(DicomPresentationContextResult.TransferSyntaxesNotSupported,
            DicomPresentationNegotiation.Negotiate(new ProposedContextItem(5, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.4.100"]), sops, order).Result);
    }

    [Fact]
    public void Default_abstract_syntaxes_are_verification_and_every_storage_SOP_class()
    {
        Assert.Contains(DicomServerDefaults.VerificationSopClassUid, DicomServerDefaults.SopClasses);
        Assert.Contains("1.2.840.10008.5.1.4.1.1.2", DicomServerDefaults.SopClasses);       // CT Image Storage
        Assert.Contains("1.2.840.10008.5.1.4.1.1.88.11", DicomServerDefaults.SopClasses);   // Basic Text SR
        Assert.True(DicomServerDefaults.SopClasses.Count > 100);
    }
}
