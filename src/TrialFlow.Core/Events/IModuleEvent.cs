namespace TrialFlow.Core.Events;

/// <summary>
/// A fact one module tells the others: a record, serialised to the outbox in the same save as the change that caused
/// it and delivered after commit. Kernel events live in the kernel, module events in their module's <c>Events/</c>.
/// Its CLR name is its name in the outbox, so renaming an event is a data migration.
/// </summary>
public interface IModuleEvent;

/// <summary>
/// An entity that raises events from its transitions (<c>ImagingStudy.MarkComplete</c> raises
/// <see cref="StudyCompleted"/>); the context writes them to the outbox with the save that stores the transition.
/// </summary>
/// <remarks>Methods, not properties, so EF Core never tries to map them.</remarks>
public interface IRaisesEvents
{
    IReadOnlyList<IModuleEvent> RaisedEvents();

    /// <summary>Called once the events are committed; a failed save keeps them for the next attempt.</summary>
    void ClearRaisedEvents();
}
