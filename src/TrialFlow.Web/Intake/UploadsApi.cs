using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Intake.Domain;
using TrialFlow.Core.Persistence;
using TrialFlow.Intake.Pipeline;
using TrialFlow.Intake.Staging;
using TrialFlow.Intake.Uploads;
using TrialFlow.Web.Security;

namespace TrialFlow.Web.Intake;

/// <summary>
/// Resumable uploads for the browser and the CLI: open a session for a site (and optionally a subject and visit), send
/// each file in chunks (<c>Content-Range</c>), complete it, then submit the session to complete its studies. A chunk is
/// kept only if it is the next one of its file and exactly what its Content-Range declares; refusals are ProblemDetails
/// that say what to send instead.
/// </summary>
public static class UploadsApi
{
    public static IEndpointRouteBuilder MapUploadsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/uploads").WithTags("Uploads").RequireAuthorization(Policies.Upload);
        api.MapPost("/", Open).WithName("OpenUploadSession");
        api.MapGet("/{sessionId:guid}", Summary).WithName("GetUploadSession");
        api.MapGet("/{sessionId:guid}/files/{fileId}", Progress).WithName("GetUploadProgress").WithSummary("Bytes received so far: resume from there.");
        api.MapPut("/{sessionId:guid}/files/{fileId}", Chunk).WithName("UploadChunk").WithSummary("One chunk; Content-Range: bytes START-END/TOTAL.");
        api.MapPost("/{sessionId:guid}/files/{fileId}/complete", Complete).WithName("CompleteUploadFile");
        api.MapPost("/{sessionId:guid}/submit", Submit).WithName("SubmitUploadSession")
            .WithSummary("Completes the session's studies once intake has settled every file (200); until then 202: poll the session, submit again when Processing is 0.");
        return endpoints;
    }

    private static async Task<Results<Created<UploadSessionResponse>, NotFound<string>, ValidationProblem>> Open(
        OpenUploadRequest request, TrialFlowDbContext db, TimeProvider time, CancellationToken ct)
    {
        var site = await db.Sites.AsNoTracking().SingleOrDefaultAsync(s => s.Id == request.SiteId, ct);
        if (site is null)
            return TypedResults.NotFound($"Site {request.SiteId} is not one of your sites.");
        if (request.SubjectId is { } subjectId && !await db.Subjects.AnyAsync(s => s.Id == subjectId && s.SiteId == site.Id, ct))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["subjectId"] = [$"Subject {subjectId} is not a subject of site {site.SiteNumber}."] });
        if (request.VisitId is { } visitId && !await db.Visits.AnyAsync(v => v.Id == visitId && v.SubjectId == request.SubjectId, ct))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["visitId"] = ["The visit is not a visit of the chosen subject."] });
        if (request.Purpose == IntakePurpose.Qualification && (request.SubjectId is not null || request.VisitId is not null))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["purpose"] = ["A qualification scan is for no subject or visit: leave subjectId and visitId empty."] });
        if (request.Channel is not (IntakeChannel.BrowserUpload or IntakeChannel.Cli))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["channel"] = ["Uploads come from BrowserUpload or Cli."] });

        var session = new UploadSession(site.TrialId, site.Id, request.SubjectId, request.VisitId, request.Channel, db.Actor.UserName, time.GetUtcNow().UtcDateTime, request.Purpose);
        db.UploadSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/uploads/{session.Id}", await DescribeAsync(db, session, ct));
    }

    private static async Task<Results<Ok<UploadSessionResponse>, NotFound>> Summary(Guid sessionId, TrialFlowDbContext db, CancellationToken ct) =>
        await db.UploadSessions.AsNoTracking().SingleOrDefaultAsync(u => u.Id == sessionId, ct) is { } session
            ? TypedResults.Ok(await DescribeAsync(db, session, ct))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<UploadProgressResponse>, NotFound, ProblemHttpResult>> Progress(
        Guid sessionId, string fileId, TrialFlowDbContext db, UploadChunkStore chunks, CancellationToken ct)
    {
        if (!await db.UploadSessions.AnyAsync(u => u.Id == sessionId, ct))
            return TypedResults.NotFound();
        try
        {
            return TypedResults.Ok(new UploadProgressResponse(fileId, chunks.Received(sessionId, fileId)));
        }
        catch (UploadException e)
        {
            return Refused(e);
        }
    }

    private static async Task<Results<Ok<UploadProgressResponse>, NotFound, ProblemHttpResult>> Chunk(
        Guid sessionId, string fileId, HttpRequest request, TrialFlowDbContext db, UploadChunkStore chunks, CancellationToken ct)
    {
        var session = await db.UploadSessions.AsNoTracking().SingleOrDefaultAsync(u => u.Id == sessionId, ct);
        if (session is null)
            return TypedResults.NotFound();
        if (session.Status != UploadSessionStatus.Open)
            return TypedResults.Problem($"The upload session is {session.Status}.", statusCode: StatusCodes.Status409Conflict);
        if (!ContentRangeHeaderValue.TryParse(request.Headers.ContentRange.ToString(), out var range)
            || range is not { Unit: "bytes", From: { } from, To: { } to, Length: { } total })
            return TypedResults.Problem("Send Content-Range: bytes START-END/TOTAL with each chunk.", statusCode: StatusCodes.Status400BadRequest);
        try
        {
            return TypedResults.Ok(new UploadProgressResponse(fileId, await chunks.AppendAsync(sessionId, fileId, new ChunkRange(from, to, total), request.Body, ct)));
        }
        catch (UploadException e)
        {
            return Refused(e);
        }
    }

    private static async Task<Results<Accepted<UploadProgressResponse>, NotFound, ProblemHttpResult>> Complete(
        Guid sessionId, string fileId, CompleteFileRequest body, TrialFlowDbContext db, UploadChunkStore chunks, IntakeReceiver intake, TimeProvider time, CancellationToken ct)
    {
        var session = await db.UploadSessions.SingleOrDefaultAsync(u => u.Id == sessionId, ct);
        if (session is null)
            return TypedResults.NotFound();
        if (session.Status != UploadSessionStatus.Open)
            return TypedResults.Problem($"The upload session is {session.Status}: no more files.", statusCode: StatusCodes.Status409Conflict);
        try
        {
            await chunks.CompleteAsync(sessionId, fileId, body.Size, body.Sha256, async (file, token) =>
            {
                await intake.StageAsync(new StagedObject(session.Channel, session.TrialId, session.SiteId, time.GetUtcNow().UtcDateTime, db.Actor.UserName,
                    session.Id, session.SubjectId, session.VisitId, file.Length, fileId, session.Purpose), file, token);
                session.RecordFileReceived();
                await db.SaveChangesAsync(token);
            }, ct);
            return TypedResults.Accepted($"/api/uploads/{sessionId}", new UploadProgressResponse(fileId, body.Size));
        }
        catch (UploadException e)
        {
            return Refused(e);
        }
        catch (IntakeRejectedException e)
        {
            // Refused at intake's door (unreadable, not allowed): the bytes arrived whole, so resending cannot help.
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Intake refused the file");
        }
    }

    /// <summary>
    /// Intake settles files in the background, so submit does not wait for it: while files are still processing it
    /// answers 202 with the summary (its <see cref="UploadSessionResponse.Processing"/> counts them) and the session's
    /// address; the client polls that and submits again when nothing is processing. Submitting a submitted session
    /// answers its summary again, so a client whose answer was lost can simply retry.
    /// </summary>
    private static async Task<Results<Ok<UploadSessionResponse>, Accepted<UploadSessionResponse>, NotFound, ProblemHttpResult>> Submit(
        Guid sessionId, TrialFlowDbContext db, TimeProvider time, CancellationToken ct)
    {
        var session = await db.UploadSessions.SingleOrDefaultAsync(u => u.Id == sessionId, ct);
        if (session is null)
            return TypedResults.NotFound();
        if (session.Status == UploadSessionStatus.Submitted)
            return TypedResults.Ok(await DescribeAsync(db, session, ct));
        if (session.Status != UploadSessionStatus.Open)
            return TypedResults.Problem($"The upload session is {session.Status}.", statusCode: StatusCodes.Status409Conflict);

        var summary = await DescribeAsync(db, session, ct);
        if (summary.Processing > 0)
            return TypedResults.Accepted($"/api/uploads/{sessionId}", summary);
        await StudyCompletion.SubmitAsync(db, session, time.GetUtcNow().UtcDateTime, ct);
        return TypedResults.Ok(await DescribeAsync(db, session, ct));
    }

    /// <summary>What the chunk store refused, as a ProblemDetails whose detail says what to send instead.</summary>
    private static ProblemHttpResult Refused(UploadException e) => e switch
    {
        UploadTooLargeException => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large"),
        UploadChunkException => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "The chunk does not fit what was received"),
        InvalidFileIdException => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid file id"),
        _ => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "The chunk was refused"),
    };

    private static async Task<UploadSessionResponse> DescribeAsync(TrialFlowDbContext db, UploadSession session, CancellationToken ct)
    {
        // Files refused at intake's door have a Rejected receipt for site monitoring, but were never received: the 422
        // from complete told the uploader why, so the session's summary leaves them out.
        var receipts = await db.IntakeReceipts.AsNoTracking().Where(r => r.UploadSessionId == session.Id && r.Outcome != IntakeOutcome.Rejected)
            .Select(r => new UploadFileOutcome(r.ClientReference, r.Outcome, r.Reason)).ToListAsync(ct);
        // Intake gives every file it was handed a receipt; a file without one is still being processed.
        var settled = receipts.Select(r => r.FileId).Distinct().Count();
        return new UploadSessionResponse(session.Id, session.SiteId, session.SubjectId, session.VisitId, session.Status, session.FilesReceived,
            receipts.Count(r => r.Outcome == IntakeOutcome.Archived), receipts.Count(r => r.Outcome == IntakeOutcome.Duplicate),
            receipts.Count(r => r.Outcome == IntakeOutcome.Quarantined), Math.Max(0, session.FilesReceived - settled), receipts, session.Purpose);
    }
}

/// <param name="Purpose">Qualification: a scanner qualification scan, for no subject or visit.</param>
public sealed record OpenUploadRequest(Guid SiteId, Guid? SubjectId, Guid? VisitId, IntakeChannel Channel = IntakeChannel.BrowserUpload, IntakePurpose Purpose = IntakePurpose.Subject);

public sealed record CompleteFileRequest(long Size, string? Sha256);

public sealed record UploadProgressResponse(string FileId, long Received);

public sealed record UploadFileOutcome(string? FileId, IntakeOutcome Outcome, string? Reason);

/// <summary>
/// An upload session and what intake did with its files so far. <see cref="Processing"/> counts the files received but
/// not yet settled by intake (archived, found a duplicate, or held); submit completes the session once it is 0.
/// </summary>
public sealed record UploadSessionResponse(Guid Id, Guid SiteId, Guid? SubjectId, Guid? VisitId, UploadSessionStatus Status,
    int FilesReceived, int Archived, int Duplicates, int Held, int Processing, IReadOnlyList<UploadFileOutcome> Files, IntakePurpose Purpose = IntakePurpose.Subject);
