namespace TrialFlow.Dicom.Network;

/// <summary>A DIMSE status code (PS3.7 Annex C; storage codes PS3.4 B.2.3).</summary>
public readonly record struct DicomStatus(ushort Code)
{
    public static readonly DicomStatus Success = new(0x0000);
    /// <summary>Refused: out of resources (PS3.4 B.2.3).</summary>
    public static readonly DicomStatus OutOfResources = new(0xA700);
    /// <summary>Error: data set does not match SOP class.</summary>
    public static readonly DicomStatus DataSetDoesNotMatchSopClass = new(0xA900);
    /// <summary>Error: cannot understand.</summary>
    public static readonly DicomStatus CannotUnderstand = new(0xC000);
    /// <summary>Failure: SOP class not supported (PS3.7 C.5.7).</summary>
    public static readonly DicomStatus SopClassNotSupported = new(0x0122);
    /// <summary>Failure: processing failure (PS3.7 C.5.5).</summary>
    public static readonly DicomStatus ProcessingFailure = new(0x0110);
    /// <summary>Failure: unrecognized operation (PS3.7 C.5.8).</summary>
    public static readonly DicomStatus UnrecognizedOperation = new(0x0211);
    /// <summary>Failure: duplicate SOP instance (PS3.7 C.5.9).</summary>
    public static readonly DicomStatus DuplicateSopInstance = new(0x0111);

    public bool IsSuccess => Code == 0x0000;

    /// <summary>Warning statuses (PS3.7 C.4 and PS3.4 B.2.3: 0001, Bxxx, 0107, 0116).</summary>
    public bool IsWarning => Code is 0x0001 or 0x0107 or 0x0116 || (Code & 0xF000) == 0xB000;

    public bool IsPending => Code is 0xFF00 or 0xFF01;

    public bool IsFailure => !IsSuccess && !IsWarning && !IsPending && Code != 0xFE00;

    public override string ToString() => $"0x{Code:X4}";
}
