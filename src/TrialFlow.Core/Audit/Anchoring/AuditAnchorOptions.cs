using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace TrialFlow.Core.Audit.Anchoring;

/// <summary>
/// How the audit chain is anchored outside the database. Bound from <c>TrialFlow:Audit</c>: <c>ChainKey</c> (32 bytes
/// base64; default a generated key file), <c>RetiredChainKeys</c> (comma-separated, base64), <c>CheckpointDirectory</c>
/// (a second checkpoint log, ideally on another machine), <c>CheckpointEvery</c> (events, default 1000) and
/// <c>CheckpointMinutes</c> (default 5).
/// </summary>
public sealed record AuditAnchorOptions
{
    public static AuditAnchorOptions Default { get; } = new();

    public string? ChainKey { get; init; }

    public IReadOnlyList<string> RetiredChainKeys { get; init; } = [];

    public string? CheckpointDirectory { get; init; }

    public int CheckpointEvery { get; init; } = 1000;

    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(5);

    public static AuditAnchorOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("TrialFlow:Audit");
        var every = section["CheckpointEvery"] is { Length: > 0 } e ? int.Parse(e, CultureInfo.InvariantCulture) : Default.CheckpointEvery;
        var minutes = section["CheckpointMinutes"] is { Length: > 0 } m ? double.Parse(m, CultureInfo.InvariantCulture) : Default.CheckpointInterval.TotalMinutes;
        if (every < 1 || minutes <= 0)
            throw new InvalidOperationException("TrialFlow:Audit:CheckpointEvery and CheckpointMinutes must be positive.");
        return new AuditAnchorOptions
        {
            ChainKey = section["ChainKey"] is { Length: > 0 } key ? key : null,
            RetiredChainKeys = (section["RetiredChainKeys"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            CheckpointDirectory = section["CheckpointDirectory"] is { Length: > 0 } dir ? Path.GetFullPath(dir) : null,
            CheckpointEvery = every,
            CheckpointInterval = TimeSpan.FromMinutes(minutes),
        };
    }
}
