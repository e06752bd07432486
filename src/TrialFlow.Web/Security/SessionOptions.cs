namespace TrialFlow.Web.Security;

/// <summary>
/// How long a session lasts and how soon a revoked one stops working (21 CFR Part 11 §11.10(d), (g)).
/// Bound from <c>TrialFlow:Sessions</c>; the bounds are checked at start-up.
/// </summary>
public sealed class SessionOptions
{
    public const string Section = "TrialFlow:Sessions";

    /// <summary>The longest an access token may live: a stolen one is useful for at most this long.</summary>
    public static readonly TimeSpan MaxAccessTokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>The longest a revoked session (role, site, password, lock-out, sign-out) may keep working.</summary>
    public static readonly TimeSpan MaxStampCheckInterval = TimeSpan.FromMinutes(1);

    /// <summary>Lifetime of a bearer access token. Default 15 minutes.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = MaxAccessTokenLifetime;

    /// <summary>Lifetime of a refresh token, and of a browser session without activity. Default 8 hours, a working day.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How long a user's security stamp is trusted before it is read again, for cookies and bearer tokens alike.
    /// Default 1 minute; 0 reads it on every request.
    /// </summary>
    public TimeSpan StampCheckInterval { get; set; } = MaxStampCheckInterval;

    internal bool IsValid() =>
        AccessTokenLifetime > TimeSpan.Zero && AccessTokenLifetime <= MaxAccessTokenLifetime
        && RefreshTokenLifetime > TimeSpan.Zero
        && StampCheckInterval >= TimeSpan.Zero && StampCheckInterval <= MaxStampCheckInterval;
}
