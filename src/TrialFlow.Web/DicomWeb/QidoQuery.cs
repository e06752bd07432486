using System.Globalization;
using System.Text.RegularExpressions;

namespace TrialFlow.Web.DicomWeb;

/// <summary>The level a QIDO-RS search runs at: what it may be filtered on.</summary>
internal enum QidoLevel
{
    Study,
    Series,
    Instance,
}

/// <summary>A QIDO-RS request TrialFlow cannot answer as asked (400, naming the parameter).</summary>
internal sealed class QidoQueryException(string message) : Exception(message);

/// <summary>
/// A QIDO-RS search's parameters (PS3.18 §8.3.4): matching attributes named by keyword or by tag (<c>PatientID</c> or
/// <c>00100020</c>), <c>limit</c>/<c>offset</c>, and <c>includefield</c>/<c>fuzzymatching</c>, accepted (the answer carries
/// its fixed attributes; nothing TrialFlow indexes is a person's name). A filter on an attribute TrialFlow does not index
/// is refused rather than ignored: ignored, it answered with every study, which a client reads as matches.
/// </summary>
internal sealed class QidoQuery
{
    public const int MaxLimit = 1000;

    private static readonly Dictionary<QidoLevel, (string Keyword, string Tag)[]> Filters = new()
    {
        [QidoLevel.Study] = [("StudyInstanceUID", "0020000D"), ("PatientID", "00100020"), ("StudyDate", "00080020"), ("ModalitiesInStudy", "00080061")],
        [QidoLevel.Series] = [("SeriesInstanceUID", "0020000E"), ("Modality", "00080060"), ("SeriesNumber", "00200011")],
        [QidoLevel.Instance] = [("SOPInstanceUID", "00080018"), ("SOPClassUID", "00080016"), ("InstanceNumber", "00200013")],
    };

    private static readonly HashSet<string> Controls = new(StringComparer.OrdinalIgnoreCase) { "limit", "offset", "includefield", "fuzzymatching" };

    private readonly Dictionary<string, string> _values;

    private QidoQuery(Dictionary<string, string> values, int offset, int limit) => (_values, Offset, Limit) = (values, offset, limit);

    public int Offset { get; }

    public int Limit { get; }

    /// <summary>The value a matching attribute was given (by keyword or tag), or null.</summary>
    public string? this[string keyword] => _values.GetValueOrDefault(keyword);

    public static QidoQuery Parse(IQueryCollection query, QidoLevel level)
    {
        var known = Filters[level];
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in query)
        {
            if (Controls.Contains(key))
                continue;
            var keyword = known.FirstOrDefault(k => k.Keyword == key || string.Equals(k.Tag, key, StringComparison.OrdinalIgnoreCase)).Keyword
                ?? throw new QidoQueryException($"TrialFlow cannot search {Plural(level)} by \"{key}\"; it matches on "
                                                + string.Join(", ", known.Select(k => $"{k.Keyword} ({k.Tag})")) + ", with limit, offset, includefield and fuzzymatching");
            if (values.ContainsKey(keyword))
                throw new QidoQueryException($"{keyword} is given twice (by keyword and by tag, or repeated)");
            if (value.ToString() is { Length: > 0 } text)
                values[keyword] = text;
        }
        return new QidoQuery(values, Number(query, "offset", 0, int.MaxValue) ?? 0, Number(query, "limit", 1, MaxLimit) ?? MaxLimit);
    }

    /// <summary>Whether <paramref name="value"/> matches a value given with DICOM wildcards (<c>*</c> any run, <c>?</c> one character).</summary>
    public static bool Matches(string? value, string pattern) =>
        value is not null && (HasWildcards(pattern)
            ? Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.None, TimeSpan.FromSeconds(1))
            : value == pattern);

    private static string Plural(QidoLevel level) => level switch
    {
        QidoLevel.Study => "studies",
        QidoLevel.Series => "series",
        _ => "instances",
    };

    public static bool HasWildcards(string pattern) => pattern.Contains('*') || pattern.Contains('?');

    private static int? Number(IQueryCollection query, string name, int min, int max)
    {
        if (query[name].ToString() is not { Length: > 0 } text)
            return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? Math.Min(n, max)
            : throw new QidoQueryException($"{name}={text}: give a whole number of at least {min}");
    }
}
