using System.Text;

namespace TrialFlow.Edc.Tests.Edc;

/// <summary>ODM 1.3.2 ClinicalData files as an EDC writes them, built from (subject, location, [(event, date)]).</summary>
internal static class OdmFiles
{
    public static MemoryStream ClinicalData(params (string Subject, string Location, (string Event, string? Date)[] Events)[] subjects)
    {
        var xml = new StringBuilder();
        xml.AppendLine("""<?xml version="1.0" encoding="UTF-8"?>""");
        xml.AppendLine("""<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" ODMVersion="1.3.2" FileType="Snapshot" FileOID="EDC.EXPORT.1" CreationDateTime="2026-06-01T08:00:00+00:00">""");
        xml.AppendLine("""  <ClinicalData StudyOID="ST.TF-ONC-301" MetaDataVersionOID="MDV.TF-ONC-301.1">""");
        foreach (var (subject, location, events) in subjects)
        {
            xml.AppendLine($"""    <SubjectData SubjectKey="{subject}">""");
            xml.AppendLine($"""      <SiteRef LocationOID="{location}"/>""");
            foreach (var (oid, date) in events)
            {
                xml.AppendLine($"""      <StudyEventData StudyEventOID="{oid}">""");
                if (date is not null)
                    xml.AppendLine($"""        <FormData FormOID="F.SV"><ItemGroupData ItemGroupOID="IG.SV"><ItemData ItemOID="IT.SV.SVSTDTC" Value="{date}"/></ItemGroupData></FormData>""");
                xml.AppendLine("      </StudyEventData>");
            }
            xml.AppendLine("    </SubjectData>");
        }
        xml.AppendLine("  </ClinicalData>");
        xml.AppendLine("</ODM>");
        return new MemoryStream(Encoding.UTF8.GetBytes(xml.ToString()));
    }
}
