using Microsoft.EntityFrameworkCore;

namespace TrialFlow.Core.Events;

/// <summary>
/// Adds a save's events to the outbox: those raised by tracked entities and those published explicitly. The rows join
/// the save's own changes, so they commit or roll back with them.
/// </summary>
internal sealed class OutboxWriter
{
    private readonly List<IModuleEvent> _published = [];
    private List<IRaisesEvents> _sources = [];
    private List<OutboxMessage> _written = [];

    public void Publish(IModuleEvent moduleEvent) => _published.Add(moduleEvent ?? throw new ArgumentNullException(nameof(moduleEvent)));

    /// <summary>Adds the pending events to <paramref name="db"/>; returns whether there were any.</summary>
    public bool Stage(DbContext db, DateTime now)
    {
        _sources = db.ChangeTracker.Entries().Select(e => e.Entity).OfType<IRaisesEvents>().Where(s => s.RaisedEvents().Count > 0).ToList();
        _written = [.. _sources.SelectMany(s => s.RaisedEvents()).Concat(_published).Select(e => new OutboxMessage(e, now))];
        db.AddRange(_written);
        return _written.Count > 0;
    }

    /// <summary>The save committed: the events are in the outbox and must not be written again.</summary>
    public void Committed(DbContext db)
    {
        foreach (var source in _sources)
            source.ClearRaisedEvents();
        _published.Clear();
        // Nobody reads them through this context; detaching keeps a long-lived context from carrying them around.
        foreach (var message in _written)
            db.Entry(message).State = EntityState.Detached;
        _sources = [];
        _written = [];
    }

    /// <summary>The save failed: the rows are withdrawn and the events kept, so the next attempt writes them once.</summary>
    public void Failed(DbContext db)
    {
        foreach (var message in _written)
            db.Entry(message).State = EntityState.Detached;
        _sources = [];
        _written = [];
    }
}
