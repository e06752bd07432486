namespace TrialFlow.Core.Trials;

/// <summary>
/// What a DICOM object says about the scanner that made it: Modality, Manufacturer (0008,0070), Manufacturer's Model
/// Name (0008,1090), Station Name (0008,1010), Device Serial Number (0018,1000) and Software Versions (0018,1020).
/// Read from the object as the site sent it, before de-identification removes station and serial number.
/// </summary>
public sealed record ScannerIdentity(string Modality, string? Manufacturer, string? Model, string? StationName, string? DeviceSerialNumber, string? SoftwareVersions)
{
    /// <summary>"Manufacturer Model", the form QC's Series facts carry (<c>s.Scanner</c>).</summary>
    public string Label => $"{Manufacturer} {Model}".Trim();

    /// <summary>Whether the object names its scanner at all (manufacturer and model).</summary>
    public bool IsNamed => !string.IsNullOrWhiteSpace(Manufacturer) && !string.IsNullOrWhiteSpace(Model);

    public override string ToString() =>
        $"{Modality} {(Label.Length == 0 ? "(scanner not named)" : Label)}"
        + (StationName is null ? "" : $", station {StationName}")
        + (DeviceSerialNumber is null ? "" : $", serial {DeviceSerialNumber}");
}
