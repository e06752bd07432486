using System.Globalization;

namespace TrialFlow.Testing;

/// <summary>
/// Waiting for background work (the intake worker, the workflow engine, the event dispatcher) to reach a state. Every
/// wait polls its condition, so on an idle machine it returns as soon as the work is done; the one bound,
/// <see cref="Bound"/>, only turns a hang into a failure that says what was awaited.
/// </summary>
public static class Eventually
{
    /// <summary>The environment variable that sets <see cref="Bound"/>, in seconds.</summary>
    public const string BoundVariable = "TRIALFLOW_TEST_TIMEOUT_SECONDS";

    /// <summary>
    /// 120 s unless <c>TRIALFLOW_TEST_TIMEOUT_SECONDS</c> says otherwise: generous, because with other test assemblies
    /// and a second test run beside it on two cores, work that takes a second when idle has taken close to a minute.
    /// </summary>
    public static TimeSpan Bound { get; } = ReadSeconds(BoundVariable, TimeSpan.FromSeconds(120));

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds for its value, and returns that value.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, Func<T, string>? describe = null, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Bound);
        while (true)
        {
            var value = await probe();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"still waiting after {(within ?? Bound).TotalSeconds:0} s for: {what} (last: {(describe is null ? value : describe(value))})");
            await Task.Delay(50);
        }
    }

    /// <summary>A bound in seconds from the environment variable <paramref name="variable"/>, or <paramref name="fallback"/> when it is not set.</summary>
    public static TimeSpan ReadSeconds(string variable, TimeSpan fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : throw new InvalidOperationException($"{variable} must be a positive number of seconds, not '{text}'")
            : fallback;
}
