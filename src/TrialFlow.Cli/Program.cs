using TrialFlow.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
return await CommandDispatcher.RunAsync(args, CliConsole.System, cancellation.Token);
