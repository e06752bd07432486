using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Workflows.Definitions;
using TrialFlow.Workflows.Persistence;
using TrialFlow.Workflows.Validation;

namespace TrialFlow.Workflows.Publishing;

/// <summary>
/// Drafts and published versions of workflow definitions. A draft is edited freely; publishing validates it and writes
/// an immutable version (never updated afterwards) with the publisher's reason, audited in the same transaction.
/// Instances started on a version stay on it; new instances take the latest.
/// </summary>
public sealed class WorkflowDefinitions(DatabaseOptions database, WorkflowStore store, WorkflowValidator validator, TimeProvider time)
{
    public Task SaveDraftAsync(WorkflowDocument document, Guid? trialId, Actor actor, CancellationToken cancellationToken = default) =>
        InTransactionAsync(actor, (db, wf) => SaveDraftAsync(db, wf, document, trialId, actor, cancellationToken), cancellationToken);

    private async Task SaveDraftAsync(TrialFlowDbContext db, WorkflowDbContext wf, WorkflowDocument document, Guid? trialId, Actor actor, CancellationToken cancellationToken)
    {
        var record = await wf.Definitions.SingleOrDefaultAsync(d => d.DefinitionId == document.DefinitionId, cancellationToken);
        // Another trial's workflow is neither overwritten nor bound elsewhere by someone who does not work on it.
        foreach (var trial in new[] { record?.TrialId, trialId }.OfType<Guid>())
            if (!actor.Scope.AllowsTrial(trial))
                throw new TrialAccessDeniedException("WorkflowDefinition", document.DefinitionId, trial);
        if (record is null)
        {
            record = new WorkflowDefinitionRecord { DefinitionId = document.DefinitionId };
            wf.Definitions.Add(record);
        }
        record.Name = document.Name;
        // Binding (or moving) it to a trial applies it to that trial's studies from now on, never silently to the past.
        if (trialId is { } bound && bound != record.TrialId)
            record.AppliesFrom = time.GetUtcNow().UtcDateTime;
        record.TrialId = trialId ?? record.TrialId;
        record.DraftJson = WorkflowJson.Write(document with { IsPublished = false });
        record.UpdatedAt = time.GetUtcNow().UtcDateTime;
        record.UpdatedBy = actor.UserName;
        await wf.SaveChangesAsync(cancellationToken);
        db.RecordEvent("WorkflowDraftSaved", "WorkflowDefinition", document.DefinitionId, details: Details(new { document.Name, trialId = record.TrialId, appliesFrom = record.AppliesFrom, sha256 = Sha256(record.DraftJson) }));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Validates the draft and publishes it as the next version; returns the version number.</summary>
    public async Task<int> PublishAsync(string definitionId, string reason, Actor actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("Publishing a workflow requires a reason.", nameof(reason));
        var version = 0;
        await InTransactionAsync(actor, async (db, wf) => version = await PublishAsync(db, wf, definitionId, reason, actor, cancellationToken), cancellationToken);
        return version;
    }

    private async Task<int> PublishAsync(TrialFlowDbContext db, WorkflowDbContext wf, string definitionId, string reason, Actor actor, CancellationToken cancellationToken)
    {
        var record = await wf.Definitions.SingleOrDefaultAsync(d => d.DefinitionId == definitionId, cancellationToken)
            ?? throw new KeyNotFoundException($"Workflow '{definitionId}' has no draft.");
        if (record.TrialId is { } trial && !actor.Scope.AllowsTrial(trial))
            throw new TrialAccessDeniedException("WorkflowDefinition", definitionId, trial);
        var draft = WorkflowJson.Parse(record.DraftJson, definitionId);
        var errors = validator.Validate(draft);
        if (errors.Count > 0)
            throw new WorkflowInvalidException(definitionId, errors);
        var version = (await wf.Versions.Where(v => v.DefinitionId == definitionId).MaxAsync(v => (int?)v.Version, cancellationToken) ?? 0) + 1;
        var json = WorkflowJson.Write(draft with { Version = version, IsPublished = true });
        wf.Versions.Add(new WorkflowVersionRecord
        {
            DefinitionId = definitionId,
            Version = version,
            Json = json,
            PublishedAt = time.GetUtcNow().UtcDateTime,
            PublishedBy = actor.UserName,
            Reason = reason.Trim(),
        });
        await wf.SaveChangesAsync(cancellationToken);
        db.RecordEvent("WorkflowPublished", "WorkflowDefinition", $"{definitionId} v{version}", details: Details(new { draft.Name, version, sha256 = Sha256(json) }));
        db.Publish(new Events.WorkflowPublished(definitionId, version));
        await db.SaveChangesAsync(reason, cancellationToken);
        return version;
    }

    /// <summary>
    /// Loads each <c>*.json</c> (not <c>*.schema.json</c>) of <paramref name="directory"/> not yet in the database as a draft
    /// and publishes it. A file is validated before anything is written, and its draft and version are written in one
    /// transaction: a file that does not validate stops start-up with <see cref="WorkflowInvalidException"/> and leaves no row.
    /// </summary>
    public async Task<IReadOnlyList<string>> SeedAsync(string directory, Actor actor, CancellationToken cancellationToken = default)
    {
        var seeded = new List<string>();
        if (!Directory.Exists(directory))
            return seeded;
        foreach (var path in Directory.GetFiles(directory, "*.json").Where(p => !p.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var document = WorkflowJson.Load(path);
            await using (var wf = store.Context())
                if (await wf.Definitions.AnyAsync(d => d.DefinitionId == document.DefinitionId, cancellationToken))
                    continue;
            var errors = validator.Validate(document);
            if (errors.Count > 0)
                throw new WorkflowInvalidException(document.DefinitionId, errors, Path.GetFileName(path));
            await InTransactionAsync(actor, async (db, wf) =>
            {
                await SaveDraftAsync(db, wf, document, null, actor, cancellationToken);
                await PublishAsync(db, wf, document.DefinitionId, $"seeded from {Path.GetFileName(path)}", actor, cancellationToken);
            }, cancellationToken);
            seeded.Add(document.DefinitionId);
        }
        return seeded;
    }

    public async Task<IReadOnlyList<WorkflowDefinitionRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var wf = store.Context();
        return await wf.Definitions.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken);
    }

    public async Task<WorkflowDefinitionRecord?> FindAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        await using var wf = store.Context();
        return await wf.Definitions.AsNoTracking().SingleOrDefaultAsync(d => d.DefinitionId == definitionId, cancellationToken);
    }

    public async Task<IReadOnlyList<WorkflowVersionRecord>> VersionsAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        await using var wf = store.Context();
        return await wf.Versions.AsNoTracking().Where(v => v.DefinitionId == definitionId).OrderByDescending(v => v.Version).ToListAsync(cancellationToken);
    }

    private async Task InTransactionAsync(Actor actor, Func<TrialFlowDbContext, WorkflowDbContext, Task> work, CancellationToken cancellationToken)
    {
        await using var db = DatabaseServiceCollectionExtensions.CreateContext(database, actor, time);
        await store.InTransactionWithAsync(db, wf => work(db, wf), cancellationToken);
    }

    private static string Details(object value) => JsonSerializer.Serialize(value);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
