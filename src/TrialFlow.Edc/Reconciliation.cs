using TrialFlow.Core.Text;

namespace TrialFlow.Edc;

public enum ReconciliationKind
{
    /// <summary>The EDC records the visit as done, and no imaging study is matched to it.</summary>
    VisitWithoutImaging,
    /// <summary>An enrolled subject has no imaging at all.</summary>
    SubjectWithoutImaging,
    /// <summary>An imaging study matched to the subject but to no registered visit.</summary>
    ImagingWithoutVisit,
    /// <summary>The EDC's visit date lies outside the protocol window counted from baseline.</summary>
    VisitOutOfWindow,
    /// <summary>The scan's study day (from intake, before date shifting) lies outside its visit's window.</summary>
    ScanOutOfWindow,
}

/// <summary>One line of the reconciliation list a data manager works through before database lock.</summary>
public sealed record ReconciliationItem(ReconciliationKind Kind, string SiteNumber, string SubjectKey, string? VisitKey, string? StudyInstanceUid, string Detail);

/// <summary>The registry and the archive as reconciliation sees them.</summary>
public sealed record ReconciliationInput(
    IReadOnlyList<ReconciliationInput.ScheduledVisit> Schedule,
    IReadOnlyList<ReconciliationInput.RegisteredSubject> Subjects,
    IReadOnlyList<ReconciliationInput.ArchivedStudy> Studies)
{
    public sealed record ScheduledVisit(Guid Id, string VisitKey, int Order, int NominalDay, int WindowBeforeDays, int WindowAfterDays);

    public sealed record RegisteredSubject(Guid Id, string SubjectKey, string SiteNumber, bool Enrolled, IReadOnlyList<RegisteredVisit> Visits);

    public sealed record RegisteredVisit(Guid Id, Guid VisitDefinitionId, DateOnly? Date);

    public sealed record ArchivedStudy(Guid SubjectId, Guid? VisitId, string StudyInstanceUid, int? StudyDay);
}

/// <summary>Compares the EDC's registry with the archive. Pure; ordered by site, subject, visit order, kind.</summary>
public static class Reconciliation
{
    public static IReadOnlyList<ReconciliationItem> Compute(ReconciliationInput input)
    {
        var schedule = input.Schedule.ToDictionary(v => v.Id);
        var baselineId = input.Schedule.MinBy(v => v.Order)?.Id;
        var studiesBySubject = input.Studies.ToLookup(s => s.SubjectId);
        var items = new List<(ReconciliationItem Item, int Order)>();

        foreach (var subject in input.Subjects)
        {
            var studies = studiesBySubject[subject.Id].ToList();
            var visitsById = subject.Visits.ToDictionary(v => v.Id);
            var baseline = subject.Visits.FirstOrDefault(v => v.VisitDefinitionId == baselineId)?.Date;
            if (subject.Enrolled && studies.Count == 0)
                items.Add((new ReconciliationItem(ReconciliationKind.SubjectWithoutImaging, subject.SiteNumber, subject.SubjectKey, null, null,
                    $"{subject.SubjectKey} is enrolled and has no imaging study."), 0));

            foreach (var visit in subject.Visits)
            {
                var definition = schedule[visit.VisitDefinitionId];
                if (visit.Date is { } date && studies.Count > 0 && !studies.Any(s => s.VisitId == visit.Id))
                    items.Add((new ReconciliationItem(ReconciliationKind.VisitWithoutImaging, subject.SiteNumber, subject.SubjectKey, definition.VisitKey, null,
                        $"visit {definition.VisitKey} took place on {date:yyyy-MM-dd}; no imaging study is matched to it."), definition.Order));
                if (visit.Date is { } visitDate && baseline is { } b && visit.VisitDefinitionId != baselineId && !Within(definition, visitDate.DayNumber - b.DayNumber))
                    items.Add((new ReconciliationItem(ReconciliationKind.VisitOutOfWindow, subject.SiteNumber, subject.SubjectKey, definition.VisitKey, null,
                        $"visit {definition.VisitKey} on day {visitDate.DayNumber - b.DayNumber}; window is day {definition.NominalDay - definition.WindowBeforeDays} to {definition.NominalDay + definition.WindowAfterDays}."), definition.Order));
            }

            foreach (var study in studies)
            {
                if (study.VisitId is not { } visitId || !visitsById.TryGetValue(visitId, out var visit))
                {
                    items.Add((new ReconciliationItem(ReconciliationKind.ImagingWithoutVisit, subject.SiteNumber, subject.SubjectKey, null, study.StudyInstanceUid,
                        $"study {study.StudyInstanceUid} is not matched to a registered visit."), int.MaxValue));
                    continue;
                }
                var definition = schedule[visit.VisitDefinitionId];
                if (study.StudyDay is { } day && !Within(definition, day))
                    items.Add((new ReconciliationItem(ReconciliationKind.ScanOutOfWindow, subject.SiteNumber, subject.SubjectKey, definition.VisitKey, study.StudyInstanceUid,
                        $"scan on study day {day}; visit {definition.VisitKey} window is day {definition.NominalDay - definition.WindowBeforeDays} to {definition.NominalDay + definition.WindowAfterDays}."), definition.Order));
            }
        }

        return items.OrderBy(i => i.Item.SiteNumber, StringComparer.Ordinal).ThenBy(i => i.Item.SubjectKey, StringComparer.Ordinal)
            .ThenBy(i => i.Order).ThenBy(i => i.Item.Kind).ThenBy(i => i.Item.StudyInstanceUid, StringComparer.Ordinal)
            .Select(i => i.Item).ToList();
    }

    private static bool Within(ReconciliationInput.ScheduledVisit v, int day) => day >= v.NominalDay - v.WindowBeforeDays && day <= v.NominalDay + v.WindowAfterDays;

    /// <summary>The list as CSV for a spreadsheet: one row per item.</summary>
    public static void WriteCsv(TextWriter writer, IEnumerable<ReconciliationItem> items)
    {
        Csv.WriteRow(writer, ["Kind", "SiteNumber", "SubjectKey", "VisitKey", "StudyInstanceUID", "Detail"]);
        foreach (var i in items)
            Csv.WriteRow(writer, [i.Kind.ToString(), i.SiteNumber, i.SubjectKey, i.VisitKey, i.StudyInstanceUid, i.Detail]);
    }
}
