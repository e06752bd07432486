using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;
using TrialFlow.Review.Domain;
using TrialFlow.Review.Forms;

namespace TrialFlow.Review.Service;

/// <summary>
/// What an adjudicator does: their open adjudications, both reads side by side (labelled A and B, not by reader), and
/// the decision — one read accepted with a rationale, signed like a read. Only adjudications assigned to the caller exist.
/// </summary>
public sealed class AdjudicationService(TrialFlowDbContext db, FormTemplateCatalog templates, SignatureVerifier signatures, TimeProvider time)
{
    public async Task<IReadOnlyList<AdjudicationItem>> WorklistAsync(Actor adjudicator, CancellationToken cancellationToken)
    {
        var rows = await db.Adjudications.AsNoTracking().Where(a => a.AdjudicatorUserId == adjudicator.UserId)
            .OrderBy(a => a.Status).ThenBy(a => a.DueAt).Take(200).ToListAsync(cancellationToken);
        var studyIds = rows.Select(r => r.StudyId).ToList();
        var timepoints = await db.ReadTasks.AsNoTracking().Where(t => studyIds.Contains(t.StudyId) && t.Slot == 1).ToDictionaryAsync(t => t.StudyId, t => t.Timepoint, cancellationToken);
        return rows.Select(a => new AdjudicationItem(a.Id, BlindedLabels.SubjectCode(a.SubjectId), timepoints.GetValueOrDefault(a.StudyId, ""), a.Differences, a.OpenedAt, a.DueAt, a.Status)).ToList();
    }

    public async Task<AdjudicationView> OpenAsync(Guid adjudicationId, Actor adjudicator, CancellationToken cancellationToken)
    {
        var adjudication = await OwnAsync(adjudicationId, adjudicator, cancellationToken);
        var sides = new List<AdjudicationSide>();
        foreach (var compared in await AdjudicationReads.OfAsync(db, adjudication, cancellationToken))
        {
            var view = ReadingService.View(compared.Read, null);
            sides.Add(new AdjudicationSide(compared.Label, compared.Read.Id, view.Data, view.Computed, await ReadingService.PriorAsync(db, compared.Task, cancellationToken)));
        }
        var settings = await ReviewCoordinator.SettingsAsync(db, adjudication.TrialId, cancellationToken);
        var signature = adjudication.SignatureId is { } sid ? await db.ElectronicSignatures.AsNoTracking().SingleAsync(s => s.Id == sid, cancellationToken) : null;
        var timepoint = await db.ReadTasks.AsNoTracking().Where(t => t.StudyId == adjudication.StudyId).OrderBy(t => t.Slot).Select(t => t.Timepoint).FirstAsync(cancellationToken);
        return new AdjudicationView(adjudication.Id, BlindedLabels.SubjectCode(adjudication.SubjectId), timepoint, adjudication.Differences, adjudication.Status,
            templates.Get(settings.FormTemplateId), sides[0], sides[1], sides,
            adjudication.AcceptedReadId, adjudication.Rationale,
            signature is null ? null : new SignatureView(signature.SignerName, signature.Meaning, signature.SignedAt, signature.ContentSha256),
            await ReadingService.ImagesAsync(db, adjudication.StudyId, cancellationToken));
    }

    /// <summary>Accepts one of the compared reads with a rationale, signed with the password; the accepted read is flagged (RSACPTFL), the others not.</summary>
    public async Task<AdjudicationView> DecideAsync(Guid adjudicationId, Guid acceptedReadId, string rationale, string? password, Actor adjudicator, CancellationToken cancellationToken)
    {
        var adjudication = await OwnAsync(adjudicationId, adjudicator, cancellationToken, tracked: true);
        if (adjudication.Status == AdjudicationStatus.Decided)
            throw new ReviewStateException($"Adjudication {adjudicationId} was decided already; its decision is locked.");
        var compared = (await AdjudicationReads.OfAsync(db, adjudication, cancellationToken)).Select(c => c.Read.Id).ToList();
        if (!compared.Contains(acceptedReadId))
            throw new ArgumentException($"Read {acceptedReadId} is not one of the {compared.Count} reads of this adjudication.", nameof(acceptedReadId));
        if (string.IsNullOrWhiteSpace(rationale))
            throw new ArgumentException("The decision needs a rationale.", nameof(rationale));
        var signer = await signatures.VerifyAsync(adjudicator, password, nameof(TrialFlow.Review.Domain.Adjudication), adjudicationId, cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var content = new FormData(new Dictionary<string, string?>
        {
            ["adjudication"] = adjudication.Id.ToString(),
            ["acceptedRead"] = acceptedReadId.ToString(),
            ["rationale"] = rationale.Trim(),
        }, new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string?>>>()).ToCanonicalJson();
        var signature = new ElectronicSignature(nameof(TrialFlow.Review.Domain.Adjudication), adjudication.Id, signer.Id, signer.DisplayName, ElectronicSignature.AdjudicationMeaning, now, FormData.Sha256Of(content));
        db.ElectronicSignatures.Add(signature);
        adjudication.Decide(acceptedReadId, rationale, signature, compared);
        foreach (var read in await db.Reads.Where(r => compared.Contains(r.Id)).ToListAsync(cancellationToken))
            read.MarkAccepted(read.Id == acceptedReadId);
        db.RecordEvent("Signed", nameof(TrialFlow.Review.Domain.Adjudication), adjudication.Id.ToString(),
            details: $"\"{signature.Meaning}\" signed by {signature.SignerName} at {now:O}; accepted read {acceptedReadId}; content SHA-256 {signature.ContentSha256}");
        await db.SaveChangesAsync("adjudication decided", cancellationToken);
        return await OpenAsync(adjudicationId, adjudicator, cancellationToken);
    }

    private async Task<TrialFlow.Review.Domain.Adjudication> OwnAsync(Guid id, Actor adjudicator, CancellationToken cancellationToken, bool tracked = false)
    {
        var query = tracked ? db.Adjudications : db.Adjudications.AsNoTracking();
        return await query.SingleOrDefaultAsync(a => a.Id == id && a.AdjudicatorUserId == adjudicator.UserId, cancellationToken)
            ?? throw new ReviewNotFoundException($"Adjudication {id} is not one of yours.");
    }
}
