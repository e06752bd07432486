using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TrialFlow.Deid.Pixels;
using TrialFlow.Deid.Profiles;
using TrialFlow.Dicom;

namespace TrialFlow.Deid.Engine;

/// <summary>
/// Applies a <see cref="DeidProfile"/> to a dataset: PS3.15 Table E.1-1 with the profile's options and overrides,
/// recursively through sequences, then writes the trial's pseudonyms and the (0012,xxxx) attributes. A pure function:
/// the source dataset is not changed, nothing is read or written outside the arguments (the pixel data of a file-backed
/// dataset is passed through by reference, or copied when blanking rectangles).
/// </summary>
public static class DeidEngine
{
    /// <summary>The UIDs of <paramref name="dataset"/> the profile replaces (to be resolved through the pseudonym store).</summary>
    public static IReadOnlySet<string> CollectUids(DicomDataset dataset, DeidProfile profile)
    {
        var collector = new CollectingUidMap();
        var context = new PseudonymContext
        {
            SubjectId = "collect",
            Trial = new TrialAttributes("", "", "", ""),
            Uids = collector,
            HashKey = new byte[16],
        };
        new Walker(profile, context, collectOnly: true).Run(dataset);
        return collector.Seen;
    }

    /// <summary>De-identifies <paramref name="dataset"/> (the top-level dataset of an instance, without File Meta Information).</summary>
    public static DeidResult Deidentify(DicomDataset dataset, DeidProfile profile, PseudonymContext context)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(context.SubjectId)) throw new DeidInputException("no trial subject id: the instance must be matched to a subject first");
        if (context.HashKey.Length < 16) throw new DeidInputException("the pseudonym hash key is shorter than 16 bytes");
        var walker = new Walker(profile, context, collectOnly: false);
        var output = walker.Run(dataset);
        var risks = BurnedInAnnotation.Assess(dataset, profile, out var blanking);
        var pixelsCleaned = false;
        if (blanking is not null)
        {
            if (PixelBlanker.TryBlank(dataset, output, blanking, out var reason))
            {
                pixelsCleaned = true;
                walker.Log(DicomTags.PixelData, "pixels-blanked");
            }
            else
            {
                risks.Add(reason!);
            }
        }
        WriteTrialAttributes(output, profile, context, pixelsCleaned, walker);
        var record = new DeidRecord(profile.Name, profile.Version, [.. profile.Options.Select(o => o.YamlName()).Order(StringComparer.Ordinal)],
            output.GetString(DicomTags.SOPInstanceUID) ?? "", walker.Actions, risks);
        return new DeidResult(output, record);
    }

    private static void WriteTrialAttributes(DicomDataset ds, DeidProfile profile, PseudonymContext context, bool pixelsCleaned, Walker log)
    {
        void Set(DicomTag tag, string? value, bool optional = false)
        {
            if (optional && string.IsNullOrEmpty(value)) return;
            ds.AddOrUpdate(tag, Truncate(value ?? "", 64));
            log.Log(tag, "set-trial-value");
        }

        Set(DicomTags.PatientID, context.SubjectId);
        Set(DicomTags.PatientName, profile.PatientNameText ?? context.SubjectId);
        Set(DicomTags.ClinicalTrialSponsorName, context.Trial.SponsorName);
        Set(DicomTags.ClinicalTrialProtocolID, context.Trial.ProtocolId);
        Set(DicomTags.ClinicalTrialProtocolName, context.Trial.ProtocolName); // Type 2 in the Clinical Trial Subject module
        Set(DicomTags.ClinicalTrialSiteID, context.Trial.SiteId);
        Set(DicomTags.ClinicalTrialSiteName, context.Trial.SiteName);
        Set(DicomTags.ClinicalTrialSubjectID, context.SubjectId);
        Set(DicomTags.ClinicalTrialTimePointID, context.Trial.TimePointId, optional: true);
        Set(DicomTags.ClinicalTrialTimePointDescription, context.Trial.TimePointDescription, optional: true);
        ds.AddOrUpdate(DicomTags.PatientIdentityRemoved, "YES");
        // PS3.3 C.12.1.1.7: LO, 1-n. The version is the 64-hex SHA-256 of the profile, which fits one LO value exactly.
        ds.AddOrUpdate(DicomTags.DeidentificationMethod, Truncate($"TrialFlow PS3.15 profile {profile.Name}", 64), profile.Version);
        var codes = new List<(string Code, string Meaning)> { DeidOptions.BasicProfile };
        if (pixelsCleaned) codes.Add(DeidOptions.CleanPixelData);
        codes.AddRange(profile.Options.Order().Select(o => o.Cid7050()));
        ds.AddOrUpdate(new DicomSequence(DicomTags.DeidentificationMethodCodeSequence, codes.Select(c => new DicomDataset
        {
            { DicomTags.CodeValue, c.Code },
            { DicomTags.CodingSchemeDesignator, "DCM" },
            { DicomTags.CodeMeaning, c.Meaning },
        })));
        // PS3.3 C.12.1.1.8 (SOP Common): what happened to dates and times.
        ds.AddOrUpdate(DicomTags.LongitudinalTemporalInformationModified,
            profile.Has(DeidOption.RetainLongitudinalModifiedDates) ? "MODIFIED"
            : profile.Has(DeidOption.RetainLongitudinalFullDates) ? "UNMODIFIED" : "REMOVED");
        log.Log(DicomTags.PatientIdentityRemoved, "set");
        log.Log(DicomTags.DeidentificationMethod, "set");
        log.Log(DicomTags.DeidentificationMethodCodeSequence, "set");
        log.Log(DicomTags.LongitudinalTemporalInformationModified, "set");
    }

    internal static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    /// <summary>One traversal of one instance.</summary>
    private sealed class Walker(DeidProfile profile, PseudonymContext context, bool collectOnly)
    {
        private readonly List<DeidActionRecord> _actions = [];
        private string _path = "";

        public IReadOnlyList<DeidActionRecord> Actions => _actions;

        public DicomDataset Run(DicomDataset source)
        {
            var output = new DicomDataset();
            Process(source, output, Mode.Normal);
            return output;
        }

        public void Log(DicomTag tag, string action)
        {
            if (collectOnly) return;
            _actions.Add(new DeidActionRecord(_path + tag, DicomDictionary.KeywordOf(tag), action));
        }

        private void Process(DicomDataset source, DicomDataset output, Mode mode)
        {
            foreach (var item in source)
            {
                var tag = item.Tag;
                if (tag.IsGroupLength || tag.Group == 0x0002) continue; // PS3.5 7.2 group lengths are retired; meta belongs to the file
                if (profile.Overrides.TryGetValue(tag, out var rule))
                {
                    ApplyOverride(source, output, item, rule);
                    continue;
                }
                if (tag.IsPrivate)
                {
                    ProcessPrivate(source, output, item);
                    continue;
                }
                var row = ConfidentialityProfile.Find(tag);
                if (row is null)
                {
                    if (mode == Mode.Dummy) DummyUnlisted(source, output, item);
                    else if (mode == Mode.Clean && !CodedVocabulary.Contains(tag.Value)) CleanUnlisted(source, output, item);
                    else if (item is DicomSequence seq) Recurse(output, seq, mode);
                    else output.AddOrUpdate(item);
                    continue;
                }
                Apply(source, output, item, Effective(row), row);
            }
        }

        // PS3.15 E.3: an option's column replaces the Basic Profile action; when two enabled options disagree, C beats K.
        private TableAction Effective(ConfidentialityProfileRow row)
        {
            var result = row.Basic;
            var optionAction = TableAction.None;
            foreach (var option in profile.Options)
            {
                var a = row.For(option);
                if (a == TableAction.C || (a == TableAction.K && optionAction == TableAction.None)) optionAction = a;
            }
            return optionAction == TableAction.None ? result : optionAction;
        }

        private void Apply(DicomDataset source, DicomDataset output, DicomItem item, TableAction action, ConfidentialityProfileRow row)
        {
            var tag = item.Tag;
            var hasValue = item switch { DicomElement e => !e.IsEmpty, DicomSequence s => s.Items.Count > 0, _ => true };
            switch (action)
            {
                case TableAction.X:
                    if (row.Mask == 0xFF00FFFFu && (tag.Element == 0x3000)) RemoveOverlayGroup(output, tag);
                    Log(tag, "removed");
                    return;
                case TableAction.K:
                    if (item is DicomSequence ks) Recurse(output, ks, Mode.Normal);
                    else output.AddOrUpdate(item);
                    return;
                case TableAction.U:
                    ReplaceUids(source, output, item);
                    return;
                case TableAction.XZU:
                    // Keep the references, with every instance UID inside replaced (the table's U rows) and any free
                    // text in the items cleaned: only the reference itself is required.
                    if (item is DicomSequence rs) Recurse(output, rs, Mode.Clean);
                    else Empty(output, item);
                    return;
                case TableAction.Z:
                case TableAction.XZ:
                    Empty(output, item);
                    return;
                case TableAction.D:
                    // A sequence's dummy keeps its item structure (so the IOD stays valid) with every value replaced: the
                    // table governs listed attributes, every other text becomes a dummy. Keeping cleaned, meaningful
                    // content is what the Clean Structured Content / Clean Graphics options (C) are for.
                    if (item is DicomSequence ds) Recurse(output, ds, Mode.Dummy);
                    else Dummy(source, output, item);
                    return;
                case TableAction.ZD:
                case TableAction.XD:
                case TableAction.XZD:
                    // Without the IOD: a present value becomes a dummy (satisfies Type 1 and 2), an empty one stays empty.
                    if (item is DicomSequence || !hasValue) Empty(output, item);
                    else Dummy(source, output, item);
                    return;
                case TableAction.C:
                    Clean(source, output, item);
                    return;
                default:
                    output.AddOrUpdate(item);
                    return;
            }
        }

        private void ApplyOverride(DicomDataset source, DicomDataset output, DicomItem item, TagOverride rule)
        {
            switch (rule.Action)
            {
                case OverrideAction.Keep:
                    output.AddOrUpdate(item is DicomSequence ks ? CopySequence(ks) : item);
                    Log(item.Tag, "kept (override)");
                    return;
                case OverrideAction.Remove:
                    Log(item.Tag, "removed (override)");
                    return;
                case OverrideAction.Empty:
                    Empty(output, item);
                    return;
                case OverrideAction.Replace:
                    if (item is DicomElement re && re.VR.IsString()) output.AddOrUpdate(item.Tag, re.VR, rule.Value ?? "");
                    else
                    {
                        Log(item.Tag, "removed (replace needs a text VR)");
                        return;
                    }
                    Log(item.Tag, "replaced (override)");
                    return;
                case OverrideAction.Hash:
                    if (item is DicomElement he && he.VR.IsString() && he.VR != DicomVR.UI)
                    {
                        var values = source.GetStrings(item.Tag).Select(v => Hash(item.Tag, v.Trim())).ToArray();
                        output.AddOrUpdate(item.Tag, he.VR, values);
                        Log(item.Tag, "hashed (override)");
                    }
                    else if (item is DicomElement ue && ue.VR == DicomVR.UI)
                    {
                        ReplaceUids(source, output, item);
                    }
                    else
                    {
                        Log(item.Tag, "removed (hash needs a text VR)");
                    }
                    return;
            }
        }

        private void ProcessPrivate(DicomDataset source, DicomDataset output, DicomItem item)
        {
            var tag = item.Tag;
            if (profile.Has(DeidOption.RetainSafePrivate))
            {
                if (tag.IsPrivateCreator)
                {
                    var creator = source.GetString(tag)?.Trim();
                    if (creator is not null && profile.SafePrivate.Any(s => s.Group == tag.Group && s.Creator == creator))
                    {
                        output.AddOrUpdate(item);
                        return;
                    }
                }
                else if (tag.Element >= 0x1000 && profile.IsSafePrivate(tag.Group, source.GetPrivateCreator(tag), (byte)tag.Element))
                {
                    if (item is DicomSequence ps) Recurse(output, ps, Mode.Normal);
                    else output.AddOrUpdate(item);
                    Log(tag, "kept (safe private)");
                    return;
                }
            }
            Log(tag, "removed");
        }

        private void Recurse(DicomDataset output, DicomSequence sequence, Mode mode)
        {
            // Attach first, so nested items resolve their character set through the new parent.
            var copy = new DicomSequence(sequence.Tag);
            output.AddOrUpdate(copy);
            var outer = _path;
            for (var i = 0; i < sequence.Items.Count; i++)
            {
                var child = new DicomDataset();
                copy.Add(child);
                _path = string.Create(CultureInfo.InvariantCulture, $"{outer}{sequence.Tag}[{i}]/");
                Process(sequence.Items[i], child, mode);
            }
            _path = outer;
        }

        private void Empty(DicomDataset output, DicomItem item)
        {
            output.AddOrUpdate(item switch
            {
                DicomSequence s => new DicomSequence(s.Tag),
                _ => new DicomElement(item.Tag, item.VR, DicomBuffer.Empty),
            });
            Log(item.Tag, "emptied");
        }

        private void Dummy(DicomDataset source, DicomDataset output, DicomItem item)
        {
            if (item is not DicomElement e || e.VR == DicomVR.UN)
            {
                Empty(output, item);
                return;
            }
            if (e.VR == DicomVR.UI)
            {
                ReplaceUids(source, output, item);
                return;
            }
            if (e.VR.IsString())
            {
                output.AddOrUpdate(new DicomElement(e.Tag, e.VR, Encoding.ASCII.GetBytes(DummyValues.For(e.VR))));
            }
            else
            {
                var size = Math.Max(e.VR.ValueSize(), 1);
                output.AddOrUpdate(new DicomElement(e.Tag, e.VR, new byte[Math.Max(size, (int)Math.Min(e.Length, int.MaxValue))]));
            }
            Log(item.Tag, "dummy");
        }

        private void ReplaceUids(DicomDataset source, DicomDataset output, DicomItem item)
        {
            if (item is not DicomElement e || e.VR != DicomVR.UI)
            {
                // A UID row holding something else (UN from an implicit file without dictionary) cannot be mapped safely.
                Log(item.Tag, "removed (not a UI value)");
                return;
            }
            var values = source.GetStrings(e.Tag);
            if (values.Length == 0 || values.All(v => v.Length == 0))
            {
                output.AddOrUpdate(item);
                return;
            }
            var mapped = values.Select(v => v.Length == 0 ? "" : context.Uids.Map(v)).ToArray();
            if (!collectOnly) output.AddOrUpdate(e.Tag, DicomVR.UI, mapped);
            Log(item.Tag, "uid-replaced");
        }

        private void Clean(DicomDataset source, DicomDataset output, DicomItem item)
        {
            switch (item)
            {
                case DicomSequence s:
                    Recurse(output, s, Mode.Clean);
                    return;
                case DicomFragmentSequence:
                    Log(item.Tag, "removed (cannot clean encapsulated data)");
                    return;
            }
            var e = (DicomElement)item;
            switch (e.VR)
            {
                case DicomVR.DA or DicomVR.DT:
                    if (profile.Has(DeidOption.RetainLongitudinalModifiedDates)) ShiftDates(source, output, e);
                    else Dummy(source, output, e);
                    return;
                case DicomVR.TM:
                    // A whole-day offset leaves the time of day as it was.
                    output.AddOrUpdate(e);
                    return;
                case DicomVR.PN:
                    Dummy(source, output, e);
                    return;
                case DicomVR.UI:
                    ReplaceUids(source, output, e);
                    return;
                case DicomVR.UN:
                    Log(e.Tag, "removed (cannot clean UN)");
                    return;
            }
            if (e.VR.IsString())
            {
                CleanText(source, output, e);
                return;
            }
            if (e.VR is DicomVR.OB or DicomVR.OW or DicomVR.OF or DicomVR.OD or DicomVR.OL or DicomVR.OV)
            {
                // Overlay or curve data under Clean Graphics: blank the bitmap, keep its shape.
                output.AddOrUpdate(new DicomElement(e.Tag, e.VR, new byte[e.Length]));
                Log(e.Tag, "blanked");
                return;
            }
            output.AddOrUpdate(e); // numbers (curve descriptors, sizes) carry no text
        }

        // Inside a dummied sequence, attributes the table does not list get dummies too (codes and numbers included).
        private void DummyUnlisted(DicomDataset source, DicomDataset output, DicomItem item)
        {
            switch (item)
            {
                case DicomSequence s:
                    Recurse(output, s, Mode.Dummy);
                    return;
                case DicomElement { VR: DicomVR.DA or DicomVR.DT or DicomVR.UI or DicomVR.PN } e:
                    CleanUnlisted(source, output, e);
                    return;
                case DicomElement e:
                    if (e.IsEmpty) output.AddOrUpdate(e);
                    else Dummy(source, output, e);
                    return;
                default:
                    output.AddOrUpdate(item);
                    return;
            }
        }

        // Inside cleaned structured content, attributes the table does not list are cleaned by VR too.
        private void CleanUnlisted(DicomDataset source, DicomDataset output, DicomItem item)
        {
            switch (item)
            {
                case DicomSequence s:
                    Recurse(output, s, Mode.Clean);
                    return;
                case DicomElement { VR: DicomVR.LO or DicomVR.SH or DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UC } e:
                    CleanText(source, output, e);
                    return;
                case DicomElement { VR: DicomVR.PN } e:
                    Dummy(source, output, e);
                    return;
                case DicomElement { VR: DicomVR.DA or DicomVR.DT } e:
                    if (profile.Has(DeidOption.RetainLongitudinalFullDates)) output.AddOrUpdate(e);
                    else if (profile.Has(DeidOption.RetainLongitudinalModifiedDates)) ShiftDates(source, output, e);
                    else Dummy(source, output, e);
                    return;
                case DicomElement { VR: DicomVR.UI } e:
                    ReplaceUids(source, output, e);
                    return;
                default:
                    output.AddOrUpdate(item);
                    return;
            }
        }

        private void CleanText(DicomDataset source, DicomDataset output, DicomElement e)
        {
            if (e.IsEmpty)
            {
                output.AddOrUpdate(e);
                return;
            }
            var values = e.VR.IsSingleValuedText() ? [source.GetString(e.Tag) ?? ""] : source.GetStrings(e.Tag);
            if (values.All(v => DescriptorCleaner.IsSafe(v, profile.SafeVocabulary)))
            {
                output.AddOrUpdate(e);
                Log(e.Tag, "kept (safe vocabulary)");
                return;
            }
            var placeholder = profile.CleanedPlaceholder;
            if (e.VR == DicomVR.CS) placeholder = placeholder.ToUpperInvariant();
            output.AddOrUpdate(new DicomElement(e.Tag, e.VR, Encoding.ASCII.GetBytes(placeholder)));
            Log(e.Tag, "cleaned");
        }

        private void ShiftDates(DicomDataset source, DicomDataset output, DicomElement e)
        {
            var values = source.GetStrings(e.Tag);
            var shifted = new string[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                if (!DateShifter.TryShift(values[i], e.VR, context.DateOffsetDays, out shifted[i]))
                {
                    Empty(output, e);
                    return;
                }
            }
            output.AddOrUpdate(new DicomElement(e.Tag, e.VR, Encoding.ASCII.GetBytes(string.Join('\\', shifted))));
            Log(e.Tag, "date-shifted");
        }

        // A sequence kept as it is, rebuilt so the source's datasets are not re-parented (elements are immutable and shared).
        private static DicomSequence CopySequence(DicomSequence sequence)
        {
            var copy = new DicomSequence(sequence.Tag);
            foreach (var item in sequence.Items)
            {
                var child = new DicomDataset();
                copy.Add(child);
                foreach (var e in item) child.AddOrUpdate(e is DicomSequence s ? CopySequence(s) : e);
            }
            return copy;
        }

        private static void RemoveOverlayGroup(DicomDataset output, DicomTag overlayData)
        {
            // An overlay plane without its data is invalid (PS3.3 C.9.2: Overlay Data is Type 1): drop the whole group.
            foreach (var t in output.Where(i => i.Tag.Group == overlayData.Group).Select(i => i.Tag).ToList()) output.Remove(t);
        }

        private string Hash(DicomTag tag, string value)
        {
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(context.HashKey.Span, Encoding.UTF8.GetBytes($"{tag}\n{value}"), mac);
            return Convert.ToHexString(mac[..8]);
        }
    }

    private enum Mode
    {
        /// <summary>Only the table and the overrides act.</summary>
        Normal,
        /// <summary>Inside cleaned content (C, X/Z/U*): unlisted free text is cleaned, codes are kept.</summary>
        Clean,
        /// <summary>Inside a dummied sequence (D): every unlisted value, codes and numbers included, becomes a dummy.</summary>
        Dummy,
    }

    // Coded vocabulary inside structured content: code values and meanings come from code tables, not from people.
    private static readonly HashSet<uint> CodedVocabulary =
    [
        0x00080100, 0x00080102, 0x00080103, 0x00080104, 0x00080105, 0x00080106, 0x0008010F, 0x00080117, 0x00080118,
        0x00080119, 0x00080120, 0x00080121, 0x00080122, 0x00080123, 0x00080124, 0x00080220, 0x0040A010, 0x0040A040,
        0x0040A050, 0x0040A0B0, 0x0040A168, 0x0040A043, 0x0040A30A, 0x004008EA, 0x00081150, 0x00081160,
    ];
}
