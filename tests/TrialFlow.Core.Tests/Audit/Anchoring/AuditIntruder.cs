namespace TrialFlow.Core.Tests.Audit.Anchoring;

/// <summary>
/// Someone with full access to the database but not to the data folder's keys: drops the append-only triggers, changes
/// history with plain SQL, restores the triggers (the SQL of <c>AuditTableGuard</c>) so nothing looks touched.
/// </summary>
internal sealed class AuditIntruder(TestDatabase database)
{
    /// <summary>Deletes every event after <paramref name="keepUpTo"/>.</summary>
    public Task TruncateAfterAsync(long keepUpTo) =>
        WithoutTriggersAsync(db => db.Database.ExecuteSqlAsync($"""DELETE FROM "AuditEvents" WHERE "Sequence" > {keepUpTo}"""));

    /// <summary>
    /// Changes the actor of event <paramref name="target"/> and, as a script would, recomputes the hash of it and of
    /// every later event so that each link points at the new previous hash. <paramref name="key"/> null means plain
    /// SHA-256; <paramref name="keyId"/> is what the script writes into the KeyId column.
    /// </summary>
    public Task RewriteFromAsync(long target, AuditChainKey? key, Func<AuditEvent, string?> keyId, string newActorName = "Someone Else") =>
        WithoutTriggersAsync(async db =>
        {
            var events = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence >= target).OrderBy(e => e.Sequence).ToListAsync();
            var previous = target == 1 ? AuditEvent.GenesisHash : (await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Sequence == target - 1)).Hash;
            foreach (var e in events)
            {
                var actorName = e.Sequence == target ? newActorName : e.ActorName;
                var hash = AuditHasher.Compute(e.Sequence, e.OccurredAt, e.ActorId, actorName, e.ActorRole, e.SiteId, e.Action, e.EntityType,
                    e.EntityId, e.OldValues, e.NewValues, e.Reason, previous, key);
                var label = keyId(e);
                await db.Database.ExecuteSqlAsync(
                    $"""UPDATE "AuditEvents" SET "ActorName" = {actorName}, "PreviousHash" = {previous}, "Hash" = {hash}, "KeyId" = {label} WHERE "Sequence" = {e.Sequence}""");
                previous = hash;
            }
        });

    /// <summary>Changes one column of one event and nothing else.</summary>
    public Task EditActorNameAsync(long sequence, string actorName) =>
        WithoutTriggersAsync(db => db.Database.ExecuteSqlAsync($"""UPDATE "AuditEvents" SET "ActorName" = {actorName} WHERE "Sequence" = {sequence}"""));

    private async Task WithoutTriggersAsync(Func<TrialFlowDbContext, Task> change)
    {
        await using var db = database.Context(Actor.System("intruder"));
        var sqlite = database.Options.Provider == DatabaseProvider.Sqlite;
        foreach (var sql in sqlite ? SqliteDrop : PostgresDrop)
            await db.Database.ExecuteSqlRawAsync(sql);
        await change(db);
        foreach (var sql in sqlite ? SqliteRestore : PostgresRestore)
            await db.Database.ExecuteSqlRawAsync(sql);
    }

    private static readonly string[] SqliteDrop =
    [
        """DROP TRIGGER "AuditEvents_refuse_update";""",
        """DROP TRIGGER "AuditEvents_refuse_delete";""",
    ];

    private static readonly string[] SqliteRestore =
    [
        """
        CREATE TRIGGER "AuditEvents_refuse_update" BEFORE UPDATE ON "AuditEvents"
        BEGIN SELECT RAISE(ABORT, 'AuditEvents is append-only: UPDATE refused'); END;
        """,
        """
        CREATE TRIGGER "AuditEvents_refuse_delete" BEFORE DELETE ON "AuditEvents"
        BEGIN SELECT RAISE(ABORT, 'AuditEvents is append-only: DELETE refused'); END;
        """,
    ];

    private static readonly string[] PostgresDrop =
    [
        """DROP TRIGGER "AuditEvents_refuse_change" ON "AuditEvents";""",
    ];

    private static readonly string[] PostgresRestore =
    [
        """
        CREATE TRIGGER "AuditEvents_refuse_change" BEFORE UPDATE OR DELETE ON "AuditEvents"
        FOR EACH ROW EXECUTE FUNCTION trialflow_audit_append_only();
        """,
    ];
}
