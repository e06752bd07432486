using System.Text;

namespace TrialFlow.Dicom.CharacterSets;

/// <summary>Decoding of the 94x94 Japanese sets designated to G0 by ISO 2022 escapes (ISO-IR 87 and 159).</summary>
internal static class Iso2022
{
    /// <summary>
    /// Decodes 7-bit two-byte JIS X 0208 (or 0212) text by mapping it to EUC-JP (code page 20932), which carries both
    /// sets: high bit set on each byte, and a 0x8F prefix for JIS X 0212.
    /// </summary>
    public static string DecodeJis(ReadOnlySpan<byte> body, bool jisX0212)
    {
        var euc = new List<byte>(body.Length * 3 / 2);
        var i = 0;
        while (i < body.Length)
        {
            var b = body[i];
            if (b is >= 0x21 and <= 0x7E && i + 1 < body.Length && body[i + 1] is >= 0x21 and <= 0x7E)
            {
                if (jisX0212) euc.Add(0x8F);
                euc.Add((byte)(b | 0x80));
                euc.Add((byte)(body[i + 1] | 0x80));
                i += 2;
            }
            else
            {
                euc.Add(b);
                i++;
            }
        }
        return CodePages.Get(20932).GetString([.. euc]);
    }
}
