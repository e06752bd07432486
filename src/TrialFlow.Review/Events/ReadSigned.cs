using TrialFlow.Core.Events;

namespace TrialFlow.Review.Events;

/// <summary>A reader signed a read (its first version or a correction): the read task is done.</summary>
public sealed record ReadSigned(Guid ReadId, Guid ReadTaskId, string ReaderUserId, int Version, DateTime SignedAt) : IModuleEvent;
