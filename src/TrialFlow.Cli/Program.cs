namespace TrialFlow.Cli;

/// <summary>The <c>trialflow</c> command's entry point (named, so hosts and tests never see two <c>Program</c> types).</summary>
internal static class TrialFlowCommand
{
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        return await CommandDispatcher.RunAsync(args, CliConsole.System, cancellation.Token);
    }
}
