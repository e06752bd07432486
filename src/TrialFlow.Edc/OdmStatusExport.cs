using System.Globalization;
using System.Xml.Linq;

namespace TrialFlow.Edc;

/// <summary>The trial as the ODM GlobalVariables name it.</summary>
public sealed record OdmStudyInfo(string ProtocolId, string Title);

/// <summary>
/// Writes imaging visit status as a CDISC ODM 1.3.2 Snapshot: the Study metadata the mapping defines (so every OID the
/// ClinicalData uses is declared in the same file), AdminData locations for the sites, then per subject a SiteRef and
/// per visit the imaging status form (FormData/ItemGroupData/ItemData). Element order follows ODM1-3-2-foundation.xsd.
/// </summary>
public static class OdmStatusExport
{
    public static XDocument Build(EdcMapping mapping, OdmStudyInfo study, IEnumerable<ImagingVisitStatus> statuses, DateTimeOffset createdAt, string fileOid, bool includeMetadata = true)
    {
        var ns = Odm.Ns;
        var odm = new XElement(ns + "ODM",
            new XAttribute("FileType", "Snapshot"),
            new XAttribute("FileOID", fileOid),
            new XAttribute("CreationDateTime", createdAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)),
            new XAttribute("ODMVersion", Odm.Version),
            new XAttribute("Originator", "TrialFlow"));
        if (includeMetadata)
        {
            odm.Add(Metadata(mapping, study));
            odm.Add(AdminData(mapping));
        }
        odm.Add(ClinicalData(mapping, statuses));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), odm);
    }

    /// <summary>The Study element declaring the visits, the imaging status form and its items.</summary>
    public static XElement Metadata(EdcMapping mapping, OdmStudyInfo study)
    {
        var ns = Odm.Ns;
        var form = mapping.ImagingStatus;
        return new XElement(ns + "Study", new XAttribute("OID", mapping.StudyOid),
            new XElement(ns + "GlobalVariables",
                new XElement(ns + "StudyName", study.ProtocolId),
                new XElement(ns + "StudyDescription", study.Title),
                new XElement(ns + "ProtocolName", study.ProtocolId)),
            new XElement(ns + "MetaDataVersion", new XAttribute("OID", mapping.MetaDataVersionOid), new XAttribute("Name", $"{study.ProtocolId} imaging status"),
                new XElement(ns + "Protocol", mapping.Visits.Keys.Select(oid =>
                    new XElement(ns + "StudyEventRef", new XAttribute("StudyEventOID", oid), new XAttribute("Mandatory", "No")))),
                mapping.Visits.Select(v => new XElement(ns + "StudyEventDef",
                    new XAttribute("OID", v.Key), new XAttribute("Name", v.Value), new XAttribute("Repeating", "No"), new XAttribute("Type", "Scheduled"),
                    new XElement(ns + "FormRef", new XAttribute("FormOID", mapping.VisitDate.FormOid), new XAttribute("Mandatory", "No")),
                    new XElement(ns + "FormRef", new XAttribute("FormOID", form.FormOid), new XAttribute("Mandatory", "No")))),
                new XElement(ns + "FormDef", new XAttribute("OID", mapping.VisitDate.FormOid), new XAttribute("Name", "Subject visit"), new XAttribute("Repeating", "No"),
                    new XElement(ns + "ItemGroupRef", new XAttribute("ItemGroupOID", mapping.VisitDate.ItemGroupOid), new XAttribute("Mandatory", "Yes"))),
                new XElement(ns + "FormDef", new XAttribute("OID", form.FormOid), new XAttribute("Name", "Imaging status"), new XAttribute("Repeating", "No"),
                    new XElement(ns + "ItemGroupRef", new XAttribute("ItemGroupOID", form.ItemGroupOid), new XAttribute("Mandatory", "Yes"))),
                new XElement(ns + "ItemGroupDef", new XAttribute("OID", mapping.VisitDate.ItemGroupOid), new XAttribute("Name", "Subject visit"), new XAttribute("Repeating", "No"),
                    new XElement(ns + "ItemRef", new XAttribute("ItemOID", mapping.VisitDate.ItemOid), new XAttribute("Mandatory", "Yes"))),
                new XElement(ns + "ItemGroupDef", new XAttribute("OID", form.ItemGroupOid), new XAttribute("Name", "Imaging status"), new XAttribute("Repeating", "No"),
                    form.Items.All.Select(i => new XElement(ns + "ItemRef", new XAttribute("ItemOID", i.Oid), new XAttribute("Mandatory", "No")))),
                new XElement(ns + "ItemDef", new XAttribute("OID", mapping.VisitDate.ItemOid), new XAttribute("Name", "Visit date"), new XAttribute("DataType", "date")),
                form.Items.All.Select(i => new XElement(ns + "ItemDef", new XAttribute("OID", i.Oid), new XAttribute("Name", i.Name), new XAttribute("DataType", i.DataType)))));
    }

    private static XElement AdminData(EdcMapping mapping)
    {
        var ns = Odm.Ns;
        return new XElement(ns + "AdminData", new XAttribute("StudyOID", mapping.StudyOid),
            mapping.Sites.Select(s => new XElement(ns + "Location", new XAttribute("OID", s.Key), new XAttribute("Name", $"Site {s.Value}"), new XAttribute("LocationType", "Site"),
                new XElement(ns + "MetaDataVersionRef", new XAttribute("StudyOID", mapping.StudyOid), new XAttribute("MetaDataVersionOID", mapping.MetaDataVersionOid),
                    new XAttribute("EffectiveDate", "2000-01-01")))));
    }

    private static XElement ClinicalData(EdcMapping mapping, IEnumerable<ImagingVisitStatus> statuses)
    {
        var ns = Odm.Ns;
        var clinical = new XElement(ns + "ClinicalData", new XAttribute("StudyOID", mapping.StudyOid), new XAttribute("MetaDataVersionOID", mapping.MetaDataVersionOid));
        foreach (var subject in statuses.GroupBy(s => (s.SubjectKey, s.SiteNumber)))
        {
            var locationOid = mapping.LocationOidOf(subject.Key.SiteNumber)
                ?? throw new EdcMappingException("mapping", $"site {subject.Key.SiteNumber} has no location OID; add it to 'sites' before exporting {subject.Key.SubjectKey}.");
            var subjectData = new XElement(ns + "SubjectData", new XAttribute("SubjectKey", subject.Key.SubjectKey),
                new XElement(ns + "SiteRef", new XAttribute("LocationOID", locationOid)));
            foreach (var visit in subject)
            {
                var eventOid = mapping.StudyEventOidOf(visit.VisitKey)
                    ?? throw new EdcMappingException("mapping", $"visit {visit.VisitKey} has no study event OID; add it to 'visits' before exporting {visit.SubjectKey}.");
                subjectData.Add(new XElement(ns + "StudyEventData", new XAttribute("StudyEventOID", eventOid),
                    new XElement(ns + "FormData", new XAttribute("FormOID", mapping.ImagingStatus.FormOid),
                        new XElement(ns + "ItemGroupData", new XAttribute("ItemGroupOID", mapping.ImagingStatus.ItemGroupOid), Items(mapping.ImagingStatus.Items, visit)))));
            }
            clinical.Add(subjectData);
        }
        return clinical;
    }

    private static IEnumerable<XElement> Items(EdcStatusItems oids, ImagingVisitStatus status)
    {
        XElement Item(string oid, string value) => new(Odm.Ns + "ItemData", new XAttribute("ItemOID", oid), new XAttribute("Value", value));
        if (status.StudyInstanceUid is { } uid)
            yield return Item(oids.StudyInstanceUid, uid);
        yield return Item(oids.Received, status.Received ? "Y" : "N");
        if (status.ReceivedDate is { } received)
            yield return Item(oids.ReceivedDate, received.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (!status.Received)
            yield break;
        yield return Item(oids.QcStatus, status.Qc switch
        {
            QcState.Passed => "PASSED",
            QcState.PassedWithFindings => "PASSED WITH FINDINGS",
            QcState.Failed => "FAILED",
            _ => "NOT DONE",
        });
        if (status.OpenQueries is { } open)
            yield return Item(oids.OpenQueries, open.ToString(CultureInfo.InvariantCulture));
        if (status.Read is { } read)
            yield return Item(oids.Read, read switch { ReadState.Read => "READ", ReadState.InProgress => "IN PROGRESS", _ => "NOT READ" });
        if (status.Adjudication is { } adjudication)
            yield return Item(oids.Adjudicated, adjudication switch { AdjudicationState.Done => "DONE", AdjudicationState.Pending => "PENDING", _ => "NOT REQUIRED" });
        if (status.OverallResponse is { } response)
            yield return Item(oids.OverallResponse, response);
    }
}
