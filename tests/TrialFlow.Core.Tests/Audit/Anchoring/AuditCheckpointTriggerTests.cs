namespace TrialFlow.Core.Tests.Audit.Anchoring;

public sealed class AuditCheckpointTriggerTests
{
    [Fact]
    public async Task A_checkpoint_is_written_when_a_save_crosses_a_multiple_of_the_checkpoint_count_and_not_before()
    {
        await using var database = await TestDatabase.CreateSqliteAsync(new Dictionary<string, string?> { ["TrialFlow:Audit:CheckpointEvery"] = "10" });
        var log = database.Options.AuditAnchor.Checkpoints;

        await AuditChainBuilder.AppendAsync(database, 9, perSave: 3);
        Assert.Empty(log.ReadAll());

        await AuditChainBuilder.AppendAsync(database, 15, perSave: 3);
        var checkpoints = log.ReadAll().Select(l => l.Checkpoint!).ToList();
        var events = await AuditChainBuilder.EventsAsync(database);

        Assert.Equal([12L, 21L], checkpoints.Select(c => c.Sequence));
        Assert.Equal([events[11].Hash, events[20].Hash], checkpoints.Select(c => c.Hash));
        Assert.All(checkpoints, c => Assert.True(c.IsSignedBy(database.Options.AuditAnchor.Keys)));
    }

    [Fact]
    public async Task The_timed_checkpoint_records_the_committed_head_once_until_it_moves()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        var anchor = database.Options.AuditAnchor;
        await using var db = database.Context(Actor.System("checkpoints"));

        Assert.Null(await anchor.CheckpointHeadAsync(db, database.Clock, CancellationToken.None));
        await AuditChainBuilder.AppendAsync(database, 3);
        var first = await anchor.CheckpointHeadAsync(db, database.Clock, CancellationToken.None);
        var unchanged = await anchor.CheckpointHeadAsync(db, database.Clock, CancellationToken.None);

        Assert.Equal(3, first?.Sequence);
        Assert.Equal(database.Clock.GetUtcNow().UtcDateTime, first?.At);
        Assert.Null(unchanged);
        Assert.Single(anchor.Checkpoints.ReadAll());
    }

    [Fact]
    public void A_checkpoint_line_reads_back_as_the_checkpoint_that_was_signed()
    {
        var key = new AuditChainKey(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var ring = AuditChainKeyRing.Load(new AuditAnchorOptions { ChainKey = Convert.ToBase64String(key.Secret) }, Path.Combine(Path.GetTempPath(), "trialflow-tests", Guid.NewGuid().ToString("N")));
        var signed = AuditCheckpoint.Sign(42, new string('a', 64), new DateTime(2026, 6, 1, 9, 30, 0, DateTimeKind.Utc).AddTicks(1234567), key);

        var read = AuditCheckpoint.TryParse(signed.ToJsonLine());

        Assert.Equal(signed, read);
        Assert.True(read!.IsSignedBy(ring));
        Assert.False((read with { Sequence = 43 }).IsSignedBy(ring));
        Assert.False((read with { At = read.At.AddSeconds(1) }).IsSignedBy(ring));
    }
}
