using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using TrialFlow.Core.Persistence;
using TrialFlow.Qc.Domain;
using TrialFlow.Qc.Rules;

namespace TrialFlow.Qc.Service;

/// <summary>
/// The published versions of the QC ruleset. The file seeds version 1 on first use; after that every publish adds an
/// immutable version (who, when, why) and the newest is active. A ruleset that does not compile is never published,
/// so the active version always compiles. Compiled rulesets are cached by content hash.
/// </summary>
public sealed class QcRulesetStore
{
    private readonly QcOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, CompiledRuleset> _compiled = new(StringComparer.Ordinal);
    private readonly Lazy<(string Name, string Content)> _seed;

    public QcRulesetStore(QcOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        // The seed must compile: a broken file stops the host at start-up with file, line and rule id.
        _seed = new(() =>
        {
            var content = File.ReadAllText(options.RulesetFile);
            var compiled = RulesetCompiler.Compile(Path.GetFileName(options.RulesetFile), content);
            _compiled.TryAdd(compiled.Sha256, compiled);
            return (compiled.Name, content);
        });
    }

    /// <summary>How long QC of one study may compute (<see cref="QcOptions.EvaluationTimeLimit"/>).</summary>
    public TimeSpan EvaluationTimeLimit => _options.EvaluationTimeLimit;

    /// <summary>The ruleset name every version carries (the seed file's <c>ruleset:</c>).</summary>
    public string RulesetName => _seed.Value.Name;

    public async Task<(QcRulesetVersion Version, CompiledRuleset Ruleset)> ActiveAsync(TrialFlowDbContext db, CancellationToken cancellationToken)
    {
        var active = await LatestAsync(db, cancellationToken) ?? await SeedAsync(db, cancellationToken);
        return (active, Compile(active));
    }

    public CompiledRuleset Compile(QcRulesetVersion version) =>
        _compiled.GetOrAdd(version.ContentSha256, _ => RulesetCompiler.Compile($"{version.RulesetName} v{version.Number}", version.Content));

    /// <summary>Validates without publishing; throws <see cref="RulesetException"/> with every problem.</summary>
    public CompiledRuleset Validate(string content, string file = "draft")
    {
        var compiled = RulesetCompiler.Compile(file, content);
        if (compiled.Name != RulesetName)
            throw new RulesetException([new(file, 1, null, $"'ruleset' must stay '{RulesetName}'; this installation has one QC ruleset")]);
        return compiled;
    }

    /// <summary>Publishes a new version as the context's actor, with a reason the audit trail keeps.</summary>
    public async Task<QcRulesetVersion> PublishAsync(TrialFlowDbContext db, string content, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException("Publishing a ruleset needs a reason.", nameof(reason));
        var compiled = Validate(content);
        var (active, _) = await ActiveAsync(db, cancellationToken);
        if (active.ContentSha256 == compiled.Sha256)
            throw new RulesetUnchangedException(active.Number);
        var version = new QcRulesetVersion(RulesetName, active.Number + 1, content, db.Actor.UserName, _time.GetUtcNow().UtcDateTime, reason);
        db.QcRulesetVersions.Add(version);
        await db.SaveChangesAsync(reason, cancellationToken);
        _compiled.TryAdd(version.ContentSha256, compiled);
        return version;
    }

    public Task<List<QcRulesetVersion>> HistoryAsync(TrialFlowDbContext db, CancellationToken cancellationToken) =>
        db.QcRulesetVersions.AsNoTracking().Where(v => v.RulesetName == RulesetName).OrderByDescending(v => v.Number).ToListAsync(cancellationToken);

    private Task<QcRulesetVersion?> LatestAsync(TrialFlowDbContext db, CancellationToken cancellationToken) =>
        db.QcRulesetVersions.AsNoTracking().Where(v => v.RulesetName == RulesetName).OrderByDescending(v => v.Number).FirstOrDefaultAsync(cancellationToken);

    private async Task<QcRulesetVersion> SeedAsync(TrialFlowDbContext db, CancellationToken cancellationToken)
    {
        var (name, content) = _seed.Value;
        var version = new QcRulesetVersion(name, 1, content, db.Actor.UserName, _time.GetUtcNow().UtcDateTime,
            $"Loaded from {Path.GetFileName(_options.RulesetFile)} on first start");
        db.QcRulesetVersions.Add(version);
        try
        {
            await db.SaveChangesAsync(version.Reason, cancellationToken);
            return version;
        }
        catch (DbUpdateException)
        {
            // Another worker seeded first (unique name + number): theirs is version 1.
            db.ChangeTracker.Clear();
            return await LatestAsync(db, cancellationToken) ?? throw new InvalidOperationException("The QC ruleset could not be seeded.");
        }
    }
}

/// <summary>The draft is the active version: nothing to publish.</summary>
public sealed class RulesetUnchangedException(int activeNumber) : QcException($"The draft is identical to the active version {activeNumber}; nothing was published.");
