using TrialFlow.Core.Trials;

namespace TrialFlow.Core.Imaging;

/// <summary>A series of a de-identified study.</summary>
public sealed class ImagingSeries : ISiteOwned
{
    private readonly List<ImagingInstance> _instances = [];

    private ImagingSeries() { }

    internal ImagingSeries(Guid studyId, Guid siteId, string seriesInstanceUid, string modality, int? seriesNumber, string? description)
    {
        Id = Guid.NewGuid();
        StudyId = studyId;
        SiteId = siteId;
        SeriesInstanceUid = ImagingStudy.Uid(seriesInstanceUid);
        Modality = string.IsNullOrWhiteSpace(modality) ? "OT" : modality.Trim();
        SeriesNumber = seriesNumber;
        Description = description;
    }

    public Guid Id { get; private set; }

    public Guid StudyId { get; private set; }

    public ImagingStudy? Study { get; private set; }

    /// <summary>The study's site, kept here so site scoping needs no join.</summary>
    public Guid SiteId { get; private set; }

    public string SeriesInstanceUid { get; private set; } = "";

    public string Modality { get; private set; } = "";

    public int? SeriesNumber { get; private set; }

    public string? Description { get; private set; }

    public int NumberOfInstances { get; private set; }

    public IReadOnlyList<ImagingInstance> Instances => _instances;

    public ImagingInstance AddInstance(string sopInstanceUid, string sopClassUid, int? instanceNumber, string archiveSha256, long archiveSize, DateTime receivedAt)
    {
        var instance = new ImagingInstance(Id, SiteId, sopInstanceUid, sopClassUid, instanceNumber, archiveSha256, archiveSize, receivedAt);
        _instances.Add(instance);
        // Counted, not recomputed from the collection: intake loads a series without its instances.
        NumberOfInstances++;
        return instance;
    }
}
