using WorkflowCore.Interface;

namespace TrialFlow.Workflows.Runtime;

/// <summary>WorkflowCore's clock from the injected <see cref="TimeProvider"/>, so tests move timers with a fake clock.</summary>
internal sealed class TimeProviderClock(TimeProvider time) : IDateTimeProvider
{
    public DateTime Now => time.GetUtcNow().LocalDateTime;

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
}
