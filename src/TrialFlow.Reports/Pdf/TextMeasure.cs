using PdfSharp.Drawing;

namespace TrialFlow.Reports.Pdf;

/// <summary>
/// Measures and wraps text for one font. Widths are cached per character (PDFsharp does not kern), which keeps wrapping a
/// 2,000-row audit trail cheap. Words longer than a line (UIDs, hashes, JSON) break between characters: nothing is cut.
/// </summary>
internal sealed class TextMeasure(XFont font, XGraphics measure)
{
    private readonly Dictionary<char, double> _widths = [];

    public XFont Font { get; } = font;

    public double LineHeight { get; } = font.GetHeight() * 1.08;

    public double Width(ReadOnlySpan<char> text)
    {
        double width = 0;
        foreach (var c in text)
        {
            if (!_widths.TryGetValue(c, out var w))
                _widths[c] = w = measure.MeasureString(c.ToString(), Font).Width;
            width += w;
        }
        return width;
    }

    public List<string> Wrap(string text, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            WrapParagraph(paragraph, width, lines);
        return lines;
    }

    private void WrapParagraph(string paragraph, double width, List<string> lines)
    {
        var line = "";
        foreach (var word in paragraph.Split(' '))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (Width(candidate) <= width)
            {
                line = candidate;
                continue;
            }
            if (line.Length > 0)
                lines.Add(line);
            line = word;
            // A word wider than the line is broken between characters, as many as fit on each line.
            while (Width(line) > width && line.Length > 1)
            {
                var take = 1;
                double used = Width(line.AsSpan(0, 1));
                while (take < line.Length && used + Width(line.AsSpan(take, 1)) <= width)
                    used += Width(line.AsSpan(take++, 1));
                // Prefer a break after a separator (GUID hyphen, UID dot, JSON comma) when one is in the second half.
                var separator = line.AsSpan(0, take).LastIndexOfAny("-.,/_:");
                if (take < line.Length && separator >= take / 2)
                    take = separator + 1;
                lines.Add(line[..take]);
                line = line[take..];
            }
        }
        lines.Add(line);
    }
}
