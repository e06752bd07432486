using PdfSharp.Drawing;
using PdfSharp.Pdf;
using TrialFlow.Reports.Pdf;

namespace TrialFlow.Reports.Tests.Pdf;

/// <summary>Wrapping long values: every character survives, no line is wider than the column.</summary>
public sealed class TextMeasureTests
{
    private static TextMeasure Mono()
    {
        DossierFonts.EnsureRegistered();
        var measure = XGraphics.CreateMeasureContext(new XSize(595, 842), XGraphicsUnit.Point, XPageDirection.Downwards);
        return new TextMeasure(new XFont(DossierFonts.Mono, 7.5, XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode)), measure);
    }

    [Fact]
    public void A_UID_longer_than_its_column_is_wrapped_never_cut_and_breaks_after_a_dot_where_it_can()
    {
        var text = Mono();
        const string uid = "2.25.119291162748259786379570681128997959344.1.2.840.10008.5.1.4.1.1.2";

        var lines = text.Wrap(uid, 80);

        Assert.True(lines.Count > 1);
        Assert.Equal(uid, string.Concat(lines));
        Assert.All(lines, l => Assert.True(text.Width(l) <= 80, $"'{l}' is wider than the column"));
        // Where a dot falls in the second half of a line, the line breaks after it; a long digit run breaks between digits.
        Assert.Contains(lines.SkipLast(1), l => l.EndsWith('.'));
    }

    [Fact]
    public void Words_and_newlines_are_kept_in_order()
    {
        var text = Mono();
        const string value = "Status: Complete → QcPassed\nReason: ruleset v2 published; inspection asked for results under it";

        var lines = text.Wrap(value, 200);

        Assert.Equal(value.Replace("\n", " "), string.Join(" ", lines));
        Assert.Equal("Status: Complete → QcPassed", lines[0]);
    }
}
