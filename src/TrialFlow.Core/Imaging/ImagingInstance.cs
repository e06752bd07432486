using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Imaging;

/// <summary>One archived, de-identified DICOM object, stored content-addressed by its SHA-256.</summary>
public sealed class ImagingInstance : ISiteOwned
{
    private ImagingInstance() { }

    internal ImagingInstance(Guid seriesId, Guid siteId, string sopInstanceUid, string sopClassUid, int? instanceNumber, string archiveSha256, long archiveSize, DateTime receivedAt)
    {
        if (archiveSha256.Length != 64 || !archiveSha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException("The archive hash must be a lower-case hex SHA-256.", nameof(archiveSha256));
        ArgumentOutOfRangeException.ThrowIfNegative(archiveSize);
        Id = Guid.NewGuid();
        SeriesId = seriesId;
        SiteId = siteId;
        SopInstanceUid = ImagingStudy.Uid(sopInstanceUid);
        SopClassUid = ImagingStudy.Uid(sopClassUid);
        InstanceNumber = instanceNumber;
        ArchiveSha256 = archiveSha256;
        ArchiveSize = archiveSize;
        ReceivedAt = receivedAt;
        Status = InstanceStatus.Archived;
    }

    public Guid Id { get; private set; }

    public Guid SeriesId { get; private set; }

    public ImagingSeries? Series { get; private set; }

    public Guid SiteId { get; private set; }

    public string SopInstanceUid { get; private set; } = "";

    public string SopClassUid { get; private set; } = "";

    public int? InstanceNumber { get; private set; }

    /// <summary>SHA-256 (lower-case hex) of the archived object; also its address in the archive.</summary>
    public string ArchiveSha256 { get; private set; } = "";

    public long ArchiveSize { get; private set; }

    public DateTime ReceivedAt { get; private set; }

    public InstanceStatus Status { get; private set; }

    /// <summary>A newer object replaced this one (e.g. a corrected resend); the archived bytes stay.</summary>
    public void MarkSuperseded() => Status = InstanceStatus.Superseded;
}

public enum InstanceStatus
{
    Archived,
    Superseded,
}
