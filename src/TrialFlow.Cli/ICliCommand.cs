namespace TrialFlow.Cli;

/// <summary>
/// One verb of the <c>trialflow</c> command. Each command lives in its own file under Commands/ and is
/// listed in <see cref="CommandCatalog"/>; the dispatcher picks the command whose <see cref="Verb"/> words
/// match the start of the arguments (longest match wins, so "dicom dump" beats "dicom").
/// </summary>
public interface ICliCommand
{
    /// <summary>The words that select the command, e.g. <c>["audit", "verify"]</c>.</summary>
    IReadOnlyList<string> Verb { get; }

    /// <summary>One line of usage shown by <c>trialflow help</c>.</summary>
    string Usage { get; }

    /// <summary>Runs with the arguments that follow the verb; returns the process exit code.</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken);
}

/// <summary>The streams a command writes to, injectable so tests can read what a command printed.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    public static CliConsole System { get; } = new(Console.Out, Console.Error);
}

/// <summary>A usage mistake: the dispatcher prints the message and the command's usage and exits 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
