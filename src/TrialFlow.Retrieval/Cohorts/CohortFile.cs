using System.Globalization;
using TrialFlow.Core.Text;

namespace TrialFlow.Retrieval.Cohorts;

/// <summary>How a cohort row finds its study at the site's PACS.</summary>
public enum CohortMatch
{
    /// <summary>By the site's medical record number (0010,0020): every study of the patient, narrowed by date and modality.</summary>
    PatientId,

    /// <summary>By (0008,0050) Accession Number: usually one study.</summary>
    AccessionNumber,

    /// <summary>By (0020,000D) Study Instance UID: exactly one study.</summary>
    StudyInstanceUid,
}

/// <summary>
/// One row of a cohort: the trial subject it belongs to and how to find its studies. <see cref="Value"/> may be an MRN:
/// it is kept only for the query and never stored (pull jobs keep a keyed hash, as intake does).
/// </summary>
public sealed record CohortEntry(int Line, string SubjectKey, CohortMatch Match, string Value, DateOnly? StudyDateFrom, DateOnly? StudyDateTo, string? Modality);

/// <summary>A cohort file with mistakes: every one, each with its line, so a data manager fixes the file in one go.</summary>
public sealed class CohortFileException(string fileName, IReadOnlyList<string> errors)
    : FormatException($"{fileName}: {errors.Count} problem{(errors.Count == 1 ? "" : "s")}: {string.Join(" ", errors)}")
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Reads the cohort CSV a data manager uploads for a site (issue 21): a header with <c>subject_id</c> and one of
/// <c>patient_id</c>, <c>accession_number</c> or <c>study_instance_uid</c>, optional <c>study_date_from</c>,
/// <c>study_date_to</c> (yyyy-MM-dd or yyyyMMdd) and <c>modality</c>; any order, case-insensitive. Each row names the
/// subject and exactly one of the three keys.
/// </summary>
public static class CohortFile
{
    private static readonly (string Column, CohortMatch Match)[] Keys =
        [("patient_id", CohortMatch.PatientId), ("accession_number", CohortMatch.AccessionNumber), ("study_instance_uid", CohortMatch.StudyInstanceUid)];

    private static readonly string[] Known = ["subject_id", .. Keys.Select(k => k.Column), "study_date_from", "study_date_to", "modality"];

    public static IReadOnlyList<CohortEntry> Read(TextReader csv, string fileName)
    {
        var header = csv.ReadLine() ?? throw new CohortFileException(fileName, ["line 1: the file is empty."]);
        var names = Csv.Split(header.TrimStart('\uFEFF')).Select(n => n.Trim().ToLowerInvariant()).ToList();
        var errors = new List<string>();
        if (names.FirstOrDefault(n => !Known.Contains(n)) is { } unknown)
            errors.Add($"line 1: unknown column '{unknown}' (known: {string.Join(", ", Known)}).");
        if (!names.Contains("subject_id"))
            errors.Add("line 1: the header has no subject_id column.");
        if (!Keys.Any(k => names.Contains(k.Column)))
            errors.Add($"line 1: the header has none of {string.Join(", ", Keys.Select(k => k.Column))}.");
        if (errors.Count > 0)
            throw new CohortFileException(fileName, errors);

        var entries = new List<CohortEntry>();
        var seen = new Dictionary<(CohortMatch, string), int>();
        var lineNumber = 1;
        while (csv.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
                continue;
            var cells = Csv.Split(line);
            string Cell(string column) => names.IndexOf(column) is >= 0 and var i && i < cells.Count ? cells[i].Trim() : "";
            var where = $"line {lineNumber}:";
            var subject = Cell("subject_id");
            if (subject.Length == 0)
                errors.Add($"{where} subject_id is empty.");
            var given = Keys.Where(k => Cell(k.Column).Length > 0).ToList();
            if (given.Count != 1)
            {
                errors.Add(given.Count == 0
                    ? $"{where} give one of {string.Join(", ", Keys.Select(k => k.Column))}."
                    : $"{where} give only one of {string.Join(", ", given.Select(k => k.Column))}.");
                continue;
            }

            var (column, match) = given[0];
            var value = Cell(column);
            if (match == CohortMatch.StudyInstanceUid && !IsUid(value))
                errors.Add($"{where} study_instance_uid '{value}' is not a UID (digits and dots, at most 64).");
            var from = Date(Cell("study_date_from"), "study_date_from", where, errors);
            var to = Date(Cell("study_date_to"), "study_date_to", where, errors);
            if (from > to)
                errors.Add($"{where} study_date_from {from:yyyy-MM-dd} is after study_date_to {to:yyyy-MM-dd}.");
            var modality = Cell("modality") is { Length: > 0 } m ? m.ToUpperInvariant() : null;
            if (modality is { Length: > 16 } || modality?.Any(c => !char.IsAsciiLetterOrDigit(c)) == true)
                errors.Add($"{where} modality '{modality}' is not a DICOM modality code (e.g. CT, MR, PT).");
            if (seen.TryGetValue((match, value), out var earlier))
                errors.Add($"{where} the same {column} as line {earlier}.");
            else
                seen[(match, value)] = lineNumber;
            entries.Add(new CohortEntry(lineNumber, subject, match, value, from, to, modality));
        }

        if (entries.Count == 0 && errors.Count == 0)
            errors.Add("the file has a header but no rows.");
        return errors.Count > 0 ? throw new CohortFileException(fileName, errors) : entries;
    }

    private static DateOnly? Date(string text, string column, string where, List<string> errors)
    {
        if (text.Length == 0)
            return null;
        if (DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        errors.Add($"{where} {column} '{text}' is not a date (yyyy-MM-dd or yyyyMMdd).");
        return null;
    }

    private static bool IsUid(string value) => value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiDigit(c) || c == '.');
}
