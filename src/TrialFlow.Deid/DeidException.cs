using TrialFlow.Dicom;

namespace TrialFlow.Deid;

/// <summary>Base of every error raised by de-identification: profiles that do not load, inputs that cannot be de-identified.</summary>
public abstract class DeidException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A profile file that does not load: names the file, the line (1-based, 0 when unknown) and the reason.</summary>
public sealed class DeidProfileException : DeidException
{
    public DeidProfileException(string file, int line, string reason, Exception? inner = null)
        : base(line > 0 ? $"{file}:{line}: {reason}" : $"{file}: {reason}", inner)
    {
        File = file;
        Line = line;
        Reason = reason;
    }

    public string File { get; }

    public int Line { get; }

    public string Reason { get; }
}

/// <summary>An instance that cannot be de-identified as asked (e.g. a UID the pseudonym map was not given); names the tag.</summary>
public sealed class DeidInputException(string reason, DicomTag? tag = null, Exception? inner = null)
    : DeidException(tag is { } t ? $"{reason} (tag {t})" : reason, inner)
{
    public string Reason { get; } = reason;

    public DicomTag? Tag { get; } = tag;
}
