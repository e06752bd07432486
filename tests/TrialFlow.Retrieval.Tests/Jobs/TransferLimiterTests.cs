using Microsoft.Extensions.Time.Testing;

namespace TrialFlow.Retrieval.Tests.Jobs;

public sealed class TransferLimiterTests
{
    [Fact]
    public void Objects_are_admitted_at_the_rate_the_limit_allows_across_everything_the_job_retrieves()
    {
        var time = new FakeTimeProvider();
        var limiter = new TransferLimiter(100_000, time);

        // The first object goes at once; each next one waits until the bytes before it used up their share.
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(50_000));
        Assert.Equal(TimeSpan.FromSeconds(0.5), limiter.Reserve(50_000));
        Assert.Equal(TimeSpan.FromSeconds(1.0), limiter.Reserve(200_000));
        time.Advance(TimeSpan.FromSeconds(3));
        // Idle time is not saved up into a burst: after a pause the next object goes at once, the one after waits again.
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(100_000));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.Reserve(1));
    }

    [Fact]
    public void Without_a_limit_nothing_waits()
    {
        var limiter = new TransferLimiter(null, new FakeTimeProvider());

        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal(TimeSpan.Zero, limiter.Reserve(10_000_000)));
    }
}
