using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace TrialFlow.Edc;

/// <summary>
/// Reads subjects and visits from a CDISC ODM 1.3.2 ClinicalData file: SubjectData/@SubjectKey, SiteRef/@LocationOID,
/// StudyEventData/@StudyEventOID and the visit date item named by the mapping. OIDs the mapping does not know become
/// conflicts (never guessed); a file that is not ODM is refused as a whole.
/// </summary>
public static class OdmClinicalDataReader
{
    public static EdcFileContent Read(Stream odm, string fileName, EdcMapping mapping)
    {
        XDocument document;
        try
        {
            // No DTD processing: an import file is untrusted input (XXE).
            using var reader = XmlReader.Create(odm, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new EdcFileException(fileName, e.LineNumber, $"not well-formed XML: {e.Message}");
        }

        var root = document.Root!;
        if (root.Name != Odm.Ns + "ODM")
            throw new EdcFileException(fileName, 1, $"the root element is <{root.Name.LocalName}> in namespace '{root.Name.NamespaceName}', not ODM in {Odm.Ns}.");

        var enrolments = new List<EdcEnrolment>();
        var conflicts = new List<RegistryConflict>();
        foreach (var clinical in root.Elements(Odm.Ns + "ClinicalData"))
        {
            var studyOid = (string?)clinical.Attribute("StudyOID");
            if (studyOid != mapping.StudyOid)
                throw new EdcFileException(fileName, LineOf(clinical), $"ClinicalData is for study '{studyOid}', the mapping is for '{mapping.StudyOid}'.");
            foreach (var subject in clinical.Elements(Odm.Ns + "SubjectData"))
                if (ReadSubject(subject, fileName, mapping, conflicts) is { } enrolment)
                    enrolments.Add(enrolment);
        }
        return new EdcFileContent(enrolments, conflicts);
    }

    private static EdcEnrolment? ReadSubject(XElement subject, string fileName, EdcMapping mapping, List<RegistryConflict> conflicts)
    {
        var line = LineOf(subject);
        var subjectKey = ((string?)subject.Attribute("SubjectKey"))?.Trim();
        if (string.IsNullOrEmpty(subjectKey))
            throw new EdcFileException(fileName, line, "SubjectData has no SubjectKey.");
        var locationOid = (string?)subject.Element(Odm.Ns + "SiteRef")?.Attribute("LocationOID");
        if (locationOid is null)
        {
            conflicts.Add(new RegistryConflict(RegistryConflictKind.MissingSite, subjectKey, null, $"SubjectData {subjectKey} has no SiteRef: the site is unknown.", line));
            return null;
        }
        var siteNumber = mapping.SiteNumberOf(locationOid);
        if (siteNumber is null)
        {
            conflicts.Add(new RegistryConflict(RegistryConflictKind.UnknownSite, subjectKey, null, $"LocationOID '{locationOid}' is not in the mapping's sites.", line));
            return null;
        }

        var visits = new List<EdcVisit>();
        foreach (var studyEvent in subject.Elements(Odm.Ns + "StudyEventData"))
        {
            var eventOid = (string?)studyEvent.Attribute("StudyEventOID") ?? "";
            var visitKey = mapping.VisitKeyOf(eventOid);
            if (visitKey is null)
            {
                conflicts.Add(new RegistryConflict(RegistryConflictKind.UnknownVisit, subjectKey, eventOid, $"StudyEventOID '{eventOid}' is not in the mapping's visits: it is unknown to the schedule.", LineOf(studyEvent)));
                continue;
            }
            visits.Add(new EdcVisit(visitKey, VisitDate(studyEvent, mapping, fileName)));
        }
        return new EdcEnrolment(subjectKey, siteNumber, visits, line);
    }

    private static DateOnly? VisitDate(XElement studyEvent, EdcMapping mapping, string fileName)
    {
        var item = studyEvent.Elements(Odm.Ns + "FormData").Where(f => (string?)f.Attribute("FormOID") == mapping.VisitDate.FormOid)
            .Elements(Odm.Ns + "ItemGroupData").Where(g => (string?)g.Attribute("ItemGroupOID") == mapping.VisitDate.ItemGroupOid)
            .Elements(Odm.Ns + "ItemData").FirstOrDefault(i => (string?)i.Attribute("ItemOID") == mapping.VisitDate.ItemOid);
        var value = (string?)item?.Attribute("Value");
        if (string.IsNullOrWhiteSpace(value))
            return null;
        // ODM date values are ISO 8601; a partial or time-stamped value keeps its date part.
        var datePart = value.Length >= 10 ? value[..10] : value;
        return DateOnly.TryParseExact(datePart, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new EdcFileException(fileName, LineOf(item!), $"visit date '{value}' ({mapping.VisitDate.ItemOid}) is not an ISO 8601 date.");
    }

    private static int? LineOf(XObject node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : null;
}
