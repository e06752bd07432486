using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace TrialFlow.Reports.Pdf;

/// <summary>
/// Replaces the two things PDFsharp makes up at random on save, so the same dossier gives the same bytes:
/// <list type="bullet">
/// <item>font subset tags, six capitals before each embedded font's name ("WTPIAJ+DejaVu Sans"); they only have to tell
/// subsets apart (ISO 32000-1, 9.6.4), so each becomes one derived from the font's name;</item>
/// <item>the XMP metadata's DocumentID and InstanceID UUIDs, which become the dossier's own document id.</item>
/// </list>
/// Both have a fixed length and sit outside compressed streams, so no offset in the file moves.
/// </summary>
internal static partial class ReproducibleOutput
{
    [GeneratedRegex(@"/BaseFont\s*/([A-Z]{6})\+([^/\[\]<>()\s]+)")]
    private static partial Regex BaseFont();

    [GeneratedRegex(@"(<xmpMM:(?:DocumentID|InstanceID)>uuid:)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex XmpIds();

    /// <param name="documentId">32 hex digits, as written to the trailer's /ID.</param>
    public static byte[] Apply(byte[] pdf, string documentId)
    {
        // Latin-1 maps every byte to one char and back, so binary streams survive the round trip untouched.
        var text = Encoding.Latin1.GetString(pdf);
        var tags = BaseFont().Matches(text).Select(m => (Random: m.Groups[1].Value, Font: m.Groups[2].Value)).Distinct().ToList();
        foreach (var (random, font) in tags)
            text = text.Replace(random + "+", Tag(font) + "+", StringComparison.Ordinal);
        var uuid = Guid.ParseExact(documentId, "N").ToString("D");
        text = XmpIds().Replace(text, m => m.Groups[1].Value + uuid);
        return Encoding.Latin1.GetBytes(text);
    }

    private static string Tag(string font)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(font));
        return string.Concat(hash.Take(6).Select(b => (char)('A' + b % 26)));
    }
}
