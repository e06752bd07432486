namespace TrialFlow.Core.Tests.Audit.Anchoring;

/// <summary>Grows a test database's audit chain: through the application, or as releases before keying wrote it.</summary>
internal static class AuditChainBuilder
{
    /// <summary>Appends <paramref name="count"/> sign-in events through the application, <paramref name="perSave"/> per save.</summary>
    public static async Task AppendAsync(TestDatabase database, int count, int perSave = 10)
    {
        for (var written = 0; written < count; written += perSave)
        {
            await using var db = database.Context(Actors.StudyManager);
            for (var i = 0; i < Math.Min(perSave, count - written); i++)
                db.RecordEvent(AuditActions.SignIn, "User", "u-sm", details: $$"""{"attempt":{{written + i}}}""");
            await db.SaveChangesAsync();
            database.Clock.Advance(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Appends <paramref name="count"/> events hashed with plain SHA-256 and no key id, as before the chain was keyed.</summary>
    public static async Task AppendLegacyAsync(TestDatabase database, int count)
    {
        await using var db = database.Context(Actors.StudyManager);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var head = await db.AuditEvents.OrderByDescending(e => e.Sequence).FirstOrDefaultAsync();
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? AuditEvent.GenesisHash;
        var events = new List<AuditEvent>();
        for (var i = 0; i < count; i++)
        {
            var pending = new PendingAuditEvent(Actors.StudyManager, AuditActions.SignIn, "User", "u-sm", null, null, $$"""{"legacy":{{i}}}""", null);
            var e = new AuditEvent(++sequence, database.Clock.GetUtcNow().UtcDateTime, pending, previous, key: null);
            events.Add(e);
            previous = e.Hash;
        }

        await AuditEventWriter.InsertAsync(db, events, CancellationToken.None);
        await transaction.CommitAsync();
    }

    public static async Task<AuditVerification> VerifyAsync(TestDatabase database)
    {
        await using var db = database.Context(Actor.System("inspector"));
        return await AuditChainVerifier.VerifyAsync(db);
    }

    public static async Task<List<AuditEvent>> EventsAsync(TestDatabase database)
    {
        await using var db = database.Context(Actor.System("inspector"));
        return await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
    }
}
