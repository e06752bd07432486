using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Core.Trials;

namespace TrialFlow.Edc;

/// <summary>What an import did, or would do (dry run), or why it did nothing.</summary>
public sealed record RegistryImportReport(
    string Source,
    string Sha256,
    bool Applied,
    bool DryRun,
    IReadOnlyList<RegistryChange> Changes,
    IReadOnlyList<RegistryConflict> Conflicts,
    int Unchanged);

/// <summary>
/// Keeps the subject and visit registry in step with the EDC. A file is planned against the registry and applied as
/// one audited save only when it has no conflict; a conflicting file changes nothing and leaves an audit event naming
/// its conflicts for the data manager. The same file again plans no change and writes nothing.
/// </summary>
public sealed class RegistryImport(TrialFlowDbContext db)
{
    public const string ImportedAction = "EdcRegistryImported";
    public const string RejectedAction = "EdcRegistryImportRejected";

    public async Task<RegistryImportReport> ImportOdmAsync(Guid trialId, Stream odm, string fileName, EdcMapping mapping, bool dryRun, CancellationToken cancellationToken)
    {
        var (bytes, sha256) = await ReadAllAsync(odm, cancellationToken);
        var content = OdmClinicalDataReader.Read(new MemoryStream(bytes), fileName, mapping);
        return await ImportAsync(trialId, content, fileName, sha256, dryRun, cancellationToken);
    }

    public async Task<RegistryImportReport> ImportCsvAsync(Guid trialId, Stream csv, string fileName, bool dryRun, CancellationToken cancellationToken)
    {
        var (bytes, sha256) = await ReadAllAsync(csv, cancellationToken);
        using var reader = new StreamReader(new MemoryStream(bytes));
        var content = EdcCsvReader.Read(reader, fileName);
        return await ImportAsync(trialId, content, fileName, sha256, dryRun, cancellationToken);
    }

    /// <summary>Plans <paramref name="content"/> against the trial's registry and applies it when nothing conflicts.</summary>
    public async Task<RegistryImportReport> ImportAsync(Guid trialId, EdcFileContent content, string source, string sha256, bool dryRun, CancellationToken cancellationToken)
    {
        var trial = await db.Trials.AsNoTracking().Include(t => t.Sites).Include(t => t.VisitSchedule)
            .SingleOrDefaultAsync(t => t.Id == trialId, cancellationToken)
            ?? throw new ArgumentException($"Trial {trialId} does not exist.", nameof(trialId));
        var subjects = await db.Subjects.Include(s => s.Visits).Where(s => s.TrialId == trialId).ToListAsync(cancellationToken);
        var siteNumberById = trial.Sites.ToDictionary(s => s.Id, s => s.SiteNumber);
        var visitKeyById = trial.VisitSchedule.ToDictionary(v => v.Id, v => v.VisitKey);
        var snapshot = new RegistrySnapshot(
            trial.Sites.Select(s => s.SiteNumber).ToHashSet(StringComparer.Ordinal),
            trial.VisitSchedule.Select(v => v.VisitKey).ToHashSet(StringComparer.Ordinal),
            subjects.ToDictionary(s => s.SubjectKey, s => new RegisteredSubject(s.SubjectKey, siteNumberById.GetValueOrDefault(s.SiteId, "?"),
                s.Visits.ToDictionary(v => visitKeyById[v.VisitDefinitionId], v => v.VisitDate)), StringComparer.Ordinal));

        var plan = RegistryPlanner.Plan(snapshot, content);
        var report = new RegistryImportReport(source, sha256, Applied: false, dryRun, plan.Changes, plan.Conflicts, plan.Unchanged);
        if (dryRun || (plan.CanApply && plan.Changes.Count == 0))
            return report;

        if (!plan.CanApply)
        {
            db.RecordEvent(RejectedAction, nameof(Trial), trialId.ToString(), details: JsonSerializer.Serialize(new
            {
                source,
                sha256,
                conflicts = plan.Conflicts.Select(c => new { kind = c.Kind.ToString(), c.SubjectKey, c.VisitKey, c.Line, c.Message }),
            }));
            await db.SaveChangesAsync(cancellationToken);
            return report;
        }

        Apply(trial, subjects, plan.Changes);
        db.RecordEvent(ImportedAction, nameof(Trial), trialId.ToString(), details: JsonSerializer.Serialize(new
        {
            source,
            sha256,
            subjectsEnrolled = plan.Changes.Count(c => c.Kind == RegistryChangeKind.SubjectEnrolled),
            visitsAdded = plan.Changes.Count(c => c.Kind == RegistryChangeKind.VisitAdded),
            visitDatesRecorded = plan.Changes.Count(c => c.Kind == RegistryChangeKind.VisitDateRecorded),
        }));
        // Enrolled subjects are submitted records: the reason names the file the change came from.
        await db.SaveChangesAsync($"EDC registry import {source} (sha256 {sha256[..16]})", cancellationToken);
        return report with { Applied = true };
    }

    private void Apply(Trial trial, List<Subject> subjects, IReadOnlyList<RegistryChange> changes)
    {
        var bySubjectKey = subjects.ToDictionary(s => s.SubjectKey, StringComparer.Ordinal);
        var siteIdByNumber = trial.Sites.ToDictionary(s => s.SiteNumber, s => s.Id, StringComparer.Ordinal);
        var definitionByKey = trial.VisitSchedule.ToDictionary(v => v.VisitKey, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case RegistryChangeKind.SubjectEnrolled:
                    var subject = new Subject(trial.Id, siteIdByNumber[change.SiteNumber], change.SubjectKey, SubjectStatus.Enrolled);
                    db.Subjects.Add(subject);
                    bySubjectKey[subject.SubjectKey] = subject;
                    break;
                case RegistryChangeKind.VisitAdded:
                    bySubjectKey[change.SubjectKey].AddVisit(definitionByKey[change.VisitKey!], change.VisitDate);
                    break;
                case RegistryChangeKind.VisitDateRecorded:
                    var definitionId = definitionByKey[change.VisitKey!].Id;
                    bySubjectKey[change.SubjectKey].Visits.Single(v => v.VisitDefinitionId == definitionId).RecordOccurred(change.VisitDate!.Value);
                    break;
            }
        }
    }

    private static async Task<(byte[] Bytes, string Sha256)> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        return (bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
