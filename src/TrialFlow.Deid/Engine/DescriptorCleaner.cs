using System.Collections.Frozen;

namespace TrialFlow.Deid.Engine;

/// <summary>
/// The Clean Descriptors rule: a text value is kept only if every word in it is safe; otherwise the whole value is
/// replaced by the profile's placeholder. Deterministic and value-independent. A word is safe when it is on the
/// profile's safe vocabulary (compared upper case), a small number (a series or phase number of at most three digits,
/// or a decimal such as 0.625 with at most three digits either side of the point), or a measurement (a number with at
/// most four integer digits and three decimals followed by a unit: 2.5mm, 120kV, 1.5T, 3D, 1000ms). Long digit runs,
/// dates and codes that mix letters and digits any other way (medical record or accession numbers) are not safe.
/// </summary>
internal static class DescriptorCleaner
{
    // Units written straight after a number in series and protocol names. D is the dimension of 2D/3D/4D, x a
    // magnification or acceleration factor. None of them, after a short number, can carry an identifier.
    private static readonly FrozenSet<string> Units = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "mm", "cm", "m", "kV", "kVp", "mA", "mAs", "ms", "s", "sec", "T", "D", "mGy", "Gy", "mSv", "MBq", "mCi", "HU", "deg", "%", "x");

    public static bool IsSafe(string value, IReadOnlySet<string> vocabulary)
    {
        var start = -1;
        for (var i = 0; i <= value.Length; i++)
        {
            var isWordChar = i < value.Length && IsWordChar(value, i);
            if (isWordChar && start < 0) start = i;
            else if (!isWordChar && start >= 0)
            {
                var word = value[start..i].Trim('.');
                start = -1;
                if (word.Length == 0) continue;
                if (IsNumberOrMeasurement(word)) continue;
                if (!vocabulary.Contains(word.ToUpperInvariant())) return false;
            }
        }
        return true;
    }

    // Words are letters, digits and '.' (so 2.5mm is one word); '%' belongs to the word only straight after a digit.
    private static bool IsWordChar(string value, int i) =>
        char.IsLetterOrDigit(value[i]) || value[i] == '.' || (value[i] == '%' && i > 0 && char.IsAsciiDigit(value[i - 1]));

    private static bool IsNumberOrMeasurement(string word)
    {
        var i = 0;
        while (i < word.Length && char.IsAsciiDigit(word[i])) i++;
        var integerDigits = i;
        if (integerDigits == 0) return false;
        if (i < word.Length && word[i] == '.')
        {
            var point = ++i;
            while (i < word.Length && char.IsAsciiDigit(word[i])) i++;
            if (i - point is 0 or > 3) return false;
        }
        if (i == word.Length) return integerDigits <= 3;
        return integerDigits <= 4 && Units.Contains(word[i..]);
    }
}
