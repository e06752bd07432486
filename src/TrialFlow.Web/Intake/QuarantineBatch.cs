namespace TrialFlow.Web.Intake;

/// <summary>Which held objects a decision is about: items by id, and every open item of the studies named by key.</summary>
public sealed record QuarantineSelection(IReadOnlyList<Guid> ItemIds, IReadOnlyList<string> StudyKeys)
{
    public static QuarantineSelection Of(params Guid[] itemIds) => new(itemIds, []);

    public bool IsEmpty => ItemIds.Count == 0 && StudyKeys.Count == 0;
}

/// <summary>What became of one object of a batch: decided, or why not (decided by someone else meanwhile, bytes unreadable).</summary>
public sealed record QuarantineItemOutcome(Guid ItemId, bool Decided, string? Problem);

/// <summary>The answer to a batch decision: each object's outcome, and how many were and were not decided.</summary>
public sealed record QuarantineBatchResult(int Decided, int Failed, IReadOnlyList<QuarantineItemOutcome> Items)
{
    public static QuarantineBatchResult Of(IReadOnlyList<QuarantineItemOutcome> items) =>
        new(items.Count(i => i.Decided), items.Count(i => !i.Decided), items);
}

/// <summary>
/// A batch was refused as a whole before anything was decided: it names objects the caller cannot see, lacks a reason,
/// or needs a subject it was not given. <see cref="NothingFound"/> when none of the named objects is visible to the caller.
/// </summary>
public sealed class QuarantineBatchRefusedException(string problem, bool nothingFound = false) : Exception(problem)
{
    public bool NothingFound { get; } = nothingFound;
}
