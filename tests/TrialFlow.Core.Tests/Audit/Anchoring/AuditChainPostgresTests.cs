namespace TrialFlow.Core.Tests.Audit.Anchoring;

/// <summary>The keyed, checkpointed chain on PostgreSQL, where the intruder works around row and truncate triggers.</summary>
[Trait("Category", "Postgres")]
public sealed class AuditChainPostgresTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task On_postgresql_the_keyed_chain_verifies_and_a_deleted_tail_is_reported_against_the_checkpoint()
    {
        await using var database = await CreateAsync();
        await AuditChainBuilder.AppendAsync(database, 30);
        Assert.True((await AuditChainBuilder.VerifyAsync(database)).IsIntact);

        await new AuditIntruder(database).TruncateAfterAsync(25);
        var verification = await AuditChainBuilder.VerifyAsync(database);

        Assert.Equal(26, verification.BrokenAt);
        Assert.Contains("events #26…#30 were removed", verification.Problem);
    }

    [Fact]
    public async Task On_postgresql_an_event_rewritten_with_plain_sha256_and_every_later_hash_recomputed_is_named()
    {
        await using var database = await CreateAsync();
        await AuditChainBuilder.AppendAsync(database, 30);

        await new AuditIntruder(database).RewriteFromAsync(15, key: null, keyId: e => e.KeyId);
        var verification = await AuditChainBuilder.VerifyAsync(database);

        Assert.Equal(15, verification.BrokenAt);
    }

    private async Task<TestDatabase> CreateAsync()
    {
        var options = new DatabaseOptions(Path.Combine(Path.GetTempPath(), "trialflow-tests", Guid.NewGuid().ToString("N")), DatabaseProvider.PostgreSQL,
            await postgres.CreateDatabaseAsync()) { Audit = new AuditAnchorOptions { CheckpointEvery = 10 } };
        return await TestDatabase.CreateOnAsync(options);
    }
}
