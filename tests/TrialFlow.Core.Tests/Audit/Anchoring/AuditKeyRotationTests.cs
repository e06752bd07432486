namespace TrialFlow.Core.Tests.Audit.Anchoring;

public sealed class AuditKeyRotationTests
{
    [Fact]
    public async Task A_chain_written_before_keying_still_verifies_and_continues_into_keyed_hashes()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        await AuditChainBuilder.AppendLegacyAsync(database, 15);
        Assert.True((await AuditChainBuilder.VerifyAsync(database)).IsIntact);

        await AuditChainBuilder.AppendAsync(database, 5);
        var events = await AuditChainBuilder.EventsAsync(database);
        var verification = await AuditChainBuilder.VerifyAsync(database);

        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(20, verification.EventsChecked);
        Assert.All(events.Take(15), e => Assert.Null(e.KeyId));
        Assert.All(events.Skip(15), e => Assert.Equal(database.Options.AuditAnchor.Keys.Current.Id, e.KeyId));
        Assert.Equal(events[14].Hash, events[15].PreviousHash);
    }

    [Fact]
    public async Task A_chain_spanning_legacy_then_key_one_then_key_two_verifies_and_names_each_key()
    {
        await using var database = await SpanningChainAsync();

        var events = await AuditChainBuilder.EventsAsync(database);
        var verification = await AuditChainBuilder.VerifyAsync(database);

        Assert.True(verification.IsIntact, verification.ToString());
        Assert.Equal(30, verification.EventsChecked);
        var keyIds = events.Select(e => e.KeyId).Distinct().ToList();
        Assert.Equal(3, keyIds.Count);
        Assert.Null(keyIds[0]);
        Assert.Equal(database.Options.AuditAnchor.Keys.Keys.Select(k => k.Id), keyIds.Skip(1));
        Assert.Equal(keyIds[2], verification.Checkpoint?.KeyId);
    }

    [Theory]
    [InlineData(5)]   // legacy span
    [InlineData(15)]  // key one
    [InlineData(25)]  // key two
    public async Task Editing_an_event_in_any_span_of_a_rotated_chain_is_named_by_its_sequence(long target)
    {
        await using var database = await SpanningChainAsync();

        await new AuditIntruder(database).EditActorNameAsync(target, "Someone Else");
        var verification = await AuditChainBuilder.VerifyAsync(database);

        Assert.Equal(target, verification.BrokenAt);
        Assert.Contains("altered", verification.Problem);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(25)]
    public async Task Re_hashing_from_an_event_of_a_keyed_span_under_the_other_key_is_named_by_its_sequence(long target)
    {
        await using var database = await SpanningChainAsync();
        var keys = database.Options.AuditAnchor.Keys.Keys;
        // The intruder somehow holds one key: it still cannot pass events off as made with the other.
        var held = target < 20 ? keys[1] : keys[0];

        await new AuditIntruder(database).RewriteFromAsync(target, held, keyId: e => e.KeyId);
        var verification = await AuditChainBuilder.VerifyAsync(database);

        Assert.Equal(target, verification.BrokenAt);
    }

    [Fact]
    public async Task Rewriting_the_legacy_span_with_its_plain_hashes_breaks_where_the_keyed_span_begins()
    {
        await using var database = await SpanningChainAsync();

        // Rewrites #5 and re-hashes #5..#10 (the unkeyed part) consistently; the first keyed event cannot follow.
        await new AuditIntruder(database).RewriteFromAsync(5, key: null, keyId: e => e.KeyId);
        var verification = await AuditChainBuilder.VerifyAsync(database);

        Assert.False(verification.IsIntact);
        Assert.Equal(11, verification.BrokenAt);
        Assert.Contains("does not match its keyed hash", verification.Problem);
    }

    [Fact]
    public async Task Rotating_adds_a_current_key_and_keeps_the_old_ones_in_the_ring_file()
    {
        var directory = Path.Combine(Path.GetTempPath(), "trialflow-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var first = AuditChainKeyRing.Load(AuditAnchorOptions.Default, directory);
            var rotatedId = AuditChainKeyRing.Rotate(directory);
            var after = AuditChainKeyRing.Load(AuditAnchorOptions.Default, directory);

            Assert.Equal([first.Current.Id, rotatedId], after.Keys.Select(k => k.Id));
            Assert.Equal(rotatedId, after.Current.Id);
            Assert.True(after.TryGet(first.Current.Id, out _));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(AuditChainKeyRing.PathIn(directory)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_configured_key_is_current_and_retired_configured_keys_still_verify()
    {
        var directory = Path.Combine(Path.GetTempPath(), "trialflow-tests", Guid.NewGuid().ToString("N"));
        var current = new byte[AuditChainKey.Length];
        var retired = Enumerable.Repeat((byte)7, AuditChainKey.Length).ToArray();
        var options = new AuditAnchorOptions { ChainKey = Convert.ToBase64String(current), RetiredChainKeys = [Convert.ToBase64String(retired)] };

        var ring = AuditChainKeyRing.Load(options, directory);

        Assert.Equal(AuditChainKey.IdOf(current), ring.Current.Id);
        Assert.True(ring.TryGet(AuditChainKey.IdOf(retired), out _));
        Assert.False(Directory.Exists(directory), "a configured key needs no key file");
        Assert.Equal(8, ring.Current.Id.Length);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(current))[..8], ring.Current.Id);
    }

    /// <summary>Events #1–#10 unkeyed, #11–#20 under the first key, #21–#30 under the second (rotated, then restarted).</summary>
    private static async Task<TestDatabase> SpanningChainAsync()
    {
        var database = await TestDatabase.CreateSqliteAsync(new Dictionary<string, string?> { ["TrialFlow:Audit:CheckpointEvery"] = "10" });
        await AuditChainBuilder.AppendLegacyAsync(database, 10);
        await AuditChainBuilder.AppendAsync(database, 10);
        AuditChainKeyRing.Rotate(database.Directory);
        database.Restart();
        await AuditChainBuilder.AppendAsync(database, 10);
        return database;
    }
}
