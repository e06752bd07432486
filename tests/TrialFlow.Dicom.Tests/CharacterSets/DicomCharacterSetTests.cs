using TrialFlow.Dicom.CharacterSets;

namespace TrialFlow.Dicom.Tests.CharacterSets;

/// <summary>Examples of PS3.5 Annexes H, I and J; the pydicom oracle covers the charset_files corpus as well.</summary>
public sealed class DicomCharacterSetTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void Japanese_person_name_with_ISO_2022_IR_87_escapes_decodes_all_three_groups()
    {
        // PS3.5 H.3.1
        var bytes = Hex("59 61 6d 61 64 61 5e 54 61 72 6f 75 3d 1b 24 42 3b 33 45 44 1b 28 42 5e 1b 24 42 42 40 4f 3a 1b 28 42 3d " +
                        "1b 24 42 24 64 24 5e 24 40 1b 28 42 5e 1b 24 42 24 3f 24 6d 24 26 1b 28 42");
        var cs = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 87"]);
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", cs.Decode(bytes, isPersonName: true));
    }

    [Fact]
    public void Korean_person_name_with_ISO_2022_IR_149_escapes_decodes()
    {
        // PS3.5 I.2
        var bytes = Hex("48 6f 6e 67 5e 47 69 6c 64 6f 6e 67 3d 1b 24 29 43 fb f3 5e 1b 24 29 43 d1 ce d4 d7 3d 1b 24 29 43 c8 ab 5e 1b 24 29 43 b1 e6 b5 bf");
        var cs = DicomCharacterSet.FromTerms(["", "ISO 2022 IR 149"]);
        Assert.Equal("Hong^Gildong=洪^吉洞=홍^길동", cs.Decode(bytes, isPersonName: true));
    }

    [Fact]
    public void Chinese_GB18030_decodes()
    {
        // PS3.5 J.3.1: "Wang^XiaoDong=王^小东="
        var bytes = Hex("57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d cd f5 5e d0 a1 b6 ab 3d");
        Assert.Equal("Wang^XiaoDong=王^小东=", DicomCharacterSet.FromTerms(["GB18030"]).Decode(bytes, isPersonName: true));
    }

    [Theory]
    [InlineData("ISO_IR 100", "c4 e9", "Äé")]
    [InlineData("ISO_IR 144", "b8 d8", "Ии")]
    [InlineData("ISO_IR 126", "c1 e2", "Αβ")]
    [InlineData("ISO_IR 192", "c3 a4 e2 82 ac", "ä€")]
    [InlineData("ISO_IR 13", "d4 cf c0 de", "ﾔﾏﾀﾞ")]
    public void Single_byte_and_UTF8_sets_decode(string term, string hex, string expected) =>
        Assert.Equal(expected, DicomCharacterSet.FromTerms([term]).Decode(Hex(hex)));

    [Fact]
    public void An_unknown_term_falls_back_to_the_default_repertoire_with_a_warning()
    {
        var cs = DicomCharacterSet.FromTerms(["ISO_IR 999"]);
        Assert.Single(cs.Warnings);
        Assert.Equal("abc", cs.Decode("abc"u8));
    }
}
