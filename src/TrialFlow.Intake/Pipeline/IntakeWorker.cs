using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrialFlow.Intake.Staging;

namespace TrialFlow.Intake.Pipeline;

/// <summary>
/// Runs the pipeline over staged objects in arrival order, starting with whatever a previous run left staged. What is
/// waiting is taken as one batch (one transaction); a batch that cannot be settled at once — an object to
/// quarantine, an unexpected failure — is processed again object by object, so one bad object never holds up or
/// takes down the others. An object the pipeline fails on is tried again after a growing delay; after
/// <see cref="IntakeOptions.MaxProcessingAttempts"/> failures (a crash of the host while working on it counts) it is
/// held in quarantine as <c>ProcessingFailed</c> with the error, and data managers are told. Nothing acknowledged
/// stays in staging unseen.
/// </summary>
public sealed partial class IntakeWorker(IntakeReceiver receiver, IntakePipeline pipeline, IntakeAttempts attempts, IntakeOptions options, TimeProvider time,
    ILogger<IntakeWorker> logger) : BackgroundService
{
    /// <summary>Large enough to amortize a commit, small enough to bound memory (~40 KB to a few MB per object).</summary>
    private const int MaxBatch = 64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await CountInterruptedAttemptsAsync(stoppingToken);
        var recovered = receiver.Recover();
        if (recovered.Count > 0)
            logger.LogInformation("Intake recovered {Count} staged objects from before the restart", recovered.Count);

        try
        {
            while (await receiver.WaitForPendingAsync(stoppingToken))
            {
                var batch = new List<string>(MaxBatch);
                while (batch.Count < MaxBatch && receiver.TryTakePending(out var name))
                    batch.Add(name);
                await ProcessAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The objects the host was working on when it died count one failed attempt each, and are tried alone.</summary>
    private async Task CountInterruptedAttemptsAsync(CancellationToken stoppingToken)
    {
        var interrupted = attempts.Interrupted();
        attempts.End();
        foreach (var name in interrupted)
        {
            var count = attempts.RecordFailure(name, "the host stopped while processing this object");
            logger.LogWarning("Intake was processing staged object {Name} when the host stopped (attempt {Attempt} of {Max})", name, count, options.MaxProcessingAttempts);
            if (count >= options.MaxProcessingAttempts)
                await HoldAsync(name, count, "the host stopped while processing this object", stoppingToken);
        }
    }

    private async Task ProcessAsync(IReadOnlyList<string> batch, CancellationToken stoppingToken)
    {
        // Objects that failed before go alone: a poison object must not take a batch of good ones down with it again.
        var suspects = batch.Where(attempts.HasFailed).ToList();
        var rest = suspects.Count == 0 ? batch : batch.Except(suspects, StringComparer.Ordinal).ToList();
        if (rest.Count > 1 && await TryBatchAsync(rest, stoppingToken))
            rest = [];
        foreach (var name in suspects.Concat(rest))
            await ProcessOneAsync(name, stoppingToken);
    }

    private async Task<bool> TryBatchAsync(IReadOnlyList<string> batch, CancellationToken stoppingToken)
    {
        attempts.Begin(batch);
        try
        {
            return await pipeline.TryProcessBatchAsync(batch, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Intake batch of {Count} failed as a whole ({Error}); processing its objects one by one", batch.Count, Redacted(e));
            return false;
        }
        finally
        {
            attempts.End();
        }
    }

    private async Task ProcessOneAsync(string name, CancellationToken stoppingToken)
    {
        attempts.Begin([name]);
        try
        {
            await pipeline.ProcessAsync(name, stoppingToken);
            attempts.Forget(name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = Redacted(e);
            var count = attempts.RecordFailure(name, error);
            logger.LogError("Intake failed on staged object {Name} (attempt {Attempt} of {Max}): {Error}\n{StackTrace}",
                name, count, options.MaxProcessingAttempts, error, e.StackTrace);
            if (count >= options.MaxProcessingAttempts)
                await HoldAsync(name, count, error, stoppingToken);
            else
                receiver.RetryLater(name, options.RetryDelay * Math.Pow(4, count - 1), time);
        }
        finally
        {
            attempts.End();
        }
    }

    private async Task HoldAsync(string name, int count, string error, CancellationToken stoppingToken)
    {
        try
        {
            await pipeline.HoldAfterFailuresAsync(name, count, error, stoppingToken);
            attempts.Forget(name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not even the quarantine took it (the database is down?): it stays staged, where /health reports its age.
            logger.LogError("Intake could not hold staged object {Name} in quarantine either: {Error}; trying again later", name, Redacted(e));
            receiver.RetryLater(name, options.RetryDelay * Math.Pow(4, options.MaxProcessingAttempts), time);
        }
    }

    /// <summary>
    /// The error as a person can read it, down to its innermost cause, without the values DICOM and de-identification
    /// errors quote: "'Müller^Hans' cannot be encoded" carries a patient's name, and this text is logged and shown
    /// outside the encrypted stores. Other errors (the database's) keep their quotes: they name constraints, not patients.
    /// </summary>
    internal static string Redacted(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            var quotesValues = current.GetType().Namespace is { } ns && (ns.StartsWith("TrialFlow.Dicom", StringComparison.Ordinal) || ns.StartsWith("TrialFlow.Deid", StringComparison.Ordinal));
            parts.Add($"{current.GetType().Name}: {(quotesValues ? QuotedValue().Replace(current.Message, "'…'") : current.Message)}");
        }
        return string.Join(" → ", parts);
    }

    [GeneratedRegex("'[^']*'")]
    private static partial Regex QuotedValue();
}
