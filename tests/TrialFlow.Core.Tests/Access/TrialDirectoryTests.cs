namespace TrialFlow.Core.Tests.Access;

/// <summary>How soon the trials a person works on follow a change: at once on the node that made it, within the lifetime elsewhere.</summary>
public sealed class TrialDirectoryTests
{
    [Fact]
    public async Task A_membership_removed_by_another_node_is_seen_after_the_lifetime_and_at_once_when_this_node_removes_it()
    {
        await using var database = await TestDatabase.CreateSqliteAsync();
        SmallTrial a, b;
        await using (var db = database.Context(Actor.System("tests")))
        {
            a = await SmallTrial.SaveAsync(db, "TF-A");
            b = await SmallTrial.SaveAsync(db, "TF-B");
            db.Users.Add(new TrialFlowUser { Id = "u-1", UserName = "u-1" });
            db.TrialMemberships.AddRange(new TrialMembership("u-1", a.Trial.Id), new TrialMembership("u-1", b.Trial.Id));
            await db.SaveChangesAsync();
        }

        var thisNode = new TrialDirectory(database.Options, database.Clock);
        Assert.Equal(new[] { a.Trial.Id, b.Trial.Id }.Order(), thisNode.TrialsOf("u-1").Order());
        Assert.Equal(new[] { a.Berlin.Id, a.Paris.Id }.Order(), thisNode.SitesOf([a.Trial.Id]).Order());
        var seen = thisNode.Generation;

        // Another node takes u-1 off trial B: this node still answers from what it keeps, until the lifetime is over.
        await using (var db = database.Context(Actor.System("tests")))
        {
            db.TrialMemberships.Remove(await db.TrialMemberships.SingleAsync(m => m.TrialId == b.Trial.Id));
            await db.SaveChangesAsync();
        }
        Assert.Equal(2, thisNode.TrialsOf("u-1").Count);
        database.Clock.Advance(TrialDirectory.Lifetime);
        Assert.Equal([a.Trial.Id], thisNode.TrialsOf("u-1"));
        Assert.NotEqual(seen, thisNode.Generation);

        // This node takes u-1 off trial A and forgets: the next question is answered from the database.
        await using (var db = database.Context(Actor.System("tests")))
        {
            db.TrialMemberships.Remove(await db.TrialMemberships.SingleAsync(m => m.TrialId == a.Trial.Id));
            await db.SaveChangesAsync();
        }
        thisNode.Forget();
        Assert.Empty(thisNode.TrialsOf("u-1"));
    }
}
