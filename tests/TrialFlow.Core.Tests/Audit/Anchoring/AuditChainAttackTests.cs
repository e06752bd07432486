using System.Security.Cryptography;

namespace TrialFlow.Core.Tests.Audit.Anchoring;

/// <summary>
/// Attacks by someone with database access but without the data folder's keys. Before the chain was keyed and
/// checkpointed, each of them left a chain that verified as intact.
/// </summary>
public sealed class AuditChainAttackTests
{
    private static readonly Dictionary<string, string?> CheckpointEveryTen = new() { ["TrialFlow:Audit:CheckpointEvery"] = "10" };

    [Fact]
    public async Task Deleting_the_last_ten_events_is_reported_as_removed_against_the_latest_checkpoint()
    {
        await using var database = await TestDatabase.CreateSqliteAsync(CheckpointEveryTen);
        await AuditChainBuilder.AppendAsync(database, 60);

        await new AuditIntruder(database).TruncateAfterAsync(50);
        var verification = await AuditChainBuilder.VerifyAsync(database);

        Assert.False(verification.IsIntact);
        Assert.Equal(51, verification.BrokenAt);
        Assert.Equal(50, verification.LastSequence);
        Assert.Contains("the chain ends at #50 but the checkpoint of 2026-06-01 09:30:05 UTC (#60", verification.Problem);
        Assert.Contains("events #51…#60 were removed", verification.Problem);
        Assert.Equal(60, verification.Checkpoint?.Sequence);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rewriting_event_40_and_recomputing_every_later_hash_with_plain_sha256_is_named_at_event_40(bool clearKeyId)
    {
        await using var database = await TestDatabase.CreateSqliteAsync(CheckpointEveryTen);
        await AuditChainBuilder.AppendAsync(database, 60);

        await new AuditIntruder(database).RewriteFromAsync(40, key: null, keyId: e => clearKeyId ? null : e.KeyId);
        var verification = await AuditChainBuilder.VerifyAsync(database);

        Assert.Equal(40, verification.BrokenAt);
        Assert.Equal(39, verification.LastSequence);
        Assert.Contains(clearKeyId ? "re-hashed without the chain key" : "does not match its keyed hash", verification.Problem);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rewriting_event_40_and_recomputing_later_hashes_with_hmac_under_a_wrong_key_is_named_at_event_40(bool labelWithWrongKey)
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await AuditChainBuilder.AppendAsync(database, 60);
        var wrongKey = new AuditChainKey(RandomNumberGenerator.GetBytes(AuditChainKey.Length));

        await new AuditIntruder(database).RewriteFromAsync(40, wrongKey, keyId: e => labelWithWrongKey ? wrongKey.Id : e.KeyId);
        var verification = await AuditChainBuilder.VerifyAsync(database);

        Assert.Equal(40, verification.BrokenAt);
        Assert.Contains(labelWithWrongKey ? $"key {wrongKey.Id}, which is not in the key ring" : "does not match its keyed hash", verification.Problem);
    }

    [Fact]
    public async Task Re_hashing_the_whole_chain_as_if_it_predated_keying_is_caught_by_the_first_checkpoint()
    {
        await using var database = await TestDatabase.CreateSqliteAsync(CheckpointEveryTen);
        await AuditChainBuilder.AppendAsync(database, 30);

        // Every event relabelled as legacy and re-hashed with plain SHA-256 from the genesis: every link holds.
        await new AuditIntruder(database).RewriteFromAsync(1, key: null, keyId: _ => null, newActorName: "Someone Else");
        var verification = await AuditChainBuilder.VerifyAsync(database);

        Assert.Equal(1, verification.BrokenAt);
        Assert.Contains("the chain's hash at #10", verification.Problem);
        Assert.Contains("an event in #1…#10 was rewritten", verification.Problem);
    }

    [Fact]
    public async Task A_checkpoint_line_with_a_forged_signature_is_ignored_and_reported()
    {
        await using var database = await TestDatabase.CreateSqliteAsync(CheckpointEveryTen);
        await AuditChainBuilder.AppendAsync(database, 20);
        var events = await AuditChainBuilder.EventsAsync(database);
        var forger = new AuditChainKey(RandomNumberGenerator.GetBytes(AuditChainKey.Length));
        // Claims a longer chain (which would raise a false truncation alarm) and names the real key id.
        var forged = AuditCheckpoint.Sign(500, events[^1].Hash, database.Clock.GetUtcNow().UtcDateTime, forger) with { KeyId = events[^1].KeyId! };
        await File.AppendAllTextAsync(database.Options.AuditAnchor.Checkpoints.Paths[0], forged.ToJsonLine() + "\nnot json\n");

        var verification = await AuditChainBuilder.VerifyAsync(database);

        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(20, verification.Checkpoint?.Sequence);
        Assert.Equal(2, verification.IgnoredCheckpoints.Count);
        Assert.Contains("signature does not verify", verification.IgnoredCheckpoints[0]);
        Assert.Contains("not a checkpoint line", verification.IgnoredCheckpoints[1]);
        Assert.Contains("ignored checkpoint", verification.ToString());
    }

    [Fact]
    public async Task Deleting_the_checkpoint_log_in_the_data_folder_leaves_the_external_copy_to_report_the_truncation()
    {
        var external = Path.Combine(Path.GetTempPath(), "trialflow-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var database = await TestDatabase.CreateSqliteAsync(new Dictionary<string, string?>(CheckpointEveryTen)
            {
                ["TrialFlow:Audit:CheckpointDirectory"] = external,
            });
            await AuditChainBuilder.AppendAsync(database, 30);

            await new AuditIntruder(database).TruncateAfterAsync(25);
            File.Delete(database.Options.AuditAnchor.Checkpoints.Paths[0]);
            var verification = await AuditChainBuilder.VerifyAsync(database);

            Assert.Equal(26, verification.BrokenAt);
            Assert.Contains("events #26…#30 were removed", verification.Problem);
        }
        finally
        {
            Directory.Delete(external, recursive: true);
        }
    }
}
