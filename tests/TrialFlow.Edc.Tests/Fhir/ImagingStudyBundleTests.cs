using Hl7.Fhir.Model;
using ImagingStudy = Hl7.Fhir.Model.ImagingStudy;
using Hl7.Fhir.Serialization;
using TrialFlow.Edc.Fhir;

namespace TrialFlow.Edc.Tests.Fhir;

public sealed class ImagingStudyBundleTests
{
    private static Core.Imaging.ImagingStudy Study()
    {
        var study = new Core.Imaging.ImagingStudy(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "1.2.826.0.1.3680043.8.498.1", DateTime.UtcNow);
        var ct = study.AddSeries("1.2.826.0.1.3680043.8.498.1.1", "CT", 2, "Chest");
        ct.AddInstance("1.2.826.0.1.3680043.8.498.1.1.1", "1.2.840.10008.5.1.4.1.1.2", 1, new string('a', 64), 10, DateTime.UtcNow);
        ct.AddInstance("1.2.826.0.1.3680043.8.498.1.1.2", "1.2.840.10008.5.1.4.1.1.2", 2, new string('b', 64), 10, DateTime.UtcNow);
        var pt = study.AddSeries("1.2.826.0.1.3680043.8.498.1.2", "PT", 3, null);
        pt.AddInstance("1.2.826.0.1.3680043.8.498.1.2.1", "1.2.840.10008.5.1.4.1.1.128", 1, new string('c', 64), 10, DateTime.UtcNow);
        study.Recount();
        return study;
    }

    [Fact]
    public void The_bundle_parses_with_the_FHIR_R4_deserializer_and_carries_the_study_series_and_instance_UIDs()
    {
        var json = ImagingStudyBundle.ToJson(ImagingStudyBundle.Build(
            new FhirImagingInput("TF-ONC-301", "Demo trial", "101-001", new Uri("https://trialflow.example/dicomweb"), [Study()])));

        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(json);

        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        var imaging = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<ImagingStudy>());
        Assert.Equal(("urn:dicom:uid", "urn:oid:1.2.826.0.1.3680043.8.498.1"), (imaging.Identifier[0].System, imaging.Identifier[0].Value));
        Assert.Equal((2, 3), (imaging.NumberOfSeries, imaging.NumberOfInstances));
        Assert.Equal(["CT", "PT"], imaging.Modality.Select(m => m.Code));
        Assert.Equal(["1.2.826.0.1.3680043.8.498.1.1", "1.2.826.0.1.3680043.8.498.1.2"], imaging.Series.Select(s => s.Uid));
        Assert.Equal(["1.2.826.0.1.3680043.8.498.1.1.1", "1.2.826.0.1.3680043.8.498.1.1.2"], imaging.Series[0].Instance.Select(i => i.Uid));
        Assert.Equal("urn:oid:1.2.840.10008.5.1.4.1.1.128", imaging.Series[1].Instance[0].SopClass.Code);
    }

    [Fact]
    public void The_imaging_study_links_to_the_subject_the_research_study_and_the_WADO_RS_endpoint()
    {
        var bundle = ImagingStudyBundle.Build(new FhirImagingInput("TF-ONC-301", "Demo trial", "101-001", new Uri("https://trialflow.example/dicomweb/"), [Study()]));
        var byUrl = bundle.Entry.ToDictionary(e => e.FullUrl!, e => e.Resource);
        var imaging = byUrl.Values.OfType<ImagingStudy>().Single();

        var endpoint = Assert.IsType<Endpoint>(byUrl[imaging.Endpoint[0].Reference!]);
        Assert.Equal(("dicom-wado-rs", "https://trialflow.example/dicomweb"), (endpoint.ConnectionType.Code, endpoint.Address));
        var patient = Assert.IsType<Patient>(byUrl[imaging.Subject.Reference!]);
        Assert.Equal("101-001", patient.Identifier[0].Value);
        var researchSubject = byUrl.Values.OfType<ResearchSubject>().Single();
        Assert.Equal(imaging.Subject.Reference, researchSubject.Individual.Reference);
        var researchStudy = Assert.IsType<ResearchStudy>(byUrl[researchSubject.Study.Reference!]);
        Assert.Equal("TF-ONC-301", researchStudy.Identifier[0].Value);
        var link = Assert.IsType<ResourceReference>(imaging.GetExtension(ImagingStudyBundle.ResearchStudyExtension)?.Value);
        Assert.Equal(researchSubject.Study.Reference, link.Reference);
    }
}
