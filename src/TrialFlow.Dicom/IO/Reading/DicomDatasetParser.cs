namespace TrialFlow.Dicom.IO.Reading;

/// <summary>How the bytes of a dataset (or of one sequence item) are encoded.</summary>
internal readonly record struct WireEncoding(bool ExplicitVR, bool LittleEndian);

/// <summary>
/// Parses data elements (PS3.5 7) from a <see cref="DicomInput"/> into datasets: explicit and implicit VR,
/// little and big endian, defined and undefined lengths, nested sequences and encapsulated pixel data.
/// </summary>
internal sealed class DicomDatasetParser(DicomInput input, DicomReadOptions options, List<string> warnings, CancellationToken cancellationToken)
{
    private const uint Undefined = 0xFFFFFFFF;
    private static readonly DicomTag PixelData = new(0x7FE00010);
    private static readonly DicomTag FloatPixelData = new(0x7FE00008);

    /// <summary>Parses the top-level dataset until the end of input (or Pixel Data in header-only mode).</summary>
    public void ParseTopLevel(DicomDataset dataset, WireEncoding encoding)
    {
        encoding = CheckEncoding(encoding, isItem: false, -1);
        ParseElements(dataset, encoding, end: -1, depth: 0, topLevel: true);
    }

    /// <summary>Parses group 0002 (always explicit VR little endian, PS3.10 7.1) while the next tag is in that group.</summary>
    public void ParseMeta(DicomDataset meta)
    {
        var le = new WireEncoding(true, true);
        while (input.Ensure(6))
        {
            var span = input.Peek(6);
            if (span[0] != 0x02 || span[1] != 0x00) break;
            var encoding = le;
            if (!IsVrLike(span[4], span[5]))
            {
                warnings.Add($"File Meta Information at byte offset {input.Position} is implicit VR; read anyway");
                encoding = new WireEncoding(false, true);
            }
            ParseElement(meta, encoding, end: -1, depth: 0, topLevel: false);
        }
    }

    // pydicom's and dcmtk's leniency: a dataset whose first element does not match the announced VR encoding is read
    // with the encoding found. Items of an explicit VR dataset may be implicit (PS3.5 7.5.1 undefined-length items).
    private WireEncoding CheckEncoding(WireEncoding encoding, bool isItem, long end)
    {
        if (isItem && !encoding.ExplicitVR) return encoding;
        if (!input.Ensure(6) || (end >= 0 && input.Position + 6 > end)) return encoding;
        var span = input.Peek(6);
        var foundImplicit = !IsVrLike(span[4], span[5]);
        if (foundImplicit == !encoding.ExplicitVR) return encoding;
        var group = encoding.LittleEndian ? span[0] | (span[1] << 8) : (span[0] << 8) | span[1];
        if (group == 0xFFFE) return encoding; // an empty item: nothing to decide
        if (isItem) return encoding with { ExplicitVR = false };
        warnings.Add($"expected {(encoding.ExplicitVR ? "explicit" : "implicit")} VR but found {(foundImplicit ? "implicit" : "explicit")} VR at byte offset {input.Position}; read as found");
        return encoding with { ExplicitVR = !foundImplicit };
    }

    private static bool IsVrLike(byte a, byte b) => a is > 0x40 and < 0x5B && b is > 0x40 and < 0x5B;

    private void ParseElements(DicomDataset dataset, WireEncoding encoding, long end, int depth, bool topLevel)
    {
        while (true)
        {
            if (end >= 0 && input.Position >= end)
            {
                if (input.Position > end) throw new DicomParseException("element runs past the end of its item", input.Position, null);
                return;
            }
            if (!input.Ensure(4))
            {
                if (topLevel)
                {
                    if (!input.AtEnd) warnings.Add($"{input.Peek(4).Length} stray byte(s) after the dataset at byte offset {input.Position}; ignored");
                    return;
                }
                throw new DicomParseException(end < 0 ? "input ends inside an item (no item delimiter)" : "input ends inside an item", input.Position, null);
            }
            if (topLevel) cancellationToken.ThrowIfCancellationRequested();
            var span = input.Peek(4);
            var group = encoding.LittleEndian ? span[0] | (span[1] << 8) : (span[0] << 8) | span[1];
            var element = encoding.LittleEndian ? span[2] | (span[3] << 8) : (span[2] << 8) | span[3];
            var tag = new DicomTag((ushort)group, (ushort)element);
            if (tag == DicomTag.ItemDelimitation && !topLevel && end < 0)
            {
                if (!input.Ensure(8)) throw new DicomParseException("input ends inside an item delimiter", input.Position, tag);
                input.Advance(8); // PS3.5 7.5.1: (FFFE,E00D) with length 0 ends an undefined-length item
                return;
            }
            // header-only: stop at the first pixel data element, (7FE0,0008/0009/0010) Float, Double Float or Pixel Data
            if (topLevel && options.HeaderOnly && tag >= FloatPixelData && tag.Group != 0xFFFE) return;
            ParseElement(dataset, encoding, end, depth, topLevel);
        }
    }

    private void ParseElement(DicomDataset dataset, WireEncoding encoding, long end, int depth, bool topLevel)
    {
        var offset = input.Position;
        if (!input.Ensure(8))
        {
            DicomTag? partial = input.Ensure(4) ? new DicomTag(input.ReadUInt16(encoding.LittleEndian), input.ReadUInt16(encoding.LittleEndian)) : null;
            throw new DicomParseException("input ends inside an element header", offset, partial);
        }
        var le = encoding.LittleEndian;
        var tag = new DicomTag(input.ReadUInt16(le), input.ReadUInt16(le));
        if (tag.Group == 0xFFFE)
            throw new DicomParseException(topLevel ? "unexpected item or delimiter tag after the dataset" : "unexpected item or delimiter tag inside an item", offset, tag);
        DicomVR vr;
        uint length;
        DicomDictionaryEntry? entry = null;
        if (encoding.ExplicitVR)
        {
            var vrSpan = input.Peek(2);
            if (!DicomVRInfo.TryParse(vrSpan[0], vrSpan[1], out vr))
                throw new DicomParseException($"invalid VR 0x{vrSpan[0]:X2}{vrSpan[1]:X2}", offset + 4, tag);
            input.Advance(2);
            if (vr.HasLongExplicitLength())
            {
                if (!input.Ensure(6)) throw new DicomParseException("input ends inside an element header", offset, tag);
                input.Advance(2); // PS3.5 7.1.2: reserved
                length = input.ReadUInt32(le);
            }
            else
            {
                length = input.ReadUInt16(le);
            }
        }
        else
        {
            length = input.ReadUInt32(le);
            entry = DicomDictionary.Find(tag);
            vr = ImplicitVR(tag, entry);
        }

        if (vr == DicomVR.UN && entry is null) entry = DicomDictionary.Find(tag);
        if (length == Undefined)
        {
            ParseUndefinedLength(dataset, tag, vr, entry, encoding, depth, offset);
            return;
        }
        if (length > input.Remaining)
        {
            if (vr != DicomVR.SQ || !input.KnowsLength)
                throw new DicomParseException($"value length {length} exceeds the {input.Remaining} bytes left", offset, tag);
            warnings.Add($"sequence length {length} of {tag} at byte offset {offset} exceeds the {input.Remaining} bytes left; read to the end of input");
            length = (uint)input.Remaining;
        }
        if (end >= 0 && input.Position + length > end)
            throw new DicomParseException($"value length {length} runs past the end of its item", offset, tag);

        // PS3.5 6.2.2 / CP-246: a UN element of a known public attribute is read with the dictionary VR
        if (vr == DicomVR.UN && entry is not null && !tag.IsPrivate && entry.ValueRepresentations.Count > 0 && length < 0xFFFF)
        {
            vr = entry.IsAmbiguous ? ResolveAmbiguous(dataset, tag, entry, undefinedLength: false) : entry.ValueRepresentation;
            if (vr == DicomVR.SQ)
            {
                ParseSequence(dataset, tag, length, new WireEncoding(false, true), depth, offset);
                return;
            }
            AddValue(dataset, tag, vr, length, new WireEncoding(false, true));
            return;
        }
        if (vr == DicomVR.UN && tag.IsPrivateCreator) vr = DicomVR.LO; // PS3.5 7.8.1: private creators are LO
        if (vr == DicomVR.SQ)
        {
            ParseSequence(dataset, tag, length, encoding, depth, offset);
            return;
        }
        AddValue(dataset, tag, vr, length, encoding);
    }

    // A value kept in memory must fit an array; larger ones can only be left on disk (reading from a file path).
    private int InMemoryLength(uint length, DicomTag tag) => length <= Array.MaxLength
        ? (int)length
        : throw new DicomParseException($"value length {length} is too large to hold in memory (read from a file to defer it)", input.Position, tag);

    private DicomVR ImplicitVR(DicomTag tag, DicomDictionaryEntry? entry)
    {
        if (tag.IsPrivate) return tag.IsPrivateCreator ? DicomVR.LO : DicomVR.UN; // PS3.5 6.2.2 note
        if (entry is null || entry.ValueRepresentations.Count == 0) return tag.IsGroupLength ? DicomVR.UL : DicomVR.UN;
        return entry.IsAmbiguous ? DicomVR.None : entry.ValueRepresentation; // None: resolved once the value is known
    }

    private void AddValue(DicomDataset dataset, DicomTag tag, DicomVR vr, uint length, WireEncoding encoding)
    {
        if (vr == DicomVR.None)
            vr = ResolveAmbiguous(dataset, tag, DicomDictionary.Find(tag)!, undefinedLength: false);
        var swap = encoding.LittleEndian ? 1 : vr.SwapUnit();
        // Big endian native pixel data holds whole samples in file byte order: 32- and 64-bit samples swap as a unit
        if (swap == 2 && tag == PixelData && FindInChain(dataset, DicomTags.BitsAllocated) is { } bits && bits is 32 or 64) swap = (int)bits / 8;
        DicomBuffer buffer;
        if (input.Path is not null && length >= options.DeferValuesLongerThan && length > 0)
        {
            buffer = new FileRangeDicomBuffer(input.Path, input.Position, length, swap);
            input.Skip(length, tag);
        }
        else
        {
            var bytes = input.ReadBytes(InMemoryLength(length, tag), tag);
            if (swap > 1) ByteSwap.InPlace(bytes, swap);
            buffer = DicomBuffer.FromBytes(bytes);
        }
        dataset.AddOrUpdate(new DicomElement(tag, vr, buffer));
    }

    // PS3.5 A.1 c: "US or SS", "OB or OW" ... in implicit VR are resolved from the attributes they depend on.
    private static DicomVR ResolveAmbiguous(DicomDataset dataset, DicomTag tag, DicomDictionaryEntry entry, bool undefinedLength)
    {
        var vrs = entry.ValueRepresentations;
        if (tag == PixelData || (tag.Group & 0xFF00) == 0x6000 || (tag.Group & 0xFF00) == 0x7F00)
            return undefinedLength ? DicomVR.OB : DicomVR.OW; // PS3.5 A.1: native pixel/overlay data in implicit VR is OW
        if (tag.Value == 0x54001010) // Waveform Data
            return FindInChain(dataset, new DicomTag(0x5400100A)) is > 8 or null ? DicomVR.OW : DicomVR.OB;
        if (vrs.Contains(DicomVR.SS) && vrs.Contains(DicomVR.US) && !vrs.Contains(DicomVR.OW))
            return FindInChain(dataset, DicomTags.PixelRepresentation) == 1 ? DicomVR.SS : DicomVR.US;
        if (tag.Value == 0x00283006) // LUT Data: US when the LUT Descriptor says one entry (PS3.3 C.11.1.1.1)
            return FindInChain(dataset, new DicomTag(0x00283002)) == 1 ? DicomVR.US : DicomVR.OW;
        return vrs.Contains(DicomVR.OW) ? DicomVR.OW : vrs[0];
    }

    private static long? FindInChain(DicomDataset? dataset, DicomTag tag)
    {
        for (var ds = dataset; ds is not null; ds = ds.Parent?.Owner)
            if (ds.TryGet<long>(tag, out var v)) return v;
        return null;
    }

    private void ParseUndefinedLength(DicomDataset dataset, DicomTag tag, DicomVR vr, DicomDictionaryEntry? entry,
        WireEncoding encoding, int depth, long offset)
    {
        if (vr == DicomVR.SQ)
        {
            ParseSequence(dataset, tag, Undefined, encoding, depth, offset);
            return;
        }
        if (vr == DicomVR.UN || (vr == DicomVR.None && entry?.ValueRepresentations.Contains(DicomVR.SQ) == true))
        {
            // CP-246: an undefined-length UN is a sequence encoded in implicit VR little endian
            ParseSequence(dataset, tag, Undefined, new WireEncoding(false, true), depth, offset);
            return;
        }
        if (vr is DicomVR.OB or DicomVR.OW or DicomVR.None)
        {
            ParseFragments(dataset, tag, vr == DicomVR.None ? DicomVR.OB : vr, encoding, offset);
            return;
        }
        throw new DicomParseException($"undefined length is not allowed for VR {vr.Code()}", offset, tag);
    }

    private void ParseSequence(DicomDataset dataset, DicomTag tag, uint length, WireEncoding encoding, int depth, long offset)
    {
        if (depth >= options.MaxSequenceDepth)
            throw new DicomParseException($"sequences nested deeper than {options.MaxSequenceDepth}", offset, tag);
        var sequence = new DicomSequence(tag);
        dataset.AddOrUpdate(sequence);
        long end = length == Undefined ? -1 : input.Position + length;
        var le = encoding.LittleEndian;
        while (end < 0 || input.Position < end)
        {
            var itemOffset = input.Position;
            if (!input.Ensure(8)) throw new DicomParseException("input ends inside a sequence", itemOffset, tag);
            var itemTag = new DicomTag(input.ReadUInt16(le), input.ReadUInt16(le));
            var itemLength = input.ReadUInt32(le);
            if (itemTag == DicomTag.SequenceDelimitation)
            {
                if (end >= 0) warnings.Add($"sequence delimiter inside the defined length of {tag} at byte offset {itemOffset}");
                else return;
                continue;
            }
            if (itemTag != DicomTag.Item)
                throw new DicomParseException($"expected an item (FFFE,E000) in the sequence but found {itemTag}", itemOffset, tag);
            long itemEnd = -1;
            if (itemLength != Undefined)
            {
                itemEnd = input.Position + itemLength;
                if (itemLength > input.Remaining)
                {
                    // dcmtk and pydicom read such a last item up to the end of the file; so do we, with a warning
                    warnings.Add($"item length {itemLength} of {tag} at byte offset {itemOffset} exceeds the {input.Remaining} bytes left; read to the end of input");
                    itemEnd = input.Position + input.Remaining;
                }
                if (end >= 0 && itemEnd > end)
                    throw new DicomParseException($"item length {itemLength} runs past the end of its sequence", itemOffset, tag);
            }
            var item = new DicomDataset();
            sequence.Add(item);
            var itemEncoding = CheckEncoding(encoding, isItem: true, itemEnd);
            ParseElements(item, itemEncoding, itemEnd, depth + 1, topLevel: false);
        }
        if (input.Position > end) throw new DicomParseException("sequence items run past the sequence length", input.Position, tag);
    }

    // PS3.5 A.4: encapsulated pixel data is a Basic Offset Table item, fragment items, then a sequence delimiter.
    private void ParseFragments(DicomDataset dataset, DicomTag tag, DicomVR vr, WireEncoding encoding, long offset)
    {
        var le = encoding.LittleEndian;
        DicomBuffer? offsetTable = null;
        var fragments = new List<DicomBuffer>();
        while (true)
        {
            var itemOffset = input.Position;
            if (!input.Ensure(8)) throw new DicomParseException("input ends inside encapsulated pixel data", itemOffset, tag);
            var itemTag = new DicomTag(input.ReadUInt16(le), input.ReadUInt16(le));
            var length = input.ReadUInt32(le);
            if (itemTag == DicomTag.SequenceDelimitation) break;
            if (itemTag != DicomTag.Item)
                throw new DicomParseException($"expected a fragment item (FFFE,E000) but found {itemTag}", itemOffset, tag);
            if (length == Undefined || length > input.Remaining)
                throw new DicomParseException($"fragment length {length} exceeds the {input.Remaining} bytes left", itemOffset, tag);
            DicomBuffer buffer;
            if (input.Path is not null && length >= options.DeferValuesLongerThan)
            {
                buffer = new FileRangeDicomBuffer(input.Path, input.Position, length, 1);
                input.Skip(length, tag);
            }
            else
            {
                buffer = DicomBuffer.FromBytes(input.ReadBytes(InMemoryLength(length, tag), tag));
            }
            if (offsetTable is null) offsetTable = buffer;
            else fragments.Add(buffer);
        }
        dataset.AddOrUpdate(new DicomFragmentSequence(tag, vr, offsetTable ?? DicomBuffer.Empty, fragments));
    }
}
