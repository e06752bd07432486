namespace TrialFlow.Edc;

/// <summary>
/// A subject as the EDC states it, in our terms (site number, visit keys): what an ODM file, a CSV file or a push
/// carries once its OIDs are mapped. <see cref="Line"/> points back into the file for the report.
/// </summary>
public sealed record EdcEnrolment(string SubjectKey, string SiteNumber, IReadOnlyList<EdcVisit> Visits, int? Line = null);

/// <summary>One visit of an <see cref="EdcEnrolment"/>; no date while the visit is only planned.</summary>
public sealed record EdcVisit(string VisitKey, DateOnly? Date);

/// <summary>What a source file said, mapped, plus what could not be mapped (unknown OIDs) as conflicts.</summary>
public sealed record EdcFileContent(IReadOnlyList<EdcEnrolment> Enrolments, IReadOnlyList<RegistryConflict> Conflicts);
