using Microsoft.Extensions.Options;

namespace TrialFlow.Web.Tests.Security;

public sealed class SecurityStampCacheTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-07T09:00:00Z"));
    private string _stored = "stamp-1";
    private int _reads;

    [Fact]
    public async Task A_changed_stamp_is_seen_once_the_default_interval_of_one_minute_has_passed()
    {
        var cache = new SecurityStampCache(_clock, Options.Create(new SessionOptions()));
        Assert.Equal("stamp-1", await cache.CurrentAsync("u1", ReadAsync));

        _stored = "stamp-2";
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("stamp-1", await cache.CurrentAsync("u1", ReadAsync));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("stamp-2", await cache.CurrentAsync("u1", ReadAsync));
    }

    [Fact]
    public async Task Within_the_interval_the_stamp_is_read_once_per_user()
    {
        var cache = new SecurityStampCache(_clock, Options.Create(new SessionOptions()));

        for (var i = 0; i < 3; i++)
            await cache.CurrentAsync("u1", ReadAsync);
        await cache.CurrentAsync("u2", ReadAsync);

        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task An_interval_of_zero_reads_the_stamp_on_every_check()
    {
        var cache = new SecurityStampCache(_clock, Options.Create(new SessionOptions { StampCheckInterval = TimeSpan.Zero }));
        await cache.CurrentAsync("u1", ReadAsync);

        _stored = "stamp-2";

        Assert.Equal("stamp-2", await cache.CurrentAsync("u1", ReadAsync));
    }

    [Fact]
    public void Access_tokens_longer_than_15_minutes_or_stamp_checks_rarer_than_a_minute_are_refused_at_start_up()
    {
        Assert.True(new SessionOptions().IsValid());
        Assert.False(new SessionOptions { AccessTokenLifetime = TimeSpan.FromMinutes(16) }.IsValid());
        Assert.False(new SessionOptions { StampCheckInterval = TimeSpan.FromMinutes(2) }.IsValid());
    }

    private Task<string?> ReadAsync(string userId)
    {
        _reads++;
        return Task.FromResult<string?>(_stored);
    }
}
