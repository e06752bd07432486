using TrialFlow.Core.Access;
using TrialFlow.Core.Audit;

namespace TrialFlow.Cli.Commands;

/// <summary>
/// <c>trialflow audit verify</c>: walks the audit hash chain, holds it against the latest signed checkpoint and names
/// the first broken link or the removed tail.
/// </summary>
internal sealed class AuditVerifyCommand : ICliCommand
{
    public IReadOnlyList<string> Verb { get; } = ["audit", "verify"];

    public string Usage => "audit verify [--data DIR]      walk the audit hash chain against its checkpoints; exit 1 at the first broken link";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        var options = new CliArguments(args, ["--data"], []);
        if (options.Positional.Count > 0)
            throw new CliUsageException($"unexpected argument '{options.Positional[0]}'.");

        await using var db = CliDatabase.Open(options["--data"], Actor.System("cli"));
        var result = await AuditChainVerifier.VerifyAsync(db, cancellationToken);
        (result.IsIntact ? console.Out : console.Error).WriteLine(result.ToString());
        return result.IsIntact ? 0 : 1;
    }
}
