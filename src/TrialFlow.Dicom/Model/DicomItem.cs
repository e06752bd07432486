namespace TrialFlow.Dicom;

/// <summary>Anything stored under a tag in a <see cref="DicomDataset"/>: a value element, a sequence or encapsulated pixel data.</summary>
public abstract class DicomItem(DicomTag tag, DicomVR vr)
{
    public DicomTag Tag { get; } = tag;

    public DicomVR VR { get; } = vr;

    public override string ToString() => $"{Tag} {VR.Code()}";
}

/// <summary>An element with a value held as little-endian bytes (PS3.5 7.1).</summary>
public sealed class DicomElement(DicomTag tag, DicomVR vr, DicomBuffer buffer) : DicomItem(tag, vr)
{
    public DicomElement(DicomTag tag, DicomVR vr, byte[] bytes) : this(tag, vr, DicomBuffer.FromBytes(bytes)) { }

    /// <summary>The value bytes (little-endian, including any padding byte).</summary>
    public DicomBuffer Buffer { get; } = buffer;

    public long Length => Buffer.Length;

    public bool IsEmpty => Buffer.Length == 0;
}

/// <summary>A sequence of items (PS3.5 7.5), each a nested dataset.</summary>
public sealed class DicomSequence : DicomItem
{
    private readonly List<DicomDataset> _items = [];

    public DicomSequence(DicomTag tag, params IEnumerable<DicomDataset> items) : base(tag, DicomVR.SQ)
    {
        foreach (var item in items) Add(item);
    }

    public IReadOnlyList<DicomDataset> Items => _items;

    /// <summary>The dataset that holds this sequence, set when the sequence is added to a dataset.</summary>
    public DicomDataset? Owner { get; internal set; }

    public void Add(DicomDataset item)
    {
        item.Parent = this;
        _items.Add(item);
    }
}

/// <summary>Encapsulated pixel data (PS3.5 A.4): a Basic Offset Table item followed by fragment items.</summary>
public sealed class DicomFragmentSequence(DicomTag tag, DicomVR vr, DicomBuffer offsetTable, IReadOnlyList<DicomBuffer> fragments)
    : DicomItem(tag, vr)
{
    /// <summary>The Basic Offset Table item's value (often empty).</summary>
    public DicomBuffer OffsetTable { get; } = offsetTable;

    /// <summary>The fragments, in file order, each kept as it was read.</summary>
    public IReadOnlyList<DicomBuffer> Fragments { get; } = fragments;

    /// <summary>Offsets from the Basic Offset Table (relative to the first byte of the first fragment item).</summary>
    public IReadOnlyList<uint> GetBasicOffsets()
    {
        var bytes = OffsetTable.GetBytes().Span;
        var result = new uint[bytes.Length / 4];
        for (var i = 0; i < result.Length; i++)
            result[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * 4)..]);
        return result;
    }
}
