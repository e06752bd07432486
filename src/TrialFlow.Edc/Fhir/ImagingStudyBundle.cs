using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using TrialFlow.Core.Imaging;
using FhirImagingStudy = Hl7.Fhir.Model.ImagingStudy;

namespace TrialFlow.Edc.Fhir;

/// <summary>What a FHIR export of one subject's imaging needs.</summary>
/// <param name="WadoRsBase">The DICOMweb root clients retrieve from (e.g. https://trialflow.example/dicomweb).</param>
public sealed record FhirImagingInput(string ProtocolId, string TrialTitle, string SubjectKey, Uri WadoRsBase, IReadOnlyList<Core.Imaging.ImagingStudy> Studies);

/// <summary>
/// Builds a FHIR R4 collection Bundle: the ResearchStudy, the ResearchSubject (pointing at a Patient that carries
/// only the pseudonymous subject key), one Endpoint for WADO-RS, and an ImagingStudy per archived study with its
/// series and instances. ImagingStudy.subject cannot name a ResearchSubject in R4, so each ImagingStudy names the
/// Patient and carries the core <c>workflow-researchStudy</c> extension pointing at the ResearchStudy.
/// </summary>
public static class ImagingStudyBundle
{
    public const string DicomUidSystem = "urn:dicom:uid";
    public const string DicomModalitySystem = "http://dicom.nema.org/resources/ontology/DCM";
    public const string ResearchStudyExtension = "http://hl7.org/fhir/StructureDefinition/workflow-researchStudy";
    public const string SubjectKeySystem = "urn:trialflow:subject-key";
    public const string ProtocolSystem = "urn:trialflow:protocol-id";

    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions { WriteIndented = false }.ForFhir(ModelInfo.ModelInspector);

    public static Bundle Build(FhirImagingInput input)
    {
        var studyUrl = Urn();
        var patientUrl = Urn();
        var subjectUrl = Urn();
        var endpointUrl = Urn();
        var bundle = new Bundle { Type = Bundle.BundleType.Collection, Id = Guid.NewGuid().ToString("N") };

        bundle.Entry.Add(Entry(studyUrl, new ResearchStudy
        {
            Identifier = [new Identifier(ProtocolSystem, input.ProtocolId)],
            Title = input.TrialTitle,
            Status = ResearchStudy.ResearchStudyStatus.Active,
        }));
        bundle.Entry.Add(Entry(patientUrl, new Patient { Identifier = [new Identifier(SubjectKeySystem, input.SubjectKey)] }));
        bundle.Entry.Add(Entry(subjectUrl, new ResearchSubject
        {
            Identifier = [new Identifier(SubjectKeySystem, input.SubjectKey)],
            Status = ResearchSubject.ResearchSubjectStatus.OnStudy,
            Study = new ResourceReference(studyUrl),
            Individual = new ResourceReference(patientUrl),
        }));
        bundle.Entry.Add(Entry(endpointUrl, new Endpoint
        {
            Status = Endpoint.EndpointStatus.Active,
            ConnectionType = new Coding("http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "dicom-wado-rs", "DICOM WADO-RS"),
            Name = "TrialFlow WADO-RS",
            PayloadType = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/endpoint-payload-type", "DICOM", "DICOM")],
            PayloadMimeType = ["application/dicom"],
            Address = input.WadoRsBase.ToString().TrimEnd('/'),
        }));
        foreach (var study in input.Studies)
            bundle.Entry.Add(Entry(Urn(), ImagingStudy(study, patientUrl, studyUrl, endpointUrl)));
        return bundle;
    }

    public static string ToJson(Bundle bundle) => JsonSerializer.Serialize(bundle, Json);

    private static FhirImagingStudy ImagingStudy(Core.Imaging.ImagingStudy study, string patientUrl, string researchStudyUrl, string endpointUrl)
    {
        var series = study.Series.OrderBy(s => s.SeriesNumber ?? int.MaxValue).ThenBy(s => s.SeriesInstanceUid, StringComparer.Ordinal).ToList();
        var fhir = new FhirImagingStudy
        {
            // DICOM in FHIR: the Study Instance UID is an identifier of system urn:dicom:uid with an urn:oid: value.
            Identifier = [new Identifier(DicomUidSystem, $"urn:oid:{study.StudyInstanceUid}")],
            Status = FhirImagingStudy.ImagingStudyStatus.Available,
            Subject = new ResourceReference(patientUrl),
            Modality = series.Select(s => s.Modality).Distinct(StringComparer.Ordinal).Select(m => new Coding(DicomModalitySystem, m)).ToList(),
            NumberOfSeries = series.Count,
            NumberOfInstances = series.Sum(s => s.Instances.Count(i => i.Status == InstanceStatus.Archived)),
            Endpoint = [new ResourceReference(endpointUrl)],
            Description = study.Description,
            Series = series.Select(s => new FhirImagingStudy.SeriesComponent
            {
                Uid = s.SeriesInstanceUid,
                Number = s.SeriesNumber,
                Modality = new Coding(DicomModalitySystem, s.Modality),
                Description = s.Description,
                NumberOfInstances = s.Instances.Count(i => i.Status == InstanceStatus.Archived),
                Instance = s.Instances.Where(i => i.Status == InstanceStatus.Archived).OrderBy(i => i.InstanceNumber ?? int.MaxValue).Select(i => new FhirImagingStudy.InstanceComponent
                {
                    Uid = i.SopInstanceUid,
                    SopClass = new Coding("urn:ietf:rfc:3986", $"urn:oid:{i.SopClassUid}"),
                    Number = i.InstanceNumber,
                }).ToList(),
            }).ToList(),
        };
        fhir.Extension.Add(new Extension(ResearchStudyExtension, new ResourceReference(researchStudyUrl)));
        return fhir;
    }

    private static Bundle.EntryComponent Entry(string fullUrl, Resource resource) => new() { FullUrl = fullUrl, Resource = resource };

    private static string Urn() => $"urn:uuid:{Guid.NewGuid()}";
}
