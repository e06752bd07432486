using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace TrialFlow.Reports.Pdf;

/// <summary>
/// The little layout engine PDFsharp lacks: a cursor down A4 pages, headings kept with what follows, wrapped paragraphs,
/// label/value lists and tables that break between (or, when a row is taller than a page, inside) rows with their header
/// repeated. Page furniture (footer, table of contents) is drawn at the end, when the page count is known.
/// </summary>
internal sealed class PdfComposer : IDisposable
{
    public const double PageWidth = 595.276, PageHeight = 841.89, Left = 48, Right = PageWidth - 48, Top = 54, Bottom = PageHeight - 60;
    public const double ContentWidth = Right - Left;
    private const double CellPadding = 3;

    public static readonly XColor Ink = XColor.FromArgb(33, 37, 41);
    public static readonly XColor Muted = XColor.FromArgb(108, 117, 125);
    public static readonly XColor Accent = XColor.FromArgb(31, 78, 121);
    private static readonly XColor HeaderFill = XColor.FromArgb(226, 232, 240);
    private static readonly XColor StripeFill = XColor.FromArgb(247, 249, 251);
    private static readonly XColor RuleLine = XColor.FromArgb(203, 213, 225);

    private static readonly XSolidBrush InkBrush = new(Ink);
    private static readonly XSolidBrush MutedBrush = new(Muted);

    private readonly XGraphics _measure;
    private XGraphics? _gfx;
    private double _y;

    public PdfComposer(PdfDocument document)
    {
        DossierFonts.EnsureRegistered();
        Document = document;
        _measure = XGraphics.CreateMeasureContext(new XSize(PageWidth, PageHeight), XGraphicsUnit.Point, XPageDirection.Downwards);
        var unicode = new XPdfFontOptions(PdfFontEncoding.Unicode);
        Body = new TextMeasure(new XFont(DossierFonts.Sans, 8.5, XFontStyleEx.Regular, unicode), _measure);
        Bold = new TextMeasure(new XFont(DossierFonts.Sans, 8.5, XFontStyleEx.Bold, unicode), _measure);
        Small = new TextMeasure(new XFont(DossierFonts.Sans, 7.5, XFontStyleEx.Regular, unicode), _measure);
        SmallBold = new TextMeasure(new XFont(DossierFonts.Sans, 7.5, XFontStyleEx.Bold, unicode), _measure);
        Code = new TextMeasure(new XFont(DossierFonts.Mono, 7.5, XFontStyleEx.Regular, unicode), _measure);
        H1 = new TextMeasure(new XFont(DossierFonts.Sans, 15, XFontStyleEx.Bold, unicode), _measure);
        H2 = new TextMeasure(new XFont(DossierFonts.Sans, 10.5, XFontStyleEx.Bold, unicode), _measure);
        H3 = new TextMeasure(new XFont(DossierFonts.Sans, 9, XFontStyleEx.Bold, unicode), _measure);
        Title = new TextMeasure(new XFont(DossierFonts.Sans, 22, XFontStyleEx.Bold, unicode), _measure);
    }

    public PdfDocument Document { get; }

    public TextMeasure Body { get; }
    public TextMeasure Bold { get; }
    public TextMeasure Small { get; }
    public TextMeasure SmallBold { get; }
    public TextMeasure Code { get; }
    public TextMeasure H1 { get; }
    public TextMeasure H2 { get; }
    public TextMeasure H3 { get; }
    public TextMeasure Title { get; }

    /// <summary>1-based number of the page being written.</summary>
    public int PageNumber => Document.PageCount;

    public double Y => _y;

    private XGraphics Gfx => _gfx ?? throw new InvalidOperationException("No page started.");

    public void NewPage()
    {
        _gfx?.Dispose();
        var page = Document.AddPage();
        page.Size = PageSize.A4;
        _gfx = XGraphics.FromPdfPage(page);
        _y = Top;
    }

    public void Space(double points) => _y = Math.Min(_y + points, Bottom);

    /// <summary>Starts a new page unless <paramref name="points"/> still fit on this one.</summary>
    public void EnsureSpace(double points)
    {
        if (_y + points > Bottom)
            NewPage();
    }

    /// <summary>A heading, kept on the page with at least a few lines of what follows it.</summary>
    public void Heading(string text, int level)
    {
        var style = level switch { 1 => H1, 2 => H2, _ => H3 };
        var lines = style.Wrap(text, ContentWidth);
        Space(level == 1 ? 0 : level == 2 ? 8 : 4);
        EnsureSpace(lines.Count * style.LineHeight + 40);
        foreach (var line in lines)
        {
            Gfx.DrawString(line, style.Font, new XSolidBrush(level == 3 ? Ink : Accent), Left, _y, XStringFormats.TopLeft);
            _y += style.LineHeight;
        }
        if (level == 1)
        {
            Gfx.DrawLine(new XPen(Accent, 0.8), Left, _y + 1, Right, _y + 1);
            _y += 6;
        }
        _y += 2;
    }

    /// <summary>Wrapped text; a paragraph longer than the page continues on the next.</summary>
    public void Paragraph(string text, TextMeasure style, XColor? color = null, double indent = 0)
    {
        var brush = new XSolidBrush(color ?? Ink);
        foreach (var line in style.Wrap(text, ContentWidth - indent))
        {
            EnsureSpace(style.LineHeight);
            Gfx.DrawString(line, style.Font, brush, Left + indent, _y, XStringFormats.TopLeft);
            _y += style.LineHeight;
        }
    }

    /// <summary>A boxed sentence with a coloured bar: notes, warnings, the chain statement.</summary>
    public void Note(string text, XColor bar, XColor fill)
    {
        var lines = Body.Wrap(text, ContentWidth - 16);
        var index = 0;
        while (index < lines.Count)
        {
            EnsureSpace(Body.LineHeight + 8);
            var fit = Math.Max(1, (int)((Bottom - _y - 8) / Body.LineHeight));
            var chunk = lines.Skip(index).Take(fit).ToList();
            var height = chunk.Count * Body.LineHeight + 8;
            Gfx.DrawRectangle(new XSolidBrush(fill), Left, _y, ContentWidth, height);
            Gfx.DrawRectangle(new XSolidBrush(bar), Left, _y, 3, height);
            var y = _y + 4;
            foreach (var line in chunk)
            {
                Gfx.DrawString(line, Body.Font, InkBrush, Left + 10, y, XStringFormats.TopLeft);
                y += Body.LineHeight;
            }
            _y += height;
            index += chunk.Count;
        }
        _y += 4;
    }

    /// <summary>Label/value pairs in two columns; long values wrap and may continue on the next page.</summary>
    public void Facts(IReadOnlyList<(string Label, string Value, bool Code)> facts, double labelWidth = 130)
    {
        foreach (var (label, value, code) in facts)
        {
            var style = code ? Code : Body;
            var labelLines = SmallBold.Wrap(label, labelWidth - 6);
            var valueLines = style.Wrap(value, ContentWidth - labelWidth);
            var lineHeight = Math.Max(style.LineHeight, SmallBold.LineHeight);
            EnsureSpace(lineHeight);
            for (var i = 0; i < Math.Max(labelLines.Count, valueLines.Count); i++)
            {
                if (_y + lineHeight > Bottom)
                    NewPage();
                if (i < labelLines.Count)
                    Gfx.DrawString(labelLines[i], SmallBold.Font, MutedBrush, Left, _y + 0.8, XStringFormats.TopLeft);
                if (i < valueLines.Count)
                    Gfx.DrawString(valueLines[i], style.Font, InkBrush, Left + labelWidth, _y, XStringFormats.TopLeft);
                _y += lineHeight;
            }
            _y += 1.5;
        }
        _y += 3;
    }

    /// <summary>
    /// A table over the content width, columns sized by relative width. Rows never split unless one is taller than a
    /// whole page; every page the table continues on starts with its header again.
    /// </summary>
    public void Table(IReadOnlyList<(string Title, double Width, bool Code)> columns, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var total = columns.Sum(c => c.Width);
        var widths = columns.Select(c => c.Width / total * ContentWidth).ToArray();
        var headerLines = columns.Select((c, i) => SmallBold.Wrap(c.Title, widths[i] - 2 * CellPadding)).ToArray();
        var headerHeight = headerLines.Max(l => l.Count) * SmallBold.LineHeight + 2 * CellPadding;

        void Header()
        {
            var x = Left;
            Gfx.DrawRectangle(new XSolidBrush(HeaderFill), Left, _y, ContentWidth, headerHeight);
            for (var c = 0; c < columns.Count; c++)
            {
                var y = _y + CellPadding;
                foreach (var line in headerLines[c])
                {
                    Gfx.DrawString(line, SmallBold.Font, InkBrush, x + CellPadding, y, XStringFormats.TopLeft);
                    y += SmallBold.LineHeight;
                }
                x += widths[c];
            }
            _y += headerHeight;
        }

        EnsureSpace(headerHeight + Small.LineHeight * 2 + 2 * CellPadding);
        Header();
        for (var r = 0; r < rows.Count; r++)
        {
            var cells = columns.Select((c, i) => (c.Code ? Code : Small).Wrap(i < rows[r].Count ? rows[r][i] : "", widths[i] - 2 * CellPadding)).ToArray();
            var lineHeight = Math.Max(Small.LineHeight, Code.LineHeight);
            var remaining = cells.Max(c => c.Count);
            var offset = 0;
            while (remaining > 0)
            {
                var fit = (int)((Bottom - _y - 2 * CellPadding) / lineHeight);
                var freshPage = Math.Abs(_y - (Top + headerHeight)) < 0.01;
                if (fit < remaining && !freshPage)
                {
                    // Move the whole row to the next page; only a row taller than a page is split.
                    NewPage();
                    Header();
                    continue;
                }
                var take = Math.Min(remaining, Math.Max(1, fit));
                var height = take * lineHeight + 2 * CellPadding;
                if (r % 2 == 1)
                    Gfx.DrawRectangle(new XSolidBrush(StripeFill), Left, _y, ContentWidth, height);
                var x = Left;
                for (var c = 0; c < columns.Count; c++)
                {
                    var style = columns[c].Code ? Code : Small;
                    var y = _y + CellPadding;
                    foreach (var line in cells[c].Skip(offset).Take(take))
                    {
                        Gfx.DrawString(line, style.Font, InkBrush, x + CellPadding, y, XStringFormats.TopLeft);
                        y += lineHeight;
                    }
                    x += widths[c];
                }
                _y += height;
                Gfx.DrawLine(new XPen(RuleLine, 0.4), Left, _y, Right, _y);
                offset += take;
                remaining -= take;
                if (remaining > 0)
                {
                    NewPage();
                    Header();
                }
            }
        }
        _y += 6;
    }

    /// <summary>Draws on an already written page (table of contents, footers) once everything else is laid out.</summary>
    public void DrawOn(int pageNumber, Action<XGraphics> draw)
    {
        _gfx?.Dispose();
        _gfx = null;
        using var gfx = XGraphics.FromPdfPage(Document.Pages[pageNumber - 1], XGraphicsPdfPageOptions.Append);
        draw(gfx);
    }

    public void Dispose()
    {
        _gfx?.Dispose();
        _gfx = null;
        _measure.Dispose();
    }
}
