namespace TrialFlow.Edc;

/// <summary>The registry as the import compares against it: our sites, schedule and subjects with their visits.</summary>
public sealed record RegistrySnapshot(
    IReadOnlySet<string> SiteNumbers,
    IReadOnlySet<string> VisitKeys,
    IReadOnlyDictionary<string, RegisteredSubject> Subjects);

/// <summary>A subject in the registry: site number and visit key → date (null while planned).</summary>
public sealed record RegisteredSubject(string SubjectKey, string SiteNumber, IReadOnlyDictionary<string, DateOnly?> Visits);

public enum RegistryChangeKind
{
    SubjectEnrolled,
    VisitAdded,
    VisitDateRecorded,
}

/// <summary>One change the import makes to the registry.</summary>
public sealed record RegistryChange(RegistryChangeKind Kind, string SubjectKey, string SiteNumber, string? VisitKey, DateOnly? VisitDate);

public enum RegistryConflictKind
{
    /// <summary>The EDC has the subject at another site than the registry: a transfer needs a person's decision.</summary>
    SubjectMovedSite,
    UnknownSite,
    MissingSite,
    /// <summary>A visit (StudyEventOID or key) the protocol's schedule does not have.</summary>
    UnknownVisit,
    /// <summary>The EDC's date of a visit differs from the date the registry already holds (imaging may be matched to it).</summary>
    VisitDateChanged,
    SubjectListedTwice,
    VisitListedTwice,
}

/// <summary>Something the import will not decide on its own; any conflict stops the whole file.</summary>
public sealed record RegistryConflict(RegistryConflictKind Kind, string SubjectKey, string? VisitKey, string Message, int? Line);

/// <summary>What importing a file would do: its changes, or the conflicts that keep it from being applied.</summary>
public sealed record RegistryPlan(IReadOnlyList<RegistryChange> Changes, IReadOnlyList<RegistryConflict> Conflicts, int Unchanged)
{
    /// <summary>A file is applied all or nothing: a conflicting file changes nothing.</summary>
    public bool CanApply => Conflicts.Count == 0;
}

/// <summary>
/// Compares what the EDC says with the registry. Pure: the same file against the registry it produced plans no change,
/// which is what makes an import idempotent.
/// </summary>
public static class RegistryPlanner
{
    public static RegistryPlan Plan(RegistrySnapshot registry, EdcFileContent file)
    {
        var changes = new List<RegistryChange>();
        var conflicts = new List<RegistryConflict>(file.Conflicts);
        var unchanged = 0;
        var seen = new Dictionary<string, EdcEnrolment>(StringComparer.Ordinal);
        foreach (var enrolment in file.Enrolments)
        {
            if (!seen.TryAdd(enrolment.SubjectKey, enrolment))
            {
                conflicts.Add(new RegistryConflict(RegistryConflictKind.SubjectListedTwice, enrolment.SubjectKey, null,
                    $"{enrolment.SubjectKey} appears more than once in the file.", enrolment.Line));
                continue;
            }
            if (!registry.SiteNumbers.Contains(enrolment.SiteNumber))
            {
                conflicts.Add(new RegistryConflict(RegistryConflictKind.UnknownSite, enrolment.SubjectKey, null,
                    $"site {enrolment.SiteNumber} is not a site of this trial.", enrolment.Line));
                continue;
            }
            registry.Subjects.TryGetValue(enrolment.SubjectKey, out var known);
            if (known is not null && known.SiteNumber != enrolment.SiteNumber)
            {
                conflicts.Add(new RegistryConflict(RegistryConflictKind.SubjectMovedSite, enrolment.SubjectKey, null,
                    $"{enrolment.SubjectKey} is registered at site {known.SiteNumber}; the EDC has them at site {enrolment.SiteNumber}.", enrolment.Line));
                continue;
            }
            if (known is null)
                changes.Add(new RegistryChange(RegistryChangeKind.SubjectEnrolled, enrolment.SubjectKey, enrolment.SiteNumber, null, null));
            else
                unchanged++;
            PlanVisits(registry, enrolment, known, changes, conflicts, ref unchanged);
        }
        return new RegistryPlan(changes, conflicts, unchanged);
    }

    private static void PlanVisits(RegistrySnapshot registry, EdcEnrolment enrolment, RegisteredSubject? known, List<RegistryChange> changes, List<RegistryConflict> conflicts, ref int unchanged)
    {
        var visitsSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var visit in enrolment.Visits)
        {
            if (!registry.VisitKeys.Contains(visit.VisitKey))
            {
                conflicts.Add(new RegistryConflict(RegistryConflictKind.UnknownVisit, enrolment.SubjectKey, visit.VisitKey,
                    $"visit '{visit.VisitKey}' is not in the protocol's schedule.", enrolment.Line));
                continue;
            }
            if (!visitsSeen.Add(visit.VisitKey))
            {
                conflicts.Add(new RegistryConflict(RegistryConflictKind.VisitListedTwice, enrolment.SubjectKey, visit.VisitKey,
                    $"visit {visit.VisitKey} of {enrolment.SubjectKey} appears more than once.", enrolment.Line));
                continue;
            }
            if (known is null || !known.Visits.TryGetValue(visit.VisitKey, out var registeredDate))
            {
                changes.Add(new RegistryChange(RegistryChangeKind.VisitAdded, enrolment.SubjectKey, enrolment.SiteNumber, visit.VisitKey, visit.Date));
                continue;
            }
            if (registeredDate == visit.Date || visit.Date is null)
                unchanged++;
            else if (registeredDate is null)
                changes.Add(new RegistryChange(RegistryChangeKind.VisitDateRecorded, enrolment.SubjectKey, enrolment.SiteNumber, visit.VisitKey, visit.Date));
            else
                conflicts.Add(new RegistryConflict(RegistryConflictKind.VisitDateChanged, enrolment.SubjectKey, visit.VisitKey,
                    $"visit {visit.VisitKey} of {enrolment.SubjectKey} is registered on {registeredDate:yyyy-MM-dd}; the EDC says {visit.Date:yyyy-MM-dd}.", enrolment.Line));
        }
    }
}
