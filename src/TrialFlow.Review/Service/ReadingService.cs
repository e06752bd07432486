using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Review.Domain;
using TrialFlow.Review.Forms;

namespace TrialFlow.Review.Service;

/// <summary>
/// What a reader does: their worklist, a task with its form and images, drafts, the signature, corrections. Every
/// method starts from the caller's own tasks, so another reader's task or read is simply not found (blinding is
/// enforced here, not by the pages). The reader's earlier timepoints come from their own signed reads only.
/// </summary>
public sealed class ReadingService(TrialFlowDbContext db, FormTemplateCatalog templates, SignatureVerifier signatures, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The caller's open tasks, due first (at most <paramref name="take"/>: a worklist is read from the top), then the
    /// last 20 completed ones. Only the columns the list shows are read.
    /// </summary>
    public async Task<IReadOnlyList<WorklistItem>> WorklistAsync(Actor reader, CancellationToken cancellationToken, int take = 100)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var mine = db.ReadTasks.AsNoTracking().Where(t => t.ReaderUserId == reader.UserId);
        var open = await mine.Where(t => t.Status != ReadTaskStatus.Completed).OrderBy(t => t.DueAt).ThenBy(t => t.AssignedAt).Take(take)
            .Select(t => new { t.Id, t.SubjectId, t.Timepoint, t.ScanDate, t.AssignedAt, t.DueAt, t.Status }).ToListAsync(cancellationToken);
        var done = await mine.Where(t => t.Status == ReadTaskStatus.Completed).OrderByDescending(t => t.CompletedAt).Take(20)
            .Select(t => new { t.Id, t.SubjectId, t.Timepoint, t.ScanDate, t.AssignedAt, t.DueAt, t.Status }).ToListAsync(cancellationToken);
        return open.Concat(done)
            .Select(t => new WorklistItem(t.Id, BlindedLabels.SubjectCode(t.SubjectId), t.Timepoint, t.ScanDate, t.AssignedAt, t.DueAt, t.Status, t.Status != ReadTaskStatus.Completed && t.DueAt < now))
            .ToList();
    }

    public async Task<ReadTaskView> OpenAsync(Guid taskId, Actor reader, CancellationToken cancellationToken)
    {
        var task = await OwnTaskAsync(taskId, reader, cancellationToken);
        var settings = await ReviewCoordinator.SettingsAsync(db, task.TrialId, cancellationToken);
        var template = templates.Get(settings.FormTemplateId);
        var versions = await db.Reads.AsNoTracking().Where(r => r.ReadTaskId == taskId).OrderBy(r => r.Version).ToListAsync(cancellationToken);
        var signatureIds = versions.Select(v => v.SignatureId).OfType<Guid>().ToList();
        var signed = await db.ElectronicSignatures.AsNoTracking().Where(s => signatureIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var views = versions.Select(v => View(v, v.SignatureId is { } id ? signed[id] : null)).ToList();
        var current = views.LastOrDefault(v => v.Status != ReadStatus.Superseded);
        return new ReadTaskView(task.Id, BlindedLabels.SubjectCode(task.SubjectId), task.Timepoint, task.ScanDate, task.DueAt, task.Status,
            await IsBaselineAsync(task, cancellationToken), template, current, views,
            await PriorAsync(db, task, cancellationToken), await ImagesAsync(db, task.StudyId, cancellationToken));
    }

    /// <summary>Saves the form as a draft and returns its computed fields, or what is wrong; a signed read is locked.</summary>
    public async Task<ReadSaveResult> SaveDraftAsync(Guid taskId, FormData data, Actor reader, CancellationToken cancellationToken)
    {
        var task = await OwnTaskAsync(taskId, reader, cancellationToken, tracked: true);
        var (read, template) = await DraftAsync(task, cancellationToken);
        var computation = await ComputeAsync(task, template, data, cancellationToken);
        // A draft may be incomplete: it is saved with what could be computed; errors are returned for the reader to fix.
        Apply(read, data, computation);
        task.Start();
        await db.SaveChangesAsync(cancellationToken);
        return new ReadSaveResult(View(read, null), computation.Errors);
    }

    /// <summary>
    /// Signs the read (21 CFR Part 11): the password is verified, the form must be valid, and the signature stores the
    /// meaning, the signer's name, the time and the SHA-256 of the canonical content. The read is then locked.
    /// </summary>
    public async Task<ReadSaveResult> SignAsync(Guid taskId, FormData data, string? password, Actor reader, CancellationToken cancellationToken)
    {
        var task = await OwnTaskAsync(taskId, reader, cancellationToken, tracked: true);
        var (existing, template) = await FindDraftAsync(task, cancellationToken);
        var computation = await ComputeAsync(task, template, data, cancellationToken);
        if (computation.Errors.Count > 0)
            return new ReadSaveResult(null, computation.Errors);
        // Verify before anything else changes: Identity saves the failure count through this same context.
        var signer = await signatures.VerifyAsync(reader, password, nameof(Read), existing?.Id ?? task.Id, cancellationToken);
        var (read, _) = await DraftAsync(task, cancellationToken);

        Apply(read, data, computation);
        var now = time.GetUtcNow().UtcDateTime;
        var signature = new ElectronicSignature(nameof(Read), read.Id, signer.Id, signer.DisplayName, ElectronicSignature.ReadMeaning, now, FormData.Sha256Of(read.Content));
        db.ElectronicSignatures.Add(signature);
        read.Sign(signature);
        if (read.PreviousVersionId is { } previousId)
            (await db.Reads.SingleAsync(r => r.Id == previousId, cancellationToken)).Supersede();
        task.Complete(now);
        db.RecordEvent("Signed", nameof(Read), read.Id.ToString(),
            details: $"\"{signature.Meaning}\" signed by {signature.SignerName} at {now:O}; version {read.Version}; content SHA-256 {signature.ContentSha256}");
        await db.SaveChangesAsync(read.CorrectionReason ?? "read signed", cancellationToken);
        return new ReadSaveResult(View(read, signature), []);
    }

    /// <summary>Starts a correction of the signed read: a new draft version carrying the reason; the signed one stays until the correction is signed.</summary>
    public async Task<ReadView> CorrectAsync(Guid taskId, string reason, Actor reader, CancellationToken cancellationToken)
    {
        var task = await OwnTaskAsync(taskId, reader, cancellationToken, tracked: true);
        if (await db.Reads.AnyAsync(r => r.ReadTaskId == taskId && r.Status == ReadStatus.Draft, cancellationToken))
            throw new ReviewStateException($"Read task {taskId} already has a correction in progress; sign or continue it.");
        var signed = await db.Reads.SingleOrDefaultAsync(r => r.ReadTaskId == taskId && r.Status == ReadStatus.Signed, cancellationToken)
            ?? throw new ReviewStateException($"Read task {taskId} has no signed read to correct.");
        var correction = signed.Correct(reason, time.GetUtcNow().UtcDateTime);
        db.Reads.Add(correction);
        await db.SaveChangesAsync(reason, cancellationToken);
        return View(correction, null);
    }

    private async Task<ReadTask> OwnTaskAsync(Guid taskId, Actor reader, CancellationToken cancellationToken, bool tracked = false)
    {
        var query = tracked ? db.ReadTasks : db.ReadTasks.AsNoTracking();
        return await query.SingleOrDefaultAsync(t => t.Id == taskId && t.ReaderUserId == reader.UserId, cancellationToken)
            ?? throw new ReviewNotFoundException($"Read task {taskId} is not one of your tasks.");
    }

    private async Task<(Read Read, FormTemplate Template)> DraftAsync(ReadTask task, CancellationToken cancellationToken)
    {
        var (draft, template) = await FindDraftAsync(task, cancellationToken);
        if (draft is null)
        {
            draft = new Read(task.Id, task.ReaderUserId, template.TemplateId, template.Version, time.GetUtcNow().UtcDateTime);
            db.Reads.Add(draft);
        }
        return (draft, template);
    }

    private async Task<(Read? Read, FormTemplate Template)> FindDraftAsync(ReadTask task, CancellationToken cancellationToken)
    {
        var settings = await ReviewCoordinator.SettingsAsync(db, task.TrialId, cancellationToken);
        var template = templates.Get(settings.FormTemplateId);
        var reads = await db.Reads.Where(r => r.ReadTaskId == task.Id).OrderBy(r => r.Version).ToListAsync(cancellationToken);
        var draft = reads.LastOrDefault(r => r.Status == ReadStatus.Draft);
        if (draft is null && reads.Any(r => r.Status == ReadStatus.Signed))
            throw new ReviewStateException($"The read of task {task.Id} is signed and locked; start a correction (a new version with a reason) to change it.");
        return (draft, template);
    }

    private async Task<FormComputation> ComputeAsync(ReadTask task, FormTemplate template, FormData data, CancellationToken cancellationToken)
    {
        var prior = await PriorAsync(db, task, cancellationToken);
        if (!await IsBaselineAsync(task, cancellationToken) && prior.Count == 0)
            return new FormComputation(new Dictionary<string, string?>(), [new FormError("timepoint",
                "this is a follow-up, and you have no signed read of this subject's baseline: responses are computed against your own baseline. Sign the baseline task first, or ask the study manager to assign it to you.")]);
        var series = prior.Select(p => new FormTimepoint(p.ScanDate ?? DateOnly.MinValue, p.Data)).Append(new FormTimepoint(task.ScanDate ?? DateOnly.MinValue, data)).ToList();
        return FormCalculators.Evaluate(template, series);
    }

    private async Task<bool> IsBaselineAsync(ReadTask task, CancellationToken cancellationToken) =>
        !await db.ReadTasks.AnyAsync(t => t.SubjectId == task.SubjectId && t.StudyId != task.StudyId && t.ScanDate < task.ScanDate, cancellationToken);

    /// <summary>The same reader's signed reads of the subject's earlier timepoints, oldest (the baseline) first.</summary>
    internal static async Task<IReadOnlyList<PriorTimepoint>> PriorAsync(TrialFlowDbContext db, ReadTask task, CancellationToken cancellationToken)
    {
        var earlier = await db.ReadTasks.AsNoTracking()
            .Where(t => t.SubjectId == task.SubjectId && t.ReaderUserId == task.ReaderUserId && t.StudyId != task.StudyId && t.ScanDate < task.ScanDate)
            .Join(db.Reads.Where(r => r.Status == ReadStatus.Signed), t => t.Id, r => r.ReadTaskId, (t, r) => new { t.Timepoint, t.ScanDate, r.Content, r.Computed })
            .ToListAsync(cancellationToken);
        return earlier.OrderBy(e => e.ScanDate).Select(e => new PriorTimepoint(e.Timepoint, e.ScanDate, FormData.FromJson(e.Content), ComputedOf(e.Computed))).ToList();
    }

    /// <summary>The de-identified study's series. Blinded readers see no site records, so this reads past the site filter, for the task's study only.</summary>
    internal static async Task<ReadTaskImages> ImagesAsync(TrialFlowDbContext db, Guid studyId, CancellationToken cancellationToken)
    {
        var study = await db.Studies.IgnoreQueryFilters().AsNoTracking().Where(s => s.Id == studyId).Select(s => s.StudyInstanceUid).SingleAsync(cancellationToken);
        var series = await db.Series.IgnoreQueryFilters().AsNoTracking().Where(s => s.StudyId == studyId).OrderBy(s => s.SeriesNumber)
            .Select(s => new { s.SeriesInstanceUid, s.Modality, s.SeriesNumber, s.Description, s.NumberOfInstances }).ToListAsync(cancellationToken);
        return new ReadTaskImages(study, series.Select(s => new SeriesLink(s.SeriesInstanceUid, s.Modality, s.SeriesNumber, s.Description, s.NumberOfInstances,
            $"/dicomweb/studies/{study}/series/{s.SeriesInstanceUid}")).ToList());
    }

    private static void Apply(Read read, FormData data, FormComputation computation) =>
        read.SaveDraft(data.ToCanonicalJson(), JsonSerializer.Serialize(computation.Values, Json),
            computation["overallResponse"], computation["bestOverallResponse"], computation["dateOfProgression"],
            decimal.TryParse(computation["sumOfDiametersMm"], System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var sum) ? sum : null);

    internal static IReadOnlyDictionary<string, string?> ComputedOf(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string?>>(json, Json) ?? new Dictionary<string, string?>();

    internal static ReadView View(Read read, ElectronicSignature? signature) =>
        new(read.Id, read.Version, read.Status, FormData.FromJson(read.Content), ComputedOf(read.Computed), read.CorrectionReason,
            signature is null ? null : new SignatureView(signature.SignerName, signature.Meaning, signature.SignedAt, signature.ContentSha256));
}
