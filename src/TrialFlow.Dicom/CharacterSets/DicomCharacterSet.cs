using System.Text;

namespace TrialFlow.Dicom.CharacterSets;

/// <summary>
/// Decodes and encodes text values under a Specific Character Set (0008,0005) (PS3.3 C.12.1.1.2, PS3.5 6.1),
/// including ISO 2022 code extensions switched by escape sequences.
/// </summary>
public sealed class DicomCharacterSet
{
    private const byte Esc = 0x1B;

    static DicomCharacterSet() => CodePages.EnsureRegistered();

    private readonly Encoding _first;

    private DicomCharacterSet(IReadOnlyList<string> terms, Encoding first, bool usesCodeExtensions, IReadOnlyList<string> warnings)
    {
        Terms = terms;
        _first = first;
        UsesCodeExtensions = usesCodeExtensions;
        Warnings = warnings;
    }

    /// <summary>The default repertoire (no Specific Character Set). Decodes like ISO-IR 100 for robustness.</summary>
    public static DicomCharacterSet Default { get; } = new([], Encoding.Latin1, false, []);

    /// <summary>The defined terms this set was built from, e.g. ["ISO 2022 IR 6", "ISO 2022 IR 87"].</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>True when values may switch code elements with escape sequences.</summary>
    public bool UsesCodeExtensions { get; }

    /// <summary>Unknown terms that were replaced by the default repertoire.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Builds the character set from the values of Specific Character Set.</summary>
    public static DicomCharacterSet FromTerms(IReadOnlyList<string> terms)
    {
        if (terms.Count == 0 || (terms.Count == 1 && terms[0].Trim().Length == 0)) return Default;
        var warnings = new List<string>();
        Encoding? first = null;
        var cleaned = new List<string>(terms.Count);
        foreach (var raw in terms)
        {
            var term = raw.Trim();
            cleaned.Add(term);
            if (first is not null) continue;
            first = CodePages.ForTerm(term.Length == 0 ? "ISO_IR 6" : term);
            if (first is null)
            {
                warnings.Add($"unknown Specific Character Set '{term}', using the default repertoire");
                first = Encoding.Latin1;
            }
        }
        foreach (var term in cleaned.Skip(1))
            if (term.Length > 0 && CodePages.ForTerm(term) is null)
                warnings.Add($"unknown Specific Character Set '{term}'");
        var extensions = cleaned.Count > 1 || cleaned.Any(t => t.StartsWith("ISO 2022", StringComparison.Ordinal));
        return new DicomCharacterSet(cleaned, first!, extensions, warnings);
    }

    /// <summary>Decodes a value; <paramref name="isPersonName"/> selects the PN delimiters (PS3.5 6.1.2.5.3).</summary>
    public string Decode(ReadOnlySpan<byte> bytes, bool isPersonName = false)
    {
        if (bytes.IndexOf(Esc) < 0) return _first.GetString(bytes);
        var sb = new StringBuilder(bytes.Length);
        var start = 0;
        while (start < bytes.Length)
        {
            var next = bytes[(start + 1)..].IndexOf(Esc);
            var end = next < 0 ? bytes.Length : start + 1 + next;
            DecodeFragment(bytes[start..end], isPersonName, sb);
            start = end;
        }
        return sb.ToString();
    }

    /// <summary>
    /// Encodes text with the first character set (no code extensions are written). Throws
    /// <see cref="EncoderFallbackException"/> for characters the set cannot hold (the default repertoire is ASCII).
    /// </summary>
    public byte[] Encode(string text)
    {
        var encoder = _strictEncoder ??= Terms.Count == 0
            ? Encoding.GetEncoding("us-ascii", EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback)
            : Encoding.GetEncoding(_first.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback);
        return encoder.GetBytes(text);
    }

    private Encoding? _strictEncoder;

    private void DecodeFragment(ReadOnlySpan<byte> fragment, bool isPersonName, StringBuilder sb)
    {
        if (fragment[0] != Esc)
        {
            sb.Append(_first.GetString(fragment));
            return;
        }
        var codeLength = fragment.Length >= 3 && fragment[1] == (byte)'$' && (fragment[2] == (byte)'(' || fragment[2] == (byte)')') ? 4 : 3;
        if (fragment.Length < codeLength)
        {
            sb.Append(_first.GetString(fragment));
            return;
        }
        var code = Encoding.ASCII.GetString(fragment[1..codeLength]);
        var body = fragment[codeLength..];
        switch (code)
        {
            case "$B": // JIS X 0208 in G0 (PS3.3 Table C.12-4), two 7-bit bytes per character
                sb.Append(Iso2022.DecodeJis(body, jisX0212: false));
                return;
            case "$(D": // JIS X 0212 in G0
                sb.Append(Iso2022.DecodeJis(body, jisX0212: true));
                return;
            case "$)C": // KS X 1001 in G1: EUC-KR form
                sb.Append(CodePages.Get(51949).GetString(body));
                return;
            case "$)A": // GB 2312 in G1: EUC-CN form
                sb.Append(CodePages.Get(936).GetString(body));
                return;
        }
        var single = CodePages.ForEscape(code) ?? _first;
        // PS3.5 6.1.2.5.3: delimiters return single-byte code elements to the initial designation
        var delimiter = IndexOfDelimiter(body, isPersonName);
        if (delimiter < 0)
        {
            sb.Append(single.GetString(body));
            return;
        }
        sb.Append(single.GetString(body[..delimiter]));
        sb.Append(_first.GetString(body[delimiter..]));
    }

    private static int IndexOfDelimiter(ReadOnlySpan<byte> body, bool isPersonName)
    {
        for (var i = 0; i < body.Length; i++)
        {
            var b = body[i];
            if (b is 0x5C or 0x0D or 0x0A or 0x09 or 0x0C) return i;
            if (isPersonName && b is (byte)'^' or (byte)'=') return i;
        }
        return -1;
    }
}
