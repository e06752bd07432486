using System.Xml;
using System.Xml.Linq;

namespace TrialFlow.Edc;

/// <summary>
/// Checks an ODM 1.3.2 file against the rules we can check without the XSD files: each element's children in the
/// order and number ODM1-3-2-foundation.xsd allows (for the elements TrialFlow reads and writes), required attributes,
/// and that every OID the ClinicalData references is declared — StudyEventOID, FormOID, ItemGroupOID and ItemOID in
/// the MetaDataVersion (and under the parent that must reference it), LocationOID in AdminData.
/// </summary>
public static class OdmStructureValidator
{
    private sealed record Particle(string Name, int Min, int Max);

    private const int Many = int.MaxValue;

    private static Particle Opt(string name) => new(name, 0, 1);
    private static Particle One(string name) => new(name, 1, 1);
    private static Particle Any(string name) => new(name, 0, Many);
    private static Particle Some(string name) => new(name, 1, Many);

    // Content models of ODM1-3-2-foundation.xsd, in schema order (ds:Signature is in another namespace and not modelled).
    private static readonly Dictionary<string, Particle[]> Content = new()
    {
        ["ODM"] = [Any("Study"), Any("AdminData"), Any("ReferenceData"), Any("ClinicalData"), Any("Association")],
        ["Study"] = [One("GlobalVariables"), Opt("BasicDefinitions"), Any("MetaDataVersion")],
        ["GlobalVariables"] = [One("StudyName"), One("StudyDescription"), One("ProtocolName")],
        ["MetaDataVersion"] = [Opt("Include"), Opt("Protocol"), Any("StudyEventDef"), Any("FormDef"), Any("ItemGroupDef"), Any("ItemDef"), Any("CodeList"),
            Any("ImputationMethod"), Any("Presentation"), Any("ConditionDef"), Any("MethodDef")],
        ["Protocol"] = [Opt("Description"), Any("StudyEventRef")],
        ["StudyEventDef"] = [Opt("Description"), Any("FormRef"), Any("Alias")],
        ["FormDef"] = [Opt("Description"), Any("ItemGroupRef"), Any("ArchiveLayout"), Any("Alias")],
        ["ItemGroupDef"] = [Opt("Description"), Any("ItemRef"), Any("Alias")],
        ["ItemDef"] = [Opt("Description"), Opt("Question"), Opt("ExternalQuestion"), Any("MeasurementUnitRef"), Any("RangeCheck"), Opt("CodeListRef"), Any("Role"), Any("Alias")],
        ["StudyEventRef"] = [],
        ["FormRef"] = [],
        ["ItemGroupRef"] = [],
        ["ItemRef"] = [],
        ["AdminData"] = [Any("User"), Any("Location"), Any("SignatureDef")],
        ["Location"] = [Some("MetaDataVersionRef")],
        ["MetaDataVersionRef"] = [],
        ["ClinicalData"] = [Any("SubjectData"), Opt("AuditRecords"), Opt("Signatures"), Opt("Annotations")],
        ["SubjectData"] = [Opt("AuditRecord"), Opt("Signature"), Opt("InvestigatorRef"), Opt("SiteRef"), Any("Annotation"), Any("StudyEventData")],
        ["SiteRef"] = [],
        ["StudyEventData"] = [Opt("AuditRecord"), Opt("Signature"), Any("Annotation"), Any("FormData")],
        ["FormData"] = [Opt("AuditRecord"), Opt("Signature"), Opt("ArchiveLayoutRef"), Any("Annotation"), Any("ItemGroupData")],
        ["ItemGroupData"] = [Opt("AuditRecord"), Opt("Signature"), Any("Annotation"), Any("ItemData")],
        ["ItemData"] = [Opt("AuditRecord"), Opt("Signature"), Opt("MeasurementUnitRef"), Any("Annotation")],
    };

    private static readonly Dictionary<string, string[]> RequiredAttributes = new()
    {
        ["ODM"] = ["FileType", "FileOID", "CreationDateTime"],
        ["Study"] = ["OID"],
        ["MetaDataVersion"] = ["OID", "Name"],
        ["StudyEventDef"] = ["OID", "Name", "Repeating", "Type"],
        ["FormDef"] = ["OID", "Name", "Repeating"],
        ["ItemGroupDef"] = ["OID", "Name", "Repeating"],
        ["ItemDef"] = ["OID", "Name", "DataType"],
        ["StudyEventRef"] = ["StudyEventOID", "Mandatory"],
        ["FormRef"] = ["FormOID", "Mandatory"],
        ["ItemGroupRef"] = ["ItemGroupOID", "Mandatory"],
        ["ItemRef"] = ["ItemOID", "Mandatory"],
        ["Location"] = ["OID", "Name"],
        ["MetaDataVersionRef"] = ["StudyOID", "MetaDataVersionOID", "EffectiveDate"],
        ["ClinicalData"] = ["StudyOID", "MetaDataVersionOID"],
        ["SubjectData"] = ["SubjectKey"],
        ["SiteRef"] = ["LocationOID"],
        ["StudyEventData"] = ["StudyEventOID"],
        ["FormData"] = ["FormOID"],
        ["ItemGroupData"] = ["ItemGroupOID"],
        ["ItemData"] = ["ItemOID"],
    };

    /// <summary>
    /// The problems found, each with its line; empty when the file passes. <paramref name="externalStudy"/> declares the
    /// metadata (and <paramref name="externalAdminData"/> the locations) when the file carries ClinicalData only.
    /// </summary>
    public static IReadOnlyList<string> Validate(XDocument document, XElement? externalStudy = null, XElement? externalAdminData = null)
    {
        var problems = new List<string>();
        var root = document.Root;
        if (root is null || root.Name != Odm.Ns + "ODM")
            return [$"the root element must be ODM in namespace {Odm.Ns}."];
        if ((string?)root.Attribute("FileType") is { } fileType && fileType is not ("Snapshot" or "Transactional"))
            problems.Add($"{Where(root)}ODM/@FileType is '{fileType}'; ODM allows Snapshot or Transactional.");
        CheckStructure(root, problems);
        CheckReferences(root, externalStudy, externalAdminData, problems);
        return problems;
    }

    private static void CheckStructure(XElement element, List<string> problems)
    {
        var name = element.Name.LocalName;
        if (element.Name.Namespace != Odm.Ns)
            return;
        foreach (var attribute in RequiredAttributes.GetValueOrDefault(name, []))
            if (string.IsNullOrEmpty((string?)element.Attribute(attribute)))
                problems.Add($"{Where(element)}<{name}> lacks the required attribute {attribute}.");
        if (!Content.TryGetValue(name, out var particles))
            return;

        var children = element.Elements().Where(e => e.Name.Namespace == Odm.Ns).ToList();
        var next = 0;
        foreach (var particle in particles)
        {
            var count = 0;
            while (next < children.Count && children[next].Name.LocalName == particle.Name && count < particle.Max)
            {
                count++;
                next++;
            }
            if (count < particle.Min)
                problems.Add($"{Where(element)}<{name}> needs {particle.Name}{(particle.Min > 1 ? $" ×{particle.Min}" : "")} at this position.");
        }
        if (next < children.Count)
        {
            var stray = children[next];
            problems.Add(particles.Any(p => p.Name == stray.Name.LocalName)
                ? $"{Where(stray)}<{stray.Name.LocalName}> is out of order (or repeated) in <{name}>; the schema order is {string.Join(", ", particles.Select(p => p.Name))}."
                : $"{Where(stray)}<{stray.Name.LocalName}> is not allowed in <{name}>.");
        }
        foreach (var child in children)
            CheckStructure(child, problems);
    }

    private static void CheckReferences(XElement root, XElement? externalStudy, XElement? externalAdminData, List<string> problems)
    {
        var ns = Odm.Ns;
        var studies = root.Elements(ns + "Study").Concat(externalStudy is null ? [] : [externalStudy]).ToList();
        var locations = root.Elements(ns + "AdminData").Concat(externalAdminData is null ? [] : [externalAdminData])
            .Elements(ns + "Location").Select(l => (string?)l.Attribute("OID")).ToHashSet();

        foreach (var clinical in root.Elements(ns + "ClinicalData"))
        {
            var studyOid = (string?)clinical.Attribute("StudyOID");
            var mdvOid = (string?)clinical.Attribute("MetaDataVersionOID");
            var mdv = studies.Where(s => (string?)s.Attribute("OID") == studyOid).Elements(ns + "MetaDataVersion")
                .FirstOrDefault(m => (string?)m.Attribute("OID") == mdvOid);
            if (mdv is null)
            {
                problems.Add($"{Where(clinical)}ClinicalData refers to Study '{studyOid}' MetaDataVersion '{mdvOid}', which is not declared.");
                continue;
            }
            var defs = new Dictionary<string, Dictionary<string, XElement>>
            {
                ["StudyEventDef"] = Defs(mdv, "StudyEventDef"),
                ["FormDef"] = Defs(mdv, "FormDef"),
                ["ItemGroupDef"] = Defs(mdv, "ItemGroupDef"),
                ["ItemDef"] = Defs(mdv, "ItemDef"),
            };
            foreach (var siteRef in clinical.Descendants(ns + "SiteRef"))
                if (!locations.Contains((string?)siteRef.Attribute("LocationOID")))
                    problems.Add($"{Where(siteRef)}SiteRef LocationOID '{(string?)siteRef.Attribute("LocationOID")}' is not a declared Location.");
            foreach (var studyEvent in clinical.Descendants(ns + "StudyEventData"))
            {
                var eventDef = Resolve(studyEvent, "StudyEventOID", defs["StudyEventDef"], null, "FormRef", problems);
                foreach (var form in studyEvent.Elements(ns + "FormData"))
                {
                    var formDef = Resolve(form, "FormOID", defs["FormDef"], eventDef, "FormRef", problems);
                    foreach (var group in form.Elements(ns + "ItemGroupData"))
                    {
                        var groupDef = Resolve(group, "ItemGroupOID", defs["ItemGroupDef"], formDef, "ItemGroupRef", problems);
                        foreach (var item in group.Elements(ns + "ItemData"))
                            Resolve(item, "ItemOID", defs["ItemDef"], groupDef, "ItemRef", problems);
                    }
                }
            }
        }
    }

    private static Dictionary<string, XElement> Defs(XElement mdv, string name)
    {
        var defs = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var def in mdv.Elements(Odm.Ns + name))
            defs.TryAdd((string?)def.Attribute("OID") ?? "", def);
        return defs;
    }

    /// <summary>Finds the definition an OID names and checks the parent's definition references it.</summary>
    private static XElement? Resolve(XElement data, string oidAttribute, Dictionary<string, XElement> defs, XElement? parentDef, string refElement, List<string> problems)
    {
        var oid = (string?)data.Attribute(oidAttribute) ?? "";
        if (!defs.TryGetValue(oid, out var def))
        {
            problems.Add($"{Where(data)}{data.Name.LocalName} {oidAttribute} '{oid}' is not declared in the MetaDataVersion.");
            return null;
        }
        if (parentDef is not null && !parentDef.Elements(Odm.Ns + refElement).Any(r => (string?)r.Attribute(oidAttribute) == oid))
            problems.Add($"{Where(data)}{data.Name.LocalName} '{oid}' is not referenced by {parentDef.Name.LocalName} '{(string?)parentDef.Attribute("OID")}' ({refElement}).");
        return def;
    }

    private static string Where(XObject node) => node is IXmlLineInfo info && info.HasLineInfo() ? $"line {info.LineNumber}: " : "";
}
