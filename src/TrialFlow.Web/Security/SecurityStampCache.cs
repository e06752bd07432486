using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace TrialFlow.Web.Security;

/// <summary>
/// Each user's current security stamp, read again once <see cref="SessionOptions.StampCheckInterval"/> has passed,
/// so checking every bearer request costs a database read per user and interval, not per request.
/// </summary>
internal sealed class SecurityStampCache(TimeProvider time, IOptions<SessionOptions> options)
{
    private readonly ConcurrentDictionary<string, (string? Stamp, DateTimeOffset ReadAt)> _stamps = new(StringComparer.Ordinal);

    /// <summary>The user's stamp as last read, or as <paramref name="read"/> gives it now; null for a user who is gone.</summary>
    public async Task<string?> CurrentAsync(string userId, Func<string, Task<string?>> read)
    {
        var now = time.GetUtcNow();
        if (_stamps.TryGetValue(userId, out var cached) && now - cached.ReadAt < options.Value.StampCheckInterval)
            return cached.Stamp;
        var stamp = await read(userId);
        _stamps[userId] = (stamp, now);
        return stamp;
    }
}
