namespace TrialFlow.Qc.Facts;

// The closed set of facts a QC rule can see. Classes, not records: NRules identifies facts by Equals, and two
// series with equal values must stay two facts. Every public property is a field rules may name; the
// FactCatalog reads them, so adding a property here is how a field becomes available to rulesets.

/// <summary>The de-identified study under QC.</summary>
public sealed class StudyFact
{
    public string Uid { get; init; } = "";

    public string? Description { get; init; }

    /// <summary>Modalities in the study, e.g. "CT" or "CT\PT".</summary>
    public string Modalities { get; init; } = "";

    public int SeriesCount { get; init; }

    public int Images { get; init; }

    /// <summary>Days from the subject's baseline visit to the scan, captured at intake before dates were shifted.</summary>
    public int? StudyDay { get; init; }
}

/// <summary>One series with the acquisition attributes QC checks, read from its archived instances.</summary>
public sealed class SeriesFact
{
    public string Uid { get; init; } = "";

    public int? Number { get; init; }

    public string? Description { get; init; }

    public string Modality { get; init; } = "";

    public string? BodyPart { get; init; }

    /// <summary>Image Type (0008,0008) values joined by backslash, e.g. ORIGINAL\PRIMARY\AXIAL.</summary>
    public string? ImageType { get; init; }

    /// <summary>A localizer (scout, topogram): excluded from reconstruction checks by the default rules.</summary>
    public bool IsLocalizer { get; init; }

    public int Images { get; init; }

    /// <summary>Slice Thickness (0018,0050) in mm: the largest value among the series' images.</summary>
    public double? SliceThickness { get; init; }

    /// <summary>The larger of the two Pixel Spacing (0028,0030) values, in mm.</summary>
    public double? PixelSpacing { get; init; }

    public int? Rows { get; init; }

    public int? Columns { get; init; }

    /// <summary>KVP (0018,0060).</summary>
    public double? Kvp { get; init; }

    /// <summary>Contrast/Bolus Agent (0018,0010); absent for an unenhanced series.</summary>
    public string? ContrastAgent { get; init; }

    /// <summary>Seconds from Contrast/Bolus Start Time (0018,1042) to the series' first Acquisition Time (0008,0032).</summary>
    public double? ContrastDelaySeconds { get; init; }

    public string? Manufacturer { get; init; }

    public string? Model { get; init; }

    /// <summary>"Manufacturer Model", the way protocols list qualified scanners.</summary>
    public string? Scanner { get; init; }

    /// <summary>Extent along the patient's z axis covered by the images, in mm (from Image Position (Patient)).</summary>
    public double? CoverageMm { get; init; }
}

/// <summary>One image's header values, for rules that look at images one by one.</summary>
public sealed class InstanceFact
{
    public string SeriesUid { get; init; } = "";

    public int? SeriesNumber { get; init; }

    public int? Number { get; init; }

    public double? SliceThickness { get; init; }

    public double? SliceLocation { get; init; }
}

/// <summary>An attribute the protocol makes mandatory that is absent or empty in images of a series.</summary>
public sealed class MissingAttributeFact
{
    public string SeriesUid { get; init; } = "";

    public int? SeriesNumber { get; init; }

    public string? SeriesDescription { get; init; }

    /// <summary>DICOM keyword, e.g. SliceThickness.</summary>
    public string Keyword { get; init; } = "";

    /// <summary>The tag as (gggg,eeee).</summary>
    public string Tag { get; init; } = "";

    /// <summary>How many of the series' images lack it.</summary>
    public int Images { get; init; }
}

/// <summary>The visit the study was matched to, with its window in study days.</summary>
public sealed class VisitFact
{
    public string Key { get; init; } = "";

    public string Name { get; init; } = "";

    public int NominalDay { get; init; }

    public int WindowStartDay { get; init; }

    public int WindowEndDay { get; init; }
}

/// <summary>The site that sent the study.</summary>
public sealed class SiteFact
{
    public string Number { get; init; } = "";

    public string Name { get; init; } = "";

    public string Country { get; init; } = "";

    /// <summary>Scanners ("Manufacturer Model") qualified for the trial at this site; empty when the protocol lists none.</summary>
    public IReadOnlyList<string> QualifiedScanners { get; init; } = [];
}

/// <summary>One acquisition requirement of the protocol that applies to the study's visit.</summary>
public sealed class ProtocolFact
{
    /// <summary>Requirement id within the protocol file, e.g. ct-chest-abdomen-pelvis.</summary>
    public string Requirement { get; init; } = "";

    public string Protocol { get; init; } = "";

    /// <summary>The modality the requirement applies to.</summary>
    public string Modality { get; init; } = "";

    public double? SliceThicknessMin { get; init; }

    public double? SliceThicknessMax { get; init; }

    public double? KvpMin { get; init; }

    public double? KvpMax { get; init; }

    public double? PixelSpacingMin { get; init; }

    public double? PixelSpacingMax { get; init; }

    /// <summary>Smallest acceptable Rows and Columns.</summary>
    public int? MatrixMin { get; init; }

    /// <summary>Body Part Examined values accepted; empty accepts any.</summary>
    public IReadOnlyList<string> BodyParts { get; init; } = [];

    public double? CoverageMinMm { get; init; }

    public bool ContrastRequired { get; init; }

    public double? ContrastDelayMin { get; init; }

    public double? ContrastDelayMax { get; init; }

    /// <summary>Regular expression on Series Description naming the series the contrast timing applies to.</summary>
    public string ContrastSeries { get; init; } = ".*";
}

/// <summary>A series the protocol requires at the study's visit.</summary>
public sealed class RequiredSeriesFact
{
    public string Requirement { get; init; } = "";

    public string Name { get; init; } = "";

    public string Modality { get; init; } = "";

    /// <summary>Regular expression a matching Series Description must match.</summary>
    public string Description { get; init; } = ".*";

    public int MinImages { get; init; } = 1;
}
