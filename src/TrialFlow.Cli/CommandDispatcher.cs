namespace TrialFlow.Cli;

/// <summary>Chooses the command for a command line and maps usage errors to exit code 2.</summary>
public static class CommandDispatcher
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        var commands = CommandCatalog.All;
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            PrintHelp(commands, console.Out);
            return args.Count == 0 ? 2 : 0;
        }

        var command = commands
            .Where(c => c.Verb.Count <= args.Count && c.Verb.Select((w, i) => w == args[i]).All(x => x))
            .MaxBy(c => c.Verb.Count);
        if (command is null)
        {
            console.Error.WriteLine($"trialflow: unknown command '{string.Join(' ', args.Take(2))}'.");
            PrintHelp(commands, console.Error);
            return 2;
        }

        try
        {
            return await command.RunAsync(args.Skip(command.Verb.Count).ToList(), console, cancellationToken);
        }
        catch (CliUsageException e)
        {
            console.Error.WriteLine($"trialflow {string.Join(' ', command.Verb)}: {e.Message}");
            console.Error.WriteLine($"usage: trialflow {command.Usage}");
            return 2;
        }
    }

    private static void PrintHelp(IEnumerable<ICliCommand> commands, TextWriter writer)
    {
        writer.WriteLine("usage: trialflow <command> [options]");
        writer.WriteLine();
        foreach (var c in commands.OrderBy(c => string.Join(' ', c.Verb), StringComparer.Ordinal))
            writer.WriteLine($"  {c.Usage}");
    }
}
