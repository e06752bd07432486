using System.Collections;
using TrialFlow.Dicom.CharacterSets;

namespace TrialFlow.Dicom;

/// <summary>
/// A set of data elements ordered by tag (PS3.5 7). Build it with a collection initializer
/// (<c>new DicomDataset { { DicomTags.PatientID, "P1" } }</c>) and read it with <c>Get/TryGet/GetOrDefault</c>.
/// Text is encoded when it is added, with the Specific Character Set the dataset has at that moment: add
/// (0008,0005) first (it is first in tag order too). Text that set cannot hold moves the whole dataset to UTF-8
/// (<see cref="ConvertToUnicode"/>) instead of failing.
/// </summary>
public sealed class DicomDataset : IEnumerable<DicomItem>
{
    private readonly List<DicomItem> _items = [];
    private DicomCharacterSet? _charset;

    public DicomDataset() { }

    public DicomDataset(params IEnumerable<DicomItem> items)
    {
        foreach (var item in items) AddOrUpdate(item);
    }

    /// <summary>The sequence this dataset is an item of, or null for a top-level dataset.</summary>
    public DicomSequence? Parent { get; internal set; }

    public int Count => _items.Count;

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    /// <summary>The item stored under <paramref name="tag"/>, or null.</summary>
    public DicomItem? this[DicomTag tag] => IndexOf(tag) is var i and >= 0 ? _items[i] : null;

    public bool TryGetItem(DicomTag tag, out DicomItem item)
    {
        var i = IndexOf(tag);
        item = i >= 0 ? _items[i] : null!;
        return i >= 0;
    }

    /// <summary>
    /// The character set that decodes this dataset's text: its own Specific Character Set, or the one of the dataset
    /// holding its sequence (PS3.5 7.5.3: an item may declare its own).
    /// </summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_charset is not null) return _charset;
            if (this[DicomTags.SpecificCharacterSet] is DicomElement e)
                return _charset = DicomCharacterSet.FromTerms(
                    DicomValueCodec.DecodeStrings(DicomVR.CS, e.Buffer.GetBytes().Span, DicomCharacterSet.Default));
            return Parent?.Owner?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    /// <summary>Adds an item; throws if the tag is already present (use <see cref="AddOrUpdate(DicomItem)"/> to replace).</summary>
    public void Add(DicomItem item)
    {
        if (Contains(item.Tag)) throw new DicomValueException($"{item.Tag} is already in the dataset", item.Tag);
        AddOrUpdate(item);
    }

    /// <summary>Adds values with the dictionary VR of <paramref name="tag"/> (collection-initializer friendly).</summary>
    public void Add<T>(DicomTag tag, params T[] values)
    {
        if (Contains(tag)) throw new DicomValueException($"{tag} is already in the dataset", tag);
        AddOrUpdate(tag, values);
    }

    /// <summary>Adds values with an explicit VR.</summary>
    public void Add<T>(DicomTag tag, DicomVR vr, params T[] values)
    {
        if (Contains(tag)) throw new DicomValueException($"{tag} is already in the dataset", tag);
        AddOrUpdate(tag, vr, values);
    }

    /// <summary>Adds or replaces an item.</summary>
    public DicomDataset AddOrUpdate(DicomItem item)
    {
        if (item is DicomSequence seq) seq.Owner = this;
        if (item.Tag == DicomTags.SpecificCharacterSet) _charset = null;
        var count = _items.Count;
        if (count == 0 || _items[count - 1].Tag < item.Tag)
        {
            _items.Add(item); // the common case when reading: tags arrive in ascending order
            return this;
        }
        var i = IndexOf(item.Tag);
        if (i >= 0) _items[i] = item;
        else _items.Insert(~i, item);
        return this;
    }

    /// <summary>Adds or replaces values using the dictionary VR of <paramref name="tag"/>.</summary>
    public DicomDataset AddOrUpdate<T>(DicomTag tag, params T[] values)
    {
        if (typeof(T) == typeof(DicomDataset))
            return AddOrUpdate(new DicomSequence(tag, values.Cast<DicomDataset>()));
        var entry = DicomDictionary.Find(tag);
        if (entry is null || entry.ValueRepresentations.Count == 0)
            throw new DicomValueException($"{tag} is not in the dictionary: give its VR", tag);
        var vr = entry.ValueRepresentation;
        if (entry.IsAmbiguous && values is [not string, ..] && entry.ValueRepresentations.Contains(DicomVR.SS)
            && values.Any(v => v is short or int and < 0)) vr = DicomVR.SS;
        return AddOrUpdate(tag, vr, values);
    }

    /// <summary>Adds or replaces values with an explicit VR.</summary>
    public DicomDataset AddOrUpdate<T>(DicomTag tag, DicomVR vr, params T[] values)
    {
        if (vr == DicomVR.SQ)
            return AddOrUpdate(new DicomSequence(tag, values.OfType<DicomDataset>()));
        if (tag == DicomTags.SpecificCharacterSet)
            return AddOrUpdate(new DicomElement(tag, vr, DicomValueCodec.Encode(tag, vr, values, DicomCharacterSet.Default)));
        byte[] bytes;
        try
        {
            bytes = DicomValueCodec.Encode(tag, vr, values, CharacterSet);
        }
        catch (DicomValueException e) when (e.InnerException is System.Text.EncoderFallbackException && vr.UsesSpecificCharacterSet())
        {
            // The declared repertoire cannot hold the text: move the whole dataset to UTF-8 rather than fail or drop it.
            ConvertToUnicode();
            bytes = DicomValueCodec.Encode(tag, vr, values, CharacterSet);
        }
        return AddOrUpdate(new DicomElement(tag, vr, bytes));
    }

    /// <summary>
    /// Re-encodes every text value of the whole dataset this one belongs to (from its top level down) in UTF-8 and sets
    /// Specific Character Set to <c>ISO_IR 192</c> (PS3.5 6.1.2.3); every value reads the same afterwards. Adding text
    /// the declared character set cannot hold does this by itself.
    /// </summary>
    public void ConvertToUnicode()
    {
        var root = this;
        while (root.Parent?.Owner is { } owner)
            root = owner;
        CharacterSets.UnicodeConversion.Convert(root);
    }

    public bool Remove(DicomTag tag)
    {
        var i = IndexOf(tag);
        if (i < 0) return false;
        _items.RemoveAt(i);
        if (tag == DicomTags.SpecificCharacterSet) _charset = null;
        return true;
    }

    /// <summary>Value <paramref name="index"/> of <paramref name="tag"/> as <typeparamref name="T"/>; throws if missing or not convertible.</summary>
    public T Get<T>(DicomTag tag, int index = 0)
    {
        if (!TryGetItem(tag, out var item)) throw new DicomValueException($"{tag} is not in the dataset", tag);
        if (DicomValueConverter.TryConvert(this, item, index, out T value)) return value;
        throw new DicomValueException($"{tag} value {index} cannot be read as {typeof(T).Name}", tag);
    }

    public bool TryGet<T>(DicomTag tag, out T value) => TryGet(tag, 0, out value);

    public bool TryGet<T>(DicomTag tag, int index, out T value)
    {
        value = default!;
        return TryGetItem(tag, out var item) && DicomValueConverter.TryConvert(this, item, index, out value);
    }

    public T GetOrDefault<T>(DicomTag tag, T defaultValue) => TryGet(tag, 0, out T v) ? v : defaultValue;

    public T GetOrDefault<T>(DicomTag tag, int index, T defaultValue) => TryGet(tag, index, out T v) ? v : defaultValue;

    /// <summary>All values of <paramref name="tag"/> (empty if missing).</summary>
    public T[] GetValues<T>(DicomTag tag)
    {
        if (!TryGetItem(tag, out var item)) return [];
        if (item is DicomElement { VR: var vr } text && vr.IsString())
        {
            // decode the text once, not once per value
            var strings = DicomValueConverter.Strings(this, text);
            var values = new T[strings.Length];
            for (var i = 0; i < strings.Length; i++)
                if (!DicomValueConverter.TryConvertText(vr, strings[i], out values[i]))
                    throw new DicomValueException($"{tag} value {i} cannot be read as {typeof(T).Name}", tag);
            return values;
        }
        var count = GetValueCount(tag);
        var result = new T[count];
        for (var i = 0; i < count; i++)
            if (!DicomValueConverter.TryConvert(this, item, i, out result[i]))
                throw new DicomValueException($"{tag} value {i} cannot be read as {typeof(T).Name}", tag);
        return result;
    }

    /// <summary>The whole value as text (values joined by backslash), or null when missing.</summary>
    public string? GetString(DicomTag tag) =>
        this[tag] is DicomElement e ? string.Join('\\', DicomValueConverter.Strings(this, e)) : null;

    /// <summary>The text values of a string element.</summary>
    public string[] GetStrings(DicomTag tag) => this[tag] is DicomElement e ? DicomValueConverter.Strings(this, e) : [];

    public DicomSequence? GetSequence(DicomTag tag) => this[tag] as DicomSequence;

    /// <summary>Value multiplicity as stored (items for sequences).</summary>
    public int GetValueCount(DicomTag tag) => this[tag] switch
    {
        DicomElement e => DicomValueCodec.CountValues(e, CharacterSet),
        DicomSequence s => s.Items.Count,
        DicomFragmentSequence f => f.Fragments.Count,
        _ => 0,
    };

    /// <summary>The private creator that reserved the block of a private element (PS3.5 7.8.1), or null.</summary>
    public string? GetPrivateCreator(DicomTag tag)
    {
        if (!tag.IsPrivate || tag.Element < 0x1000) return null;
        return GetString(tag.PrivateCreatorTag);
    }

    /// <summary>
    /// Resolves private element <paramref name="elementOffset"/> (0x00-0xFF) of <paramref name="creator"/> in
    /// <paramref name="group"/> to its tag, by finding the creator's block (PS3.5 7.8.1); null if not reserved.
    /// </summary>
    public DicomTag? FindPrivateTag(ushort group, string creator, byte elementOffset)
    {
        for (ushort block = 0x10; block <= 0xFF; block++)
        {
            if (GetString(new DicomTag(group, block)) is { } c && c.Trim() == creator.Trim())
                return new DicomTag(group, (ushort)((block << 8) | elementOffset));
        }
        return null;
    }

    public IEnumerator<DicomItem> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(DicomTag tag)
    {
        int lo = 0, hi = _items.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = _items[mid].Tag.Value.CompareTo(tag.Value);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }
}
