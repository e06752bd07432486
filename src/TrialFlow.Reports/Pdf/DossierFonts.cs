using PdfSharp.Fonts;

namespace TrialFlow.Reports.Pdf;

/// <summary>
/// Serves the DejaVu fonts embedded in this assembly to PDFsharp, which has no system font lookup on Linux. The same
/// files on every machine make the same glyphs, widths and line breaks, hence the same PDF.
/// </summary>
internal sealed class DossierFonts : IFontResolver
{
    public const string Sans = "DejaVu Sans";
    public const string Mono = "DejaVu Sans Mono";

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    /// <summary>PDFsharp's resolver is process-wide and may be set only once: every caller goes through here.</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is DossierFonts)
                return;
            GlobalFontSettings.FontResolver = new DossierFonts();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => familyName switch
    {
        Mono => new FontResolverInfo("DejaVuSansMono"),
        _ when bold => new FontResolverInfo("DejaVuSans-Bold"),
        _ => new FontResolverInfo("DejaVuSans"),
    };

    public byte[]? GetFont(string faceName)
    {
        lock (Gate)
        {
            if (Cache.TryGetValue(faceName, out var bytes))
                return bytes;
            using var stream = typeof(DossierFonts).Assembly.GetManifestResourceStream($"TrialFlow.Reports.Fonts.{faceName}.ttf")
                ?? throw new InvalidOperationException($"The font {faceName}.ttf is not embedded in TrialFlow.Reports.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return Cache[faceName] = copy.ToArray();
        }
    }
}
