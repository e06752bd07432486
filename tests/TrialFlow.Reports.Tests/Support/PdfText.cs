using UglyToad.PdfPig;

namespace TrialFlow.Reports.Tests.Support;

/// <summary>A dossier's text as PdfPig extracts it, page by page; <see cref="Compact"/> without whitespace, so a UID wrapped over two lines still matches.</summary>
internal sealed class PdfText
{
    public PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        // Page.Text keeps the letters in content-stream order, which is the order the dossier wrote them: a wrapped table
        // cell stays together. (Word extraction orders by position and interleaves the lines of neighbouring cells.)
        Pages = document.GetPages().Select(p => p.Text).ToList();
        All = string.Join("\n", Pages);
        Compact = string.Concat(All.Where(c => !char.IsWhiteSpace(c)));
    }

    public IReadOnlyList<string> Pages { get; }

    public string All { get; }

    public string Compact { get; }

    public bool Has(string text) => Compact.Contains(string.Concat(text.Where(c => !char.IsWhiteSpace(c))), StringComparison.Ordinal);
}
