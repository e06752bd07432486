using System.Text;

namespace TrialFlow.Dicom.CharacterSets;

/// <summary>Maps DICOM defined terms and ISO 2022 escape sequences to .NET encodings (PS3.3 Tables C.12-2 to C.12-5).</summary>
internal static class CodePages
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        // The code-page encodings (ISO 8859-x, Shift_JIS, EUC-KR, GB18030 ...) live in a provider that must be registered;
        // registering twice is harmless and Lazy makes it happen once.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return true;
    });

    public static void EnsureRegistered() => _ = Registered.Value;

    public static Encoding Get(int codePage)
    {
        EnsureRegistered();
        return Encoding.GetEncoding(codePage);
    }

    /// <summary>The encoding for a defined term of Specific Character Set, or null if unknown.</summary>
    public static Encoding? ForTerm(string term) => term switch
    {
        "ISO_IR 6" or "ISO 2022 IR 6" => Encoding.Latin1,
        "ISO_IR 100" or "ISO 2022 IR 100" => Encoding.Latin1,
        "ISO_IR 101" or "ISO 2022 IR 101" => Get(28592),
        "ISO_IR 109" or "ISO 2022 IR 109" => Get(28593),
        "ISO_IR 110" or "ISO 2022 IR 110" => Get(28594),
        "ISO_IR 144" or "ISO 2022 IR 144" => Get(28595),
        "ISO_IR 127" or "ISO 2022 IR 127" => Get(28596),
        "ISO_IR 126" or "ISO 2022 IR 126" => Get(28597),
        "ISO_IR 138" or "ISO 2022 IR 138" => Get(28598),
        "ISO_IR 148" or "ISO 2022 IR 148" => Get(28599),
        "ISO_IR 166" or "ISO 2022 IR 166" => Get(874),
        "ISO_IR 13" or "ISO 2022 IR 13" => Get(932),
        "ISO 2022 IR 87" or "ISO 2022 IR 159" => Get(50220),
        "ISO 2022 IR 149" => Get(51949),
        "ISO 2022 IR 58" => Get(936),
        "ISO_IR 192" => Encoding.UTF8,
        "GB18030" => Get(54936),
        "GBK" => Get(936),
        _ => null,
    };

    /// <summary>The single-byte encoding designated by an escape sequence (without ESC), or null.</summary>
    public static Encoding? ForEscape(string code) => code switch
    {
        "(B" => Encoding.Latin1,
        "(J" or ")I" => Get(932),
        "-A" => Encoding.Latin1,
        "-B" => Get(28592),
        "-C" => Get(28593),
        "-D" => Get(28594),
        "-F" => Get(28597),
        "-G" => Get(28596),
        "-H" => Get(28598),
        "-L" => Get(28595),
        "-M" => Get(28599),
        "-T" => Get(874),
        _ => null,
    };
}
