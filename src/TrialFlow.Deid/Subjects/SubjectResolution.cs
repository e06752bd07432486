namespace TrialFlow.Deid.Subjects;

/// <summary>The trial subject an instance belongs to, or why it must wait in quarantine. Never a guess.</summary>
public sealed record SubjectResolution
{
    private SubjectResolution(string? subjectId, string? quarantineReason)
    {
        SubjectId = subjectId;
        QuarantineReason = quarantineReason;
    }

    public string? SubjectId { get; }

    public string? QuarantineReason { get; }

    public bool IsMatched => SubjectId is not null;

    public static SubjectResolution Matched(string subjectId) =>
        new(string.IsNullOrWhiteSpace(subjectId) ? throw new ArgumentException("empty subject id", nameof(subjectId)) : subjectId, null);

    public static SubjectResolution Quarantine(string reason) => new(null, reason);
}

/// <summary>
/// Finds the trial subject for a Patient ID as received from a site (intake plugs in the subject registry from the
/// EDC; the CLI a CSV file). No match → a quarantine reason.
/// </summary>
public interface ISubjectResolver
{
    ValueTask<SubjectResolution> ResolveAsync(string siteId, string? patientId, CancellationToken cancellationToken = default);
}

/// <summary>A subject map file that cannot be used: file, line and reason.</summary>
public sealed class DeidSubjectMapException(string file, int line, string reason)
    : DeidException($"{file}:{line}: {reason}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Reason { get; } = reason;
}

/// <summary>
/// A subject map read from CSV with the header <c>patient_id,subject_id</c> (one site's Patient IDs). A Patient ID
/// listed twice with different subjects, or a subject listed for two Patient IDs, rejects the whole file.
/// </summary>
public sealed class CsvSubjectMap : ISubjectResolver
{
    private readonly Dictionary<string, string> _map;

    private CsvSubjectMap(Dictionary<string, string> map) => _map = map;

    public int Count => _map.Count;

    public static CsvSubjectMap Load(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !string.Equals(lines[0].Trim().TrimStart('\uFEFF'), "patient_id,subject_id", StringComparison.Ordinal))
            throw new DeidSubjectMapException(path, 1, "the first line must be the header patient_id,subject_id");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var subjects = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0) continue;
            var parts = line.Split(',');
            if (parts.Length != 2 || parts[0].Trim().Length == 0 || parts[1].Trim().Length == 0)
                throw new DeidSubjectMapException(path, i + 1, "expected patient_id,subject_id (two non-empty values, no commas inside)");
            var patient = parts[0].Trim();
            var subject = parts[1].Trim();
            if (map.TryGetValue(patient, out var earlier) && earlier != subject)
                throw new DeidSubjectMapException(path, i + 1, $"patient_id on line {i + 1} is already mapped to another subject");
            if (subjects.TryGetValue(subject, out var other) && other != patient)
                throw new DeidSubjectMapException(path, i + 1, $"subject_id {subject} is already mapped to another patient_id");
            map[patient] = subject;
            subjects[subject] = patient;
        }
        return new CsvSubjectMap(map);
    }

    public ValueTask<SubjectResolution> ResolveAsync(string siteId, string? patientId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(patientId))
            return ValueTask.FromResult(SubjectResolution.Quarantine("the instance has no Patient ID"));
        return ValueTask.FromResult(_map.TryGetValue(patientId.Trim(), out var subject)
            ? SubjectResolution.Matched(subject)
            : SubjectResolution.Quarantine("Patient ID not in the subject map"));
    }
}

/// <summary>Within one batch: every instance of a study must carry the same Patient ID, or the whole study is held back.</summary>
public sealed class StudyPatientGuard
{
    private readonly Dictionary<string, HashSet<string>> _patientsByStudy = new(StringComparer.Ordinal);

    public void Observe(string studyInstanceUid, string? patientId)
    {
        if (!_patientsByStudy.TryGetValue(studyInstanceUid, out var set)) _patientsByStudy[studyInstanceUid] = set = new(StringComparer.Ordinal);
        set.Add(patientId?.Trim() ?? "");
    }

    /// <summary>A quarantine reason when the study was seen with more than one Patient ID, else null.</summary>
    public string? Check(string studyInstanceUid) =>
        _patientsByStudy.TryGetValue(studyInstanceUid, out var set) && set.Count > 1
            ? $"the study carries {set.Count} different Patient IDs"
            : null;
}
