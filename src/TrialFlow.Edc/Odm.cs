using System.Xml.Linq;

namespace TrialFlow.Edc;

/// <summary>Names of CDISC ODM 1.3.2.</summary>
public static class Odm
{
    public static readonly XNamespace Ns = "http://www.cdisc.org/ns/odm/v1.3";

    public const string Version = "1.3.2";
}
