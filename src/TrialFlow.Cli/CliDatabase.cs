using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using TrialFlow.Core.Access;
using TrialFlow.Core.Persistence;

namespace TrialFlow.Cli;

/// <summary>
/// Opens the same database the web host uses, configured the same way: environment variables
/// (<c>TrialFlow__DataDirectory</c>, <c>TrialFlow__Database__Provider</c>, <c>ConnectionStrings__TrialFlow</c>)
/// overridden by <c>--data DIR</c> on the command line.
/// </summary>
internal static class CliDatabase
{
    public static TrialFlowDbContext Open(string? dataDirectory, Actor actor) =>
        DatabaseServiceCollectionExtensions.CreateContext(Options(dataDirectory), actor);

    /// <summary>The database settings, after checking that a SQLite data folder holds a database.</summary>
    public static DatabaseOptions Options(string? dataDirectory)
    {
        var settings = new Dictionary<string, string?>();
        if (dataDirectory is not null)
            settings["TrialFlow:DataDirectory"] = dataDirectory;
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(settings).Build();
        var options = DatabaseOptions.FromConfiguration(configuration);
        if (options.Provider == DatabaseProvider.Sqlite && !File.Exists(Path.Combine(options.DataDirectory, "trialflow.db")))
            throw new CliUsageException($"no TrialFlow database in {options.DataDirectory} (use --data DIR or TrialFlow__DataDirectory).");
        return options;
    }
}

/// <summary>A tiny option reader: <c>--name value</c> pairs and positional arguments, nothing clever.</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public CliArguments(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flags)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (valueOptions.Contains(a))
            {
                if (i + 1 >= args.Count)
                    throw new CliUsageException($"{a} needs a value.");
                _options[a] = args[++i];
            }
            else if (flags.Contains(a))
            {
                _flags.Add(a);
            }
            else if (a.StartsWith("--", StringComparison.Ordinal))
            {
                throw new CliUsageException($"unknown option {a}.");
            }
            else
            {
                Positional.Add(a);
            }
        }
    }

    public List<string> Positional { get; } = [];

    public string? this[string option] => _options.GetValueOrDefault(option);

    public bool Has(string flag) => _flags.Contains(flag);
}
