using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrialFlow.Edc;

/// <summary>
/// How one trial's EDC names our records in CDISC ODM: its study and metadata version OIDs, a location OID per site
/// number, a study event OID per visit key, where the visit date sits, and the item OIDs of the imaging status form.
/// Loaded from <c>templates/edc/*.json</c>; every OID an import reads or an export writes must be listed here.
/// </summary>
public sealed record EdcMapping
{
    public required string StudyOid { get; init; }

    public required string MetaDataVersionOid { get; init; }

    /// <summary>ODM LocationOID (SiteRef) → our site number.</summary>
    public required IReadOnlyDictionary<string, string> Sites { get; init; }

    /// <summary>ODM StudyEventOID → our visit key.</summary>
    public required IReadOnlyDictionary<string, string> Visits { get; init; }

    /// <summary>Where the EDC records the date a visit took place (an ItemData inside the study event).</summary>
    public required EdcItemLocation VisitDate { get; init; }

    public required EdcStatusForm ImagingStatus { get; init; }

    public string? SiteNumberOf(string locationOid) => Sites.TryGetValue(locationOid, out var n) ? n : null;

    public string? VisitKeyOf(string studyEventOid) => Visits.TryGetValue(studyEventOid, out var k) ? k : null;

    public string? LocationOidOf(string siteNumber) => Sites.FirstOrDefault(s => s.Value == siteNumber).Key;

    public string? StudyEventOidOf(string visitKey) => Visits.FirstOrDefault(v => v.Value == visitKey).Key;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public static EdcMapping Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Parse(stream, path);
        }
        catch (JsonException e)
        {
            throw new EdcMappingException(path, $"not valid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
    }

    public static EdcMapping Parse(Stream json, string source)
    {
        var mapping = JsonSerializer.Deserialize<EdcMapping>(json, Json) ?? throw new EdcMappingException(source, "the file is empty.");
        mapping.Validate(source);
        return mapping;
    }

    private void Validate(string source)
    {
        var oids = new List<string> { StudyOid, MetaDataVersionOid, VisitDate.FormOid, VisitDate.ItemGroupOid, VisitDate.ItemOid, ImagingStatus.FormOid, ImagingStatus.ItemGroupOid };
        oids.AddRange(Sites.Keys);
        oids.AddRange(Visits.Keys);
        oids.AddRange(ImagingStatus.Items.All.Select(i => i.Oid));
        if (oids.FirstOrDefault(o => string.IsNullOrWhiteSpace(o) || o.Any(char.IsWhiteSpace)) is { } bad)
            throw new EdcMappingException(source, $"'{bad}' is not an OID (empty or contains white space).");
        if (Sites.Values.GroupBy(v => v).FirstOrDefault(g => g.Count() > 1) is { } site)
            throw new EdcMappingException(source, $"site {site.Key} has more than one location OID.");
        if (Visits.Values.GroupBy(v => v).FirstOrDefault(g => g.Count() > 1) is { } visit)
            throw new EdcMappingException(source, $"visit {visit.Key} has more than one study event OID.");
        if (ImagingStatus.Items.All.GroupBy(i => i.Oid).FirstOrDefault(g => g.Count() > 1) is { } item)
            throw new EdcMappingException(source, $"item OID {item.Key} is used for more than one status item.");
    }
}

/// <summary>The form, item group and item that hold one value in ODM.</summary>
public sealed record EdcItemLocation(string FormOid, string ItemGroupOid, string ItemOid);

/// <summary>The imaging status form the export fills per subject and visit.</summary>
public sealed record EdcStatusForm(string FormOid, string ItemGroupOid, EdcStatusItems Items);

/// <summary>The item OIDs of the imaging status form, one per status the EDC receives.</summary>
public sealed record EdcStatusItems(
    string StudyInstanceUid,
    string Received,
    string ReceivedDate,
    string QcStatus,
    string OpenQueries,
    string Read,
    string Adjudicated,
    string OverallResponse)
{
    /// <summary>Every item with its ODM DataType, in the order the form lists them.</summary>
    public IReadOnlyList<(string Name, string Oid, string DataType)> All =>
    [
        (nameof(StudyInstanceUid), StudyInstanceUid, "text"),
        (nameof(Received), Received, "text"),
        (nameof(ReceivedDate), ReceivedDate, "date"),
        (nameof(QcStatus), QcStatus, "text"),
        (nameof(OpenQueries), OpenQueries, "integer"),
        (nameof(Read), Read, "text"),
        (nameof(Adjudicated), Adjudicated, "text"),
        (nameof(OverallResponse), OverallResponse, "text"),
    ];
}
