namespace TrialFlow.Dicom.Tests.Model;

public sealed class DicomDatasetTests
{
    private static DicomDataset Patient() => new()
    {
        { DicomTags.SpecificCharacterSet, "ISO_IR 192" },
        { DicomTags.PatientName, "Doe^John^Q^Dr^Jr=ドウ^ジョン" },
        { DicomTags.PatientID, "SUBJ-001" },
        { DicomTags.PatientBirthDate, new DateOnly(1960, 2, 29) },
        { DicomTags.StudyTime, "101530.25" },
        { DicomTags.AcquisitionDateTime, "20260102030405.123456+0100" },
        { DicomTags.ImageType, "ORIGINAL", "PRIMARY", "AXIAL" },
        { DicomTags.PixelSpacing, 0.5, 0.75 },
        { DicomTags.Rows, (ushort)512 },
        { DicomTags.InstanceNumber, 7 },
        { DicomTags.SmallestImagePixelValue, DicomVR.SS, (short)-1024 },
        { DicomTags.FrameIncrementPointer, new DicomTag(0x00181063) },
    };

    [Fact]
    public void Dataset_built_with_a_collection_initializer_reads_back_typed_values()
    {
        var ds = Patient();
        Assert.Equal("SUBJ-001", ds.Get<string>(DicomTags.PatientID));
        Assert.Equal(new DateOnly(1960, 2, 29), ds.Get<DateOnly>(DicomTags.PatientBirthDate));
        Assert.Equal(new TimeOnly(10, 15, 30, 250), ds.Get<TimeOnly>(DicomTags.StudyTime));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)).AddTicks(1234560), ds.Get<DateTimeOffset>(DicomTags.AcquisitionDateTime));
        Assert.Equal(512, ds.Get<int>(DicomTags.Rows));
        Assert.Equal(7, ds.Get<int>(DicomTags.InstanceNumber));
        Assert.Equal(0.75, ds.Get<double>(DicomTags.PixelSpacing, 1));
        Assert.Equal(-1024, ds.Get<short>(DicomTags.SmallestImagePixelValue));
        Assert.Equal(new DicomTag(0x00181063), ds.Get<DicomTag>(DicomTags.FrameIncrementPointer));
    }

    [Fact]
    public void Multi_valued_elements_expose_every_value_and_their_count()
    {
        var ds = Patient();
        Assert.Equal(["ORIGINAL", "PRIMARY", "AXIAL"], ds.GetValues<string>(DicomTags.ImageType));
        Assert.Equal(3, ds.GetValueCount(DicomTags.ImageType));
        Assert.Equal([0.5, 0.75], ds.GetValues<double>(DicomTags.PixelSpacing));
        Assert.Equal("ORIGINAL\\PRIMARY\\AXIAL", ds.GetString(DicomTags.ImageType));
    }

    [Fact]
    public void Person_name_exposes_component_groups_and_components()
    {
        var pn = Patient().Get<DicomPersonName>(DicomTags.PatientName);
        Assert.Equal("Doe", pn.FamilyName);
        Assert.Equal("John", pn.GivenName);
        Assert.Equal("Q", pn.MiddleName);
        Assert.Equal("Dr", pn.NamePrefix);
        Assert.Equal("Jr", pn.NameSuffix);
        Assert.Equal("ドウ^ジョン", pn.Ideographic);
    }

    [Fact]
    public void TryGet_and_GetOrDefault_do_not_throw_for_missing_or_unconvertible_values()
    {
        var ds = Patient();
        Assert.False(ds.TryGet<string>(DicomTags.StudyDescription, out _));
        Assert.Equal("none", ds.GetOrDefault(DicomTags.StudyDescription, "none"));
        Assert.Equal(-1, ds.GetOrDefault(DicomTags.PatientID, -1)); // "SUBJ-001" is not a number
        Assert.Equal(-1, ds.GetOrDefault(DicomTags.PixelSpacing, 5, -1.0) is -1.0 ? -1 : 0);
        var ex = Assert.Throws<DicomValueException>(() => ds.Get<int>(DicomTags.StudyDescription));
        Assert.Equal(DicomTags.StudyDescription, ex.Tag);
    }

    [Fact]
    public void AddOrUpdate_replaces_values_and_chains()
    {
        var ds = Patient()
            .AddOrUpdate(DicomTags.PatientID, "SUBJ-002")
            .AddOrUpdate(DicomTags.StudyDescription, "CT CHEST");
        Assert.Equal("SUBJ-002", ds.GetString(DicomTags.PatientID));
        Assert.Equal("CT CHEST", ds.GetString(DicomTags.StudyDescription));
        Assert.Throws<DicomValueException>(() => ds.Add(DicomTags.PatientID, "again"));
    }

    [Fact]
    public void Elements_stay_in_tag_order_whatever_the_insertion_order()
    {
        var ds = new DicomDataset { { DicomTags.PatientID, "1" }, { DicomTags.Modality, "CT" }, { DicomTags.SOPClassUID, "1.2" } };
        Assert.Equal([DicomTags.SOPClassUID, DicomTags.Modality, DicomTags.PatientID], ds.Select(i => i.Tag));
    }

    [Fact]
    public void Values_are_padded_to_even_length_with_the_VR_padding_byte()
    {
        var ds = new DicomDataset { { DicomTags.SOPInstanceUID, "1.2.3" }, { DicomTags.PatientID, "ABC" } };
        Assert.Equal((byte)0, ((DicomElement)ds[DicomTags.SOPInstanceUID]!).Buffer.GetBytes().Span[^1]);
        Assert.Equal((byte)' ', ((DicomElement)ds[DicomTags.PatientID]!).Buffer.GetBytes().Span[^1]);
        Assert.Equal("1.2.3", ds.GetString(DicomTags.SOPInstanceUID));
    }

    [Fact]
    public void Text_outside_the_default_repertoire_in_a_VR_that_ignores_the_character_set_is_refused_and_changes_nothing()
    {
        // CS, AE, UI... are always the default repertoire (PS3.5 6.2): moving the dataset to UTF-8 cannot help them.
        var ds = new DicomDataset { { DicomTags.PatientName, "Doe^Jane" } };

        var ex = Assert.Throws<DicomValueException>(() => ds.AddOrUpdate(DicomTags.Modality, "ÇT"));

        Assert.Contains("Specific Character Set", ex.Message, StringComparison.Ordinal);
        Assert.False(ds.Contains(DicomTags.SpecificCharacterSet));
    }

    [Fact]
    public void Text_the_character_set_cannot_hold_moves_the_dataset_to_UTF8()
    {
        var ds = new DicomDataset { { DicomTags.PatientName, "山田^太郎" } };

        Assert.Equal("ISO_IR 192", ds.GetString(DicomTags.SpecificCharacterSet));
        Assert.Equal("山田^太郎", ds.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Sequences_hold_items_that_know_their_parent()
    {
        var item = new DicomDataset { { DicomTags.CodeValue, "113100" }, { DicomTags.CodingSchemeDesignator, "DCM" } };
        var ds = new DicomDataset().AddOrUpdate(DicomTags.DeidentificationMethodCodeSequence, item);
        var seq = ds.GetSequence(DicomTags.DeidentificationMethodCodeSequence)!;
        Assert.Single(seq.Items);
        Assert.Same(ds, seq.Items[0].Parent!.Owner);
        Assert.Equal("113100", ds.Get<DicomDataset>(DicomTags.DeidentificationMethodCodeSequence).GetString(DicomTags.CodeValue));
    }

    [Fact]
    public void Private_elements_are_found_through_their_creator_block()
    {
        var ds = new DicomDataset
        {
            { new DicomTag(0x00290010), DicomVR.LO, "OTHER VENDOR" },
            { new DicomTag(0x00290011), DicomVR.LO, "SIEMENS CSA HEADER" },
            { new DicomTag(0x00291108), DicomVR.CS, "IMAGE NUM 4" },
        };
        Assert.Equal(new DicomTag(0x00291108), ds.FindPrivateTag(0x0029, "SIEMENS CSA HEADER", 0x08));
        Assert.Equal("SIEMENS CSA HEADER", ds.GetPrivateCreator(new DicomTag(0x00291108)));
        Assert.Null(ds.FindPrivateTag(0x0029, "GEMS_IDEN_01", 0x08));
    }

    [Fact]
    public void Item_with_its_own_specific_character_set_overrides_the_parent()
    {
        var item = new DicomDataset { { DicomTags.SpecificCharacterSet, "ISO_IR 192" } };
        item.AddOrUpdate(DicomTags.PatientName, "Gürbüz^Ünal");
        var ds = new DicomDataset { { DicomTags.SpecificCharacterSet, "ISO_IR 100" } };
        ds.AddOrUpdate(DicomTags.OtherPatientIDsSequence, item);
        Assert.Equal(["ISO_IR 192"], ds.Get<DicomDataset>(DicomTags.OtherPatientIDsSequence).CharacterSet.Terms);
        Assert.Equal("Gürbüz^Ünal", ds.Get<DicomDataset>(DicomTags.OtherPatientIDsSequence).GetString(DicomTags.PatientName));
    }
}
