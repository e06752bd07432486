using System.Globalization;
using TrialFlow.Core.Text;

namespace TrialFlow.Edc;

/// <summary>
/// Reads the registry CSV an EDC can export instead of ODM: a header <c>SubjectKey,SiteNumber,VisitKey,VisitDate</c>
/// (any order, case-insensitive), one row per visit, or a row with an empty VisitKey for a subject without visits yet.
/// Visit keys are ours (the schedule's), dates ISO 8601.
/// </summary>
public static class EdcCsvReader
{
    private static readonly string[] Columns = ["SubjectKey", "SiteNumber", "VisitKey", "VisitDate"];

    public static EdcFileContent Read(TextReader csv, string fileName)
    {
        var header = csv.ReadLine() ?? throw new EdcFileException(fileName, 1, "the file is empty.");
        var names = Csv.Split(header).Select(n => n.Trim()).ToList();
        var index = Columns.ToDictionary(c => c, c => names.FindIndex(n => n.Equals(c, StringComparison.OrdinalIgnoreCase)));
        if (index.Where(i => i.Value < 0).Select(i => i.Key).ToList() is [_, ..] missing)
            throw new EdcFileException(fileName, 1, $"the header lacks {string.Join(", ", missing)} (expected {string.Join(",", Columns)}).");

        var subjects = new Dictionary<string, (string Site, List<EdcVisit> Visits, int Line)>(StringComparer.Ordinal);
        var conflicts = new List<RegistryConflict>();
        var lineNumber = 1;
        while (csv.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
                continue;
            var cells = Csv.Split(line);
            string Cell(string column) => index[column] < cells.Count ? cells[index[column]].Trim() : "";
            var subjectKey = Cell("SubjectKey");
            var siteNumber = Cell("SiteNumber");
            if (subjectKey.Length == 0 || siteNumber.Length == 0)
                throw new EdcFileException(fileName, lineNumber, "SubjectKey and SiteNumber are required on every row.");
            if (!subjects.TryGetValue(subjectKey, out var subject))
                subjects[subjectKey] = subject = (siteNumber, [], lineNumber);
            else if (subject.Site != siteNumber)
            {
                conflicts.Add(new RegistryConflict(RegistryConflictKind.SubjectListedTwice, subjectKey, null,
                    $"{subjectKey} is at site {subject.Site} on line {subject.Line} and at site {siteNumber} here.", lineNumber));
                continue;
            }
            var visitKey = Cell("VisitKey");
            if (visitKey.Length == 0)
                continue;
            var dateText = Cell("VisitDate");
            DateOnly? date = null;
            if (dateText.Length > 0)
                date = DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    ? d
                    : throw new EdcFileException(fileName, lineNumber, $"VisitDate '{dateText}' is not an ISO 8601 date (yyyy-MM-dd).");
            subject.Visits.Add(new EdcVisit(visitKey, date));
        }
        return new EdcFileContent(subjects.Select(s => new EdcEnrolment(s.Key, s.Value.Site, s.Value.Visits, s.Value.Line)).ToList(), conflicts);
    }
}
