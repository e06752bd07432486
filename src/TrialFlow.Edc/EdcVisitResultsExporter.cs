using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Workflows.Activities;

namespace TrialFlow.Edc;

/// <summary>
/// The EDC export behind the ExportToEdc activity: the imaging status of the study's visit as ODM 1.3.2, checked by
/// <see cref="OdmStructureValidator"/>, delivered, and recorded as an <c>ExportedToEdc</c> audit event keyed by the
/// step's idempotency key. A key already recorded is not delivered again. The audit event is written after the
/// delivery: a crash between the two re-delivers once with the same key (same file name, same Idempotency-Key header).
/// </summary>
public sealed class EdcVisitResultsExporter(
    WorkflowDatabase database,
    EdcMappings mappings,
    IEdcDelivery delivery,
    IOpenQueryCounts queries,
    IReviewProgressSource reviews,
    TimeProvider time) : IVisitResultsExporter
{
    public const string ExportedAction = "ExportedToEdc";
    public const string EntityType = "EdcExport";

    public async Task<VisitExportReceipt> ExportAsync(VisitExportRequest request, CancellationToken cancellationToken)
    {
        await using var db = database.Context();
        var earlier = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == ExportedAction && e.EntityType == EntityType && e.EntityId == request.IdempotencyKey)
            .Select(e => e.NewValues).FirstOrDefaultAsync(cancellationToken);
        if (earlier is not null)
            return new VisitExportReceipt(JsonDocument.Parse(earlier).RootElement.GetProperty("target").GetString() ?? "", AlreadyDelivered: true);

        var study = await db.Studies.AsNoTracking().Where(s => s.Id == request.StudyId)
            .Select(s => new { s.SiteId, s.VisitId, s.StudyInstanceUid }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"Study {request.StudyId} does not exist; nothing was exported.");
        if (study.VisitId is not { } visitId)
            throw new InvalidOperationException($"Study {study.StudyInstanceUid} is not matched to a registered visit; assign it to a visit, then retry the export.");
        var trial = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == request.TrialId, cancellationToken);
        var mapping = mappings.ForProtocol(trial.ProtocolId);
        var statuses = await new ImagingVisitStatusQuery(db, queries, reviews).ForTrialAsync(trial.Id, visitId, cancellationToken);
        var status = statuses.Single();

        var fileOid = $"TF.{trial.ProtocolId}.{FileDropDelivery.KeyHash(request.IdempotencyKey)}";
        var document = OdmStatusExport.Build(mapping, new OdmStudyInfo(trial.ProtocolId, trial.Title), statuses, time.GetUtcNow(), fileOid);
        if (OdmStructureValidator.Validate(document) is [_, ..] problems)
            throw new InvalidOperationException($"The ODM export of {status.SubjectKey} {status.VisitKey} breaks ODM 1.3.2 ({string.Join("; ", problems)}); nothing was sent.");
        var bytes = Serialize(document);

        var target = await delivery.DeliverAsync($"{Safe(status.SubjectKey)}_{Safe(status.VisitKey)}", bytes, request.IdempotencyKey, cancellationToken);

        using (await database.WriteLockAsync(cancellationToken))
        {
            db.RecordEvent(ExportedAction, EntityType, request.IdempotencyKey, study.SiteId, JsonSerializer.Serialize(new
            {
                target,
                studyId = request.StudyId,
                subject = status.SubjectKey,
                visit = status.VisitKey,
                fileOid,
                sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                // Explicit events carry no save reason of their own: the workflow step that exported is named here.
                reason = request.AuditReason,
            }));
            await db.SaveChangesAsync(request.AuditReason, cancellationToken);
        }
        return new VisitExportReceipt(target, AlreadyDelivered: false);
    }

    public static byte[] Serialize(System.Xml.Linq.XDocument document)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, Async = false }))
            document.Save(writer);
        return buffer.ToArray();
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
}
