using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Reports.History;

namespace TrialFlow.Reports.Dossier;

/// <summary>A rendered dossier and what identifies it.</summary>
public sealed record DossierFile(string FileName, byte[] Content, string Sha256, SubjectHistory History);

/// <summary>A zip of the dossiers of every subject of a site visible to the requester.</summary>
public sealed record SiteDossierArchive(string FileName, byte[] Content, string Sha256, IReadOnlyList<DossierFile> Dossiers);

/// <summary>
/// Generates dossiers for the requester of <c>db</c> (site scoping applies) and records each download as an audit event
/// with the file's SHA-256, so what an inspector took away can be matched to the trail later.
/// </summary>
public sealed class DossierService(SubjectHistoryBuilder histories)
{
    public const string DownloadAction = "DossierDownloaded";
    public const string SiteDownloadAction = "SiteDossiersDownloaded";

    /// <summary>Renders the dossier without recording anything (previews, tests, the benchmark); null when the subject is not visible.</summary>
    public async Task<DossierFile?> GenerateAsync(TrialFlowDbContext db, Guid subjectId, DateTime cutOff, CancellationToken cancellationToken = default)
    {
        var history = await histories.BuildAsync(db, subjectId, cutOff, cancellationToken);
        if (history is null)
            return null;
        var content = DossierRenderer.Render(history, new DossierStamp(db.Actor.UserName, db.Actor.Role));
        var name = $"dossier-{Safe(history.TrialProtocolId)}-{Safe(history.SubjectKey)}-{HistoryFormat.CutOffStamp(history.CutOff)}.pdf";
        return new DossierFile(name, content, Convert.ToHexStringLower(SHA256.HashData(content)), history);
    }

    /// <summary>Renders the dossier and records its download (who, which file, its SHA-256) in the audit trail.</summary>
    public async Task<DossierFile?> DownloadAsync(TrialFlowDbContext db, Guid subjectId, DateTime cutOff, CancellationToken cancellationToken = default)
    {
        var file = await GenerateAsync(db, subjectId, cutOff, cancellationToken);
        if (file is null)
            return null;
        RecordDownload(db, file, via: "subject");
        await db.SaveChangesAsync(cancellationToken);
        return file;
    }

    /// <summary>
    /// One dossier per subject of the site, zipped with fixed entry times (the cut-off) so the zip is as reproducible as
    /// its entries; records one event per subject dossier and one for the zip. Null when the site is not visible.
    /// </summary>
    public async Task<SiteDossierArchive?> DownloadSiteAsync(TrialFlowDbContext db, Guid siteId, DateTime cutOff, CancellationToken cancellationToken = default)
    {
        var site = await db.Sites.AsNoTracking().SingleOrDefaultAsync(s => s.Id == siteId, cancellationToken);
        if (site is null)
            return null;
        var trial = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == site.TrialId, cancellationToken);
        var subjectIds = await db.Subjects.AsNoTracking().Where(s => s.SiteId == siteId).OrderBy(s => s.SubjectKey).Select(s => s.Id).ToListAsync(cancellationToken);
        cutOff = HistoryFormat.CutOff(cutOff);
        var dossiers = new List<DossierFile>();
        foreach (var id in subjectIds)
            if (await GenerateAsync(db, id, cutOff, cancellationToken) is { } file)
                dossiers.Add(file);

        using var zipped = new MemoryStream();
        using (var zip = new ZipArchive(zipped, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var dossier in dossiers)
            {
                var entry = zip.CreateEntry(dossier.FileName, CompressionLevel.NoCompression); // PDF streams are already compressed
                entry.LastWriteTime = new DateTimeOffset(cutOff);
                await using var stream = entry.Open();
                await stream.WriteAsync(dossier.Content, cancellationToken);
            }
        }
        var content = zipped.ToArray();
        var archive = new SiteDossierArchive($"dossiers-{Safe(trial.ProtocolId)}-site-{Safe(site.SiteNumber)}-{HistoryFormat.CutOffStamp(cutOff)}.zip",
            content, Convert.ToHexStringLower(SHA256.HashData(content)), dossiers);
        foreach (var dossier in dossiers)
            RecordDownload(db, dossier, via: archive.FileName);
        db.RecordEvent(SiteDownloadAction, "Site", siteId.ToString(), siteId, JsonSerializer.Serialize(new
        {
            file = archive.FileName,
            sha256 = archive.Sha256,
            bytes = content.Length,
            cutOff = HistoryFormat.Time(cutOff),
            dossiers = dossiers.Select(d => new { subject = d.History.SubjectKey, sha256 = d.Sha256 }),
        }));
        await db.SaveChangesAsync(cancellationToken);
        return archive;
    }

    private static void RecordDownload(TrialFlowDbContext db, DossierFile file, string via) =>
        db.RecordEvent(DownloadAction, "Subject", file.History.SubjectId.ToString(), file.History.SiteId, JsonSerializer.Serialize(new
        {
            file = file.FileName,
            sha256 = file.Sha256,
            bytes = file.Content.Length,
            cutOff = HistoryFormat.Time(file.History.CutOff),
            lastEventCovered = file.History.LastCoveredEvent?.Sequence,
            lastEventHash = file.History.LastCoveredEvent?.Hash,
            chain = file.History.Chain.IsIntact ? "intact" : $"broken at #{file.History.Chain.BrokenAt}",
            via,
        }));

    private static string Safe(string text) => string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
