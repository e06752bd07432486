using System.Globalization;
using System.Text;

namespace TrialFlow.Deid.Tests.Engine;

/// <summary>
/// Every attribute of PS3.15 Table E.1-1 carries a unique canary (top level, inside sequence items, in private
/// blocks, in other character sets); after de-identification with rulesets/deid/trial-default.yaml no canary the
/// profile does not keep appears in the written file, in any encoding, and every attribute it keeps is byte-identical.
/// </summary>
public sealed class PhiCanaryTests
{
    private const int DateOffset = -5000; // far enough that a shifted canary date never equals another canary date

    [Theory]
    [InlineData("ISO_IR 100")]
    [InlineData("ISO_IR 192")]
    public void Deidentify_removes_every_PHI_canary_and_keeps_kept_attributes_byte_identical(string charset)
    {
        var canaries = new CanaryStudy(charset);
        var source = canaries.Build();
        var profile = TestPaths.TrialDefault;

        var uids = new MemoryUidMap();
        var result = DeidEngine.Deidentify(source, profile, Context(uids));
        var bytes = Write(result.Dataset);

        // A new UID is ~40 random digits, so now and then one holds a planted date's 8 digits by chance: blank the
        // UIDs the map minted before scanning, so only values that came from the source count as leaks.
        var scanned = WithoutMintedUids(bytes, uids.Minted);
        var leaks = new List<string>();
        foreach (var (owner, canary) in canaries.Canaries)
        {
            if (canaries.ExpectedKept.Contains(owner)) continue;
            foreach (var encoding in Encodings(canary))
                if (scanned.AsSpan().IndexOf(encoding.Bytes) >= 0) leaks.Add($"{owner}: '{canary}' as {encoding.Name}");
        }
        Assert.True(leaks.Count == 0, "canaries found in the output:\n" + string.Join("\n", leaks));

        var reread = DicomFileReader.Read(new MemoryStream(bytes)).Dataset;
        var changed = new List<string>();
        foreach (var tag in canaries.ExpectedKeptTags)
        {
            var before = ((DicomElement)source[tag]!).Buffer.GetBytes().ToArray();
            if (reread[tag] is not DicomElement after || !after.Buffer.GetBytes().Span.SequenceEqual(Padded(before)))
                changed.Add($"{tag} {DicomDictionary.KeywordOf(tag)}");
        }
        Assert.True(changed.Count == 0, "attributes the profile keeps were changed:\n" + string.Join("\n", changed));
        Assert.True(canaries.Canaries.Count > 1000, $"only {canaries.Canaries.Count} canaries were planted");
        Assert.True(canaries.ExpectedKeptTags.Count > 5, "the profile keeps some attributes (patient characteristics, times)");
    }

    [Fact]
    public void Deidentify_writes_the_trial_subject_and_clinical_trial_attributes()
    {
        var result = DeidEngine.Deidentify(new CanaryStudy("ISO_IR 100").Build(), TestPaths.TrialDefault, Context());
        var ds = result.Dataset;
        Assert.Equal("101-0003", ds.GetString(DicomTags.PatientID));
        Assert.Equal("101-0003", ds.GetString(DicomTags.PatientName));
        Assert.Equal("101-0003", ds.GetString(DicomTags.ClinicalTrialSubjectID));
        Assert.Equal("Acme Oncology", ds.GetString(DicomTags.ClinicalTrialSponsorName));
        Assert.Equal("ACME-301", ds.GetString(DicomTags.ClinicalTrialProtocolID));
        Assert.Equal("101", ds.GetString(DicomTags.ClinicalTrialSiteID));
        Assert.Equal("BASELINE", ds.GetString(DicomTags.ClinicalTrialTimePointID));
        Assert.Equal("YES", ds.GetString(DicomTags.PatientIdentityRemoved));
        Assert.Equal(TestPaths.TrialDefault.Version, ds.GetStrings(DicomTags.DeidentificationMethod)[1]);
        var codes = ds.GetSequence(DicomTags.DeidentificationMethodCodeSequence)!.Items.Select(i => i.GetString(DicomTags.CodeValue)).ToHashSet();
        Assert.Equal(new HashSet<string?> { "113100", "113103", "113104", "113105", "113107", "113108" }, codes);
        Assert.Equal("MODIFIED", ds.GetString(DicomTags.LongitudinalTemporalInformationModified));
    }

    [Fact]
    public void Deidentification_record_names_profile_and_actions_but_never_a_value()
    {
        var canaries = new CanaryStudy("ISO_IR 100");
        var result = DeidEngine.Deidentify(canaries.Build(), TestPaths.TrialDefault, Context());
        var json = result.Record.ToJson();
        Assert.Contains("trial-default", json, StringComparison.Ordinal);
        Assert.Contains(TestPaths.TrialDefault.Version, json, StringComparison.Ordinal);
        Assert.Contains("\"(0010,0010)\"", json, StringComparison.Ordinal);
        foreach (var (_, canary) in canaries.Canaries) Assert.DoesNotContain(canary, json, StringComparison.Ordinal);
        var back = DeidRecord.FromJson(json);
        Assert.Equal(result.Record.Actions.Count, back.Actions.Count);
    }

    internal static PseudonymContext Context(MemoryUidMap? uids = null) => new()
    {
        SubjectId = "101-0003",
        Trial = TestPaths.Trial(),
        DateOffsetDays = DateOffset,
        Uids = uids ?? new MemoryUidMap(),
        HashKey = new byte[32],
    };

    private static byte[] WithoutMintedUids(byte[] bytes, IEnumerable<string> minted)
    {
        var copy = (byte[])bytes.Clone();
        foreach (var uid in minted)
        {
            var needle = System.Text.Encoding.ASCII.GetBytes(uid);
            for (var at = copy.AsSpan().IndexOf(needle); at >= 0; at = copy.AsSpan().IndexOf(needle))
                copy.AsSpan(at, needle.Length).Fill((byte)'#');
        }
        return copy;
    }

    internal static byte[] Write(DicomDataset ds)
    {
        using var ms = new MemoryStream();
        DicomFileWriter.Write(ds, ms);
        return ms.ToArray();
    }

    private static byte[] Padded(byte[] b) => (b.Length & 1) == 0 ? b : [.. b, (byte)' '];

    private static IEnumerable<(string Name, byte[] Bytes)> Encodings(string canary)
    {
        yield return ("UTF-8", Encoding.UTF8.GetBytes(canary));
        yield return ("Latin-1", Encoding.Latin1.GetBytes(canary));
        yield return ("UTF-16LE", Encoding.Unicode.GetBytes(canary));
        yield return ("UTF-16BE", Encoding.BigEndianUnicode.GetBytes(canary));
    }

    /// <summary>Builds a study where every table row carries its own canary.</summary>
    internal sealed class CanaryStudy(string charset)
    {
        private int _next;

        /// <summary>Where each canary sits ("(0010,0010)", "(0040,A730)[0]/(0010,0010)", "private (0009,1001)") and its text.</summary>
        public List<(string Owner, string Canary)> Canaries { get; } = [];

        /// <summary>Owners whose values the profile keeps (so their canaries may appear).</summary>
        public HashSet<string> ExpectedKept { get; } = new(StringComparer.Ordinal);

        public List<DicomTag> ExpectedKeptTags { get; } = [];

        public DicomDataset Build()
        {
            var ds = new DicomDataset { { DicomTags.SpecificCharacterSet, charset } };
            foreach (var row in ConfidentialityProfile.AllRows)
            {
                if (row.IsPrivateRow) continue;
                var tag = new DicomTag(row.Tag); // wildcard rows: the first group (5000, 6000)
                if (ds.Contains(tag)) continue;
                var entry = DicomDictionary.Find(tag);
                if (entry is null || entry.ValueRepresentations.Count == 0) continue;
                Plant(ds, tag, entry.ValueRepresentation, row, "", depth: 0);
            }
            // Overlay plane and curve around the wildcard rows, as a real file would have them.
            ds.AddOrUpdate(new DicomTag(0x60000010), DicomVR.US, (ushort)8);
            ds.AddOrUpdate(new DicomTag(0x60000011), DicomVR.US, (ushort)8);
            // Private block with text, a sequence and nested PHI.
            var creator = Canary("private creator");
            ds.AddOrUpdate(new DicomTag(0x00090010), DicomVR.LO, "ACME " + creator);
            ds.AddOrUpdate(new DicomTag(0x00091001), DicomVR.LO, Canary("private (0009,1001)"));
            ds.AddOrUpdate(new DicomTag(0x00091002), DicomVR.PN, Canary("private (0009,1002)") + "^Jörg");
            ds.AddOrUpdate(new DicomTag(0x00091003), DicomVR.SQ, new DicomDataset
            {
                { DicomTags.PatientName, Canary("private sq/(0010,0010)") },
                { DicomTags.PatientID, Canary("private sq/(0010,0020)") },
            });
            ds.AddOrUpdate(new DicomTag(0x00290010), DicomVR.LO, "SIEMENS CSA HEADER");
            ds.AddOrUpdate(new DicomTag(0x00291010), DicomVR.OB, Encoding.ASCII.GetBytes(Canary("private (0029,1010) OB") + "\0"));
            // Descriptors in the character set of the study (non-ASCII names).
            ds.AddOrUpdate(DicomTags.PatientName, Canary("(0010,0010) non-ASCII") + "^Müller=Jürgen");
            return ds;
        }

        private void Plant(DicomDataset ds, DicomTag tag, DicomVR vr, ConfidentialityProfileRow row, string path, int depth)
        {
            var owner = path + tag;
            var kept = IsKept(row, vr) && path.Length == 0;
            switch (vr)
            {
                case DicomVR.SQ:
                    if (depth > 0) return;
                    var item = new DicomDataset
                    {
                        { DicomTags.PatientName, Canary(owner + "[0]/(0010,0010)") },
                        { DicomTags.PatientBirthDate, CanaryDate(owner + "[0]/(0010,0030)") },
                        { DicomTags.ReferencedSOPInstanceUID, CanaryUid(owner + "[0]/(0008,1155)") },
                        { DicomTags.StudyDescription, Canary(owner + "[0]/(0008,1030)") },
                        { DicomTags.InstitutionName, Canary(owner + "[0]/(0008,0080)") },
                        { DicomTags.TextValue, Canary(owner + "[0]/(0040,A160)") },
                        { DicomTags.PersonName, Canary(owner + "[0]/(0040,A123)") },
                    };
                    item.AddOrUpdate(new DicomTag(0x00110010), DicomVR.LO, "NESTED " + Canary(owner + "[0]/private creator"));
                    item.AddOrUpdate(new DicomTag(0x00111001), DicomVR.LO, Canary(owner + "[0]/private (0011,1001)"));
                    ds.AddOrUpdate(new DicomSequence(tag, item));
                    return;
                case DicomVR.DA:
                    ds.AddOrUpdate(tag, vr, CanaryDate(owner));
                    break;
                case DicomVR.DT:
                    ds.AddOrUpdate(tag, vr, CanaryDate(owner) + "101112");
                    break;
                case DicomVR.TM:
                    ds.AddOrUpdate(tag, vr, CanaryTime(owner));
                    break;
                case DicomVR.UI:
                    ds.AddOrUpdate(tag, vr, CanaryUid(owner));
                    break;
                case DicomVR.AS:
                    ds.AddOrUpdate(tag, vr, "042Y");
                    break;
                case DicomVR.DS or DicomVR.IS:
                    ds.AddOrUpdate(new DicomElement(tag, vr, Encoding.ASCII.GetBytes(CanaryNumber(owner))));
                    break;
                case DicomVR.PN:
                    ds.AddOrUpdate(tag, vr, Canary(owner) + "^Ève");
                    break;
                case DicomVR.AE or DicomVR.CS or DicomVR.SH or DicomVR.LO or DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UC or DicomVR.UR:
                    ds.AddOrUpdate(tag, vr, Canary(owner));
                    break;
                case DicomVR.OB or DicomVR.OW or DicomVR.OF or DicomVR.OD or DicomVR.OL or DicomVR.OV or DicomVR.UN:
                    ds.AddOrUpdate(new DicomElement(tag, vr, Encoding.ASCII.GetBytes(Canary(owner) + "\0")));
                    break;
                default:
                    // Fixed-size binary numbers (US, UL, FL, FD, AT, ...) cannot carry a text canary: a recognisable pattern instead.
                    var size = Math.Max(vr.ValueSize(), 2);
                    var value = new byte[size];
                    value.AsSpan().Fill(0x5A);
                    ds.AddOrUpdate(new DicomElement(tag, vr, value));
                    break;
            }
            if (kept)
            {
                ExpectedKept.Add(owner);
                ExpectedKeptTags.Add(tag);
            }
        }

        // The test's own reading of the table for trial-default: an option's K or C replaces the Basic action, C beats K;
        // K keeps, and a C on a time keeps it (whole-day offsets do not move times of day).
        private static bool IsKept(ConfidentialityProfileRow row, DicomVR vr)
        {
            var profile = TestPaths.TrialDefault;
            if (profile.Overrides.ContainsKey(new DicomTag(row.Tag))) return profile.Overrides[new DicomTag(row.Tag)].Action == OverrideAction.Keep;
            var action = row.Basic;
            var option = TableAction.None;
            foreach (var o in profile.Options)
            {
                var a = row.For(o);
                if (a == TableAction.C || (a == TableAction.K && option == TableAction.None)) option = a;
            }
            if (option != TableAction.None) action = option;
            return (action == TableAction.K && vr != DicomVR.SQ) || (action == TableAction.C && vr == DicomVR.TM);
        }

        private string Canary(string owner)
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"QZ{_next++:D4}K");
            Canaries.Add((owner, text));
            return text;
        }

        private string CanaryDate(string owner)
        {
            var text = new DateOnly(1700, 1, 1).AddDays(_next++).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            Canaries.Add((owner, text));
            return text;
        }

        private string CanaryTime(string owner)
        {
            var n = _next++;
            var text = string.Create(CultureInfo.InvariantCulture, $"{n / 3600 % 24:D2}{n / 60 % 60:D2}{n % 60:D2}.7531");
            Canaries.Add((owner, text));
            return text;
        }

        private string CanaryUid(string owner)
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"1.2.999.7531.{_next++:D5}");
            Canaries.Add((owner, text));
            return text;
        }

        private string CanaryNumber(string owner)
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"7531{_next++:D4}");
            Canaries.Add((owner, text));
            return text;
        }
    }
}
